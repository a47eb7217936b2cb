"""API keys get a display name (Chinese allowed): the name notices print as 经办人.

Revision ID: a0002_key_display_names
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "a0002_key_display_names"
down_revision = None
branch_labels = ("key_display_names",)
depends_on = "a0001_initial"


def upgrade() -> None:
    with op.batch_alter_table("archive_api_keys") as batch:
        batch.add_column(sa.Column("display_name", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("archive_api_keys") as batch:
        batch.drop_column("display_name")
