"""Delivery: delivery orders, parcels, scans, waybill counters, hand-over links and their failures.

Revision ID: delivery_0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "delivery_0001"
down_revision = None
branch_labels = ("delivery",)
depends_on = None


def upgrade() -> None:
    tz = sa.DateTime(timezone=True)
    op.create_table(
        "delivery_orders",
        sa.Column("case_id", sa.String(32), primary_key=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("recipient_name", sa.String(200)),
        sa.Column("recipient_phone", sa.String(40)),
        sa.Column("address", sa.String(300)),
        sa.Column("contents", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
    )
    op.create_table(
        "delivery_parcels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("waybill", sa.String(40), nullable=False, unique=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("dispatch_date", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("recipient_phone", sa.String(40), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("contents", sa.JSON, nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("picked_up_at", tz),
        sa.Column("picked_up_by", sa.String(100)),
        sa.Column("delivered_at", tz),
        sa.Column("delivered_by", sa.String(100)),
        sa.Column("returned_at", tz),
        sa.Column("returned_by", sa.String(100)),
        sa.Column("return_reason", sa.Text),
        sa.Column("resolved_at", tz),
    )
    for column in ("case_id", "dispatch_date", "state"):
        op.create_index(f"ix_delivery_parcels_{column}", "delivery_parcels", [column])
    op.create_table(
        "delivery_scans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("waybill", sa.String(40), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("at", tz, nullable=False),
        sa.Column("courier", sa.String(100), nullable=False),
        sa.Column("key_id", sa.String(64)),
        sa.Column("effective", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_delivery_scans_waybill", "delivery_scans", ["waybill"])
    op.create_table(
        "delivery_waybill_counters",
        sa.Column("scheme", sa.String(64), primary_key=True),
        sa.Column("last_serial", sa.Integer, nullable=False),
    )
    op.create_table(
        "delivery_handover_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(32), nullable=False),
        sa.Column("document_ids", sa.JSON, nullable=False),
        sa.Column("suffix_hash", sa.String(64), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("expires_at", tz, nullable=False),
        sa.Column("max_downloads", sa.Integer, nullable=False),
        sa.Column("downloads", sa.Integer, nullable=False),
        sa.Column("revoked_at", tz),
    )
    op.create_index("ix_delivery_handover_links_case_id", "delivery_handover_links", ["case_id"])
    op.create_table(
        "delivery_handover_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("at", tz, nullable=False),
    )
    op.create_index("ix_delivery_handover_failures_subject", "delivery_handover_failures", ["subject"])
    op.create_index("ix_delivery_handover_failures_at", "delivery_handover_failures", ["at"])


def downgrade() -> None:
    for table in (
        "delivery_handover_failures", "delivery_handover_links", "delivery_waybill_counters",
        "delivery_scans", "delivery_parcels", "delivery_orders",
    ):
        op.drop_table(table)
