"""Dedupe is per (owner, document type, content): the same bytes under another type are another record.

Uploading an owner's id_card bytes as business_licence must not answer with the id_card record (a key
not scoped for id cards would learn it exists), so the unique key gains ``doc_type``.

Revision ID: a0002_dedupe_per_type
Revises: a0001_initial
"""
from alembic import op

revision = "a0002_dedupe_per_type"
down_revision = "a0001_initial"
branch_labels = ("archive_dedupe",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("archive_documents") as batch:
        batch.drop_constraint("uq_archive_documents_owner_sha256", type_="unique")
        batch.create_unique_constraint("uq_archive_documents_owner_type_sha256", ["owner_code", "doc_type", "sha256"])


def downgrade() -> None:
    with op.batch_alter_table("archive_documents") as batch:
        batch.drop_constraint("uq_archive_documents_owner_type_sha256", type_="unique")
        batch.create_unique_constraint("uq_archive_documents_owner_sha256", ["owner_code", "sha256"])
