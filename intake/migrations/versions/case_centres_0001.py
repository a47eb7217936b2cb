"""Cases carry the service centre (``wz-lucheng``) of the clerk who opened them.

A clerk or approver sees and acts on their own centre's cases only (全城通办 matters excepted, as
the citywide policy allows). Cases opened before centres existed have none, like keys without one.

Revision ID: case_centres_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "case_centres_0001"
down_revision = None
branch_labels = ("case_centres",)
depends_on = "cases_0001"


def upgrade() -> None:
    with op.batch_alter_table("intake_cases") as batch:
        batch.add_column(sa.Column("centre", sa.String(64)))
        batch.create_index("ix_intake_cases_centre", ["centre"])


def downgrade() -> None:
    with op.batch_alter_table("intake_cases") as batch:
        batch.drop_index("ix_intake_cases_centre")
        batch.drop_column("centre")
