"""Licences: the registry of issued licences and the per-issuer number sequences.

Revision ID: licences_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "licences_0001"
down_revision = None
branch_labels = ("licences",)
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "licences",
        sa.Column("identifier", sa.String(120), primary_key=True),
        sa.Column("number", sa.String(80), nullable=False),
        sa.Column("template_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("holder_name", sa.String(200), nullable=False),
        sa.Column("holder_code", sa.String(32), nullable=False),
        sa.Column("authority_name", sa.String(200), nullable=False),
        sa.Column("authority_code", sa.String(32), nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(64)),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("permit_numbers", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text),
        sa.Column("superseded_by", sa.String(120)),
        sa.Column("status_changed_at", tz),
        sa.Column("status_changed_by", sa.String(100)),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.UniqueConstraint("number", "template_id", name="uq_licences_number"),
    )
    op.create_index("ix_licences_holder_code", "licences", ["holder_code"])
    op.create_index("ix_licences_sha256", "licences", ["sha256"])
    op.create_index("ix_licences_case_id", "licences", ["case_id"])
    op.create_table(
        "licence_sequences",
        sa.Column("issuer_code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("licence_sequences")
    op.drop_index("ix_licences_case_id", "licences")
    op.drop_index("ix_licences_sha256", "licences")
    op.drop_index("ix_licences_holder_code", "licences")
    op.drop_table("licences")
