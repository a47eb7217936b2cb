"""API keys carry a service centre (clerks, approvers) and an owner code (applicants).

A clerk or approver sees the cases of their own centre; an ``applicant`` key stands for one
citizen or company and reads only their licences and who used their documents.

Revision ID: a0003_key_centres
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "a0003_key_centres"
down_revision = None
branch_labels = ("key_centres",)
depends_on = "a0001_initial"


def upgrade() -> None:
    with op.batch_alter_table("archive_api_keys") as batch:
        batch.add_column(sa.Column("centre", sa.String(64)))
        batch.add_column(sa.Column("owner_code", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("archive_api_keys") as batch:
        batch.drop_column("owner_code")
        batch.drop_column("centre")
