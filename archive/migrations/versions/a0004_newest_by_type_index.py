"""An index in the order reuse reads an owner's documents: (owner, type, newest first).

``Archive.newest_by_type`` asks for the newest few documents of each type; with the (owner, type)
index alone the database read every document of the type and sorted them (a company with 400
archived ID cards: 400 rows read and sorted for 50).

Revision ID: a0004_newest_by_type_index
Revises:
"""
from alembic import op

revision = "a0004_newest_by_type_index"
down_revision = None
branch_labels = ("newest_by_type_index",)
depends_on = "a0001_initial"


def upgrade() -> None:
    op.create_index("ix_archive_documents_owner_type_created", "archive_documents",
                    ["owner_code", "doc_type", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_archive_documents_owner_type_created", table_name="archive_documents")
