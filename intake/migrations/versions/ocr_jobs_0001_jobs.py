"""OCR jobs: one row per job (state, pages done / total, error), keyed by an opaque id.

Revision ID: ocr_jobs_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "ocr_jobs_0001"
down_revision = None
branch_labels = ("ocr_jobs",)
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "intake_ocr_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pages_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("pages_total", sa.Integer),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("error_code", sa.String(64)),
        sa.Column("error_message", sa.Text),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("started_at", tz),
        sa.Column("finished_at", tz),
    )
    op.create_index("ix_intake_ocr_jobs_doc_id", "intake_ocr_jobs", ["doc_id"])
    op.create_index("ix_intake_ocr_jobs_state", "intake_ocr_jobs", ["state"])


def downgrade() -> None:
    op.drop_index("ix_intake_ocr_jobs_state", table_name="intake_ocr_jobs")
    op.drop_index("ix_intake_ocr_jobs_doc_id", table_name="intake_ocr_jobs")
    op.drop_table("intake_ocr_jobs")
