"""OCR jobs: outbox and leases (published_at, lease owner and expiry, attempts) for shared workers.

Revision ID: ocr_jobs_0002
Revises: ocr_jobs_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "ocr_jobs_0002"
down_revision = "ocr_jobs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    with op.batch_alter_table("intake_ocr_jobs") as batch:
        batch.add_column(sa.Column("published_at", tz))
        batch.add_column(sa.Column("lease_owner", sa.String(96)))
        batch.add_column(sa.Column("lease_expires_at", tz))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("intake_ocr_jobs") as batch:
        batch.drop_column("attempts")
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
        batch.drop_column("published_at")
