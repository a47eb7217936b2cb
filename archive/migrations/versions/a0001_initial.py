"""The archive's first tables: documents, access log, API keys, idempotency keys, derived data.

Revision ID: a0001_initial
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "a0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "archive_documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255)),
        sa.Column("owner_code", sa.String(32), nullable=False),
        sa.Column("owner_code_type", sa.String(16), nullable=False),
        sa.Column("doc_type", sa.String(64), nullable=False),
        sa.Column("case_ref", sa.String(64)),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("retention_until", tz, nullable=False),
        sa.Column("worm", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(64)),
        sa.UniqueConstraint("owner_code", "sha256", name="uq_archive_documents_owner_sha256"),
    )
    op.create_index("ix_archive_documents_owner_type", "archive_documents", ["owner_code", "doc_type"])
    op.create_index("ix_archive_documents_sha256", "archive_documents", ["sha256"])
    op.create_table(
        "archive_access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", tz, nullable=False),
        sa.Column("actor_name", sa.String(128), nullable=False),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("key_id", sa.String(32)),
        sa.Column("document_id", sa.String(32)),
        sa.Column("owner_code", sa.String(32)),
        sa.Column("doc_type", sa.String(64)),
        sa.Column("case_ref", sa.String(64)),
        sa.Column("purpose", sa.String(255)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("result", sa.String(32), nullable=False),
        sa.Column("request_hash", sa.String(64)),
    )
    op.create_index("ix_archive_access_log_owner", "archive_access_log", ["owner_code", "at"])
    op.create_index("ix_archive_access_log_document", "archive_access_log", ["document_id"])
    op.create_table(
        "archive_api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("expires_at", tz),
        sa.Column("revoked_at", tz),
    )
    op.create_table(
        "archive_idempotency_keys",
        sa.Column("scope", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["archive_documents.id"], name="fk_archive_idem_document"),
    )
    op.create_table(
        "archive_derived",
        sa.Column("document_id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["archive_documents.id"], name="fk_archive_derived_document"),
    )


def downgrade() -> None:
    for table in ("archive_derived", "archive_idempotency_keys", "archive_api_keys",
                  "archive_access_log", "archive_documents"):
        op.drop_table(table)
