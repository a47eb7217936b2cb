"""Licences: a claim per case while its licence is being issued (no double issuance).

Revision ID: licences_0002
Revises: licences_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "licences_0002"
down_revision = "licences_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "licence_case_claims",
        sa.Column("case_id", sa.String(64), primary_key=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("licence_case_claims")
