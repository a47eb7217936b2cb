"""Checks: approvers' overrides of blocking findings (who, which finding, why, when).

Revision ID: checks_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "checks_0001"
down_revision = None
branch_labels = ("checks",)
depends_on = "cases_0001"


def upgrade() -> None:
    op.create_table(
        "intake_check_overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("intake_cases.id"), nullable=False),
        sa.Column("finding_key", sa.String(200), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("material_id", sa.String(80)),
        sa.Column("doc_id", sa.String(64)),
        sa.Column("field", sa.String(80)),
        sa.Column("message_zh", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("key_id", sa.String(64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intake_check_overrides_case_id", "intake_check_overrides", ["case_id"])


def downgrade() -> None:
    op.drop_table("intake_check_overrides")
