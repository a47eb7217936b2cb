"""Cases (办件): cases, transitions, materials, clerk field input, notices and notice counters.

Revision ID: cases_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "cases_0001"
down_revision = None
branch_labels = ("cases",)
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "intake_cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("matter_id", sa.String(80), nullable=False),
        sa.Column("department_id", sa.String(80), nullable=False),
        sa.Column("owner_code", sa.String(32), nullable=False),
        sa.Column("owner_code_type", sa.String(16), nullable=False),
        sa.Column("owner_code_valid", sa.Boolean, nullable=False),
        sa.Column("owner_code_warning", sa.String(64)),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("accepted_on", sa.Date),
        sa.Column("committed_due", sa.Date),
        sa.Column("supplement_deadline", sa.Date),
        sa.Column("completed_at", tz),
        sa.Column("visits", sa.Integer, nullable=False),
        sa.Column("officer_name", sa.String(100), nullable=False),
        sa.Column("officer_phone", sa.String(40), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
    )
    for column in ("matter_id", "department_id", "owner_code", "state"):
        op.create_index(f"ix_intake_cases_{column}", "intake_cases", [column])
    op.create_table(
        "intake_case_transitions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("intake_cases.id"), nullable=False),
        sa.Column("from_state", sa.String(32)),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(64)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", tz, nullable=False),
    )
    op.create_index("ix_intake_case_transitions_case_id", "intake_case_transitions", ["case_id"])
    op.create_table(
        "intake_case_materials",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("intake_cases.id"), nullable=False),
        sa.Column("material_id", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.String(64)),
        sa.Column("reused_from_case", sa.String(64)),
        sa.Column("rejected_doc_ids", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.UniqueConstraint("case_id", "material_id", name="uq_intake_case_material"),
    )
    op.create_index("ix_intake_case_materials_case_id", "intake_case_materials", ["case_id"])
    op.create_table(
        "intake_case_field_inputs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("intake_cases.id"), nullable=False),
        sa.Column("field", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("at", tz, nullable=False),
        sa.UniqueConstraint("case_id", "field", "kind", name="uq_intake_case_field_input"),
    )
    op.create_index("ix_intake_case_field_inputs_case_id", "intake_case_field_inputs", ["case_id"])
    op.create_table(
        "intake_notices",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("intake_cases.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(80), nullable=False, unique=True),
        sa.Column("department_id", sa.String(80), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("deadline", sa.Date),
        sa.Column("signed", sa.Boolean, nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("issued_at", tz, nullable=False),
    )
    op.create_index("ix_intake_notices_case_id", "intake_notices", ["case_id"])
    op.create_table(
        "intake_notice_counters",
        sa.Column("department_id", sa.String(80), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "intake_notice_counters",
        "intake_notices",
        "intake_case_field_inputs",
        "intake_case_materials",
        "intake_case_transitions",
        "intake_cases",
    ):
        op.drop_table(table)
