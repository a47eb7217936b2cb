"""Build the delivery services from explicit configuration (``intake.build_services`` calls this)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from archive import Archive
from intake.delivery.handover import HandoverConfig, HandoverService
from intake.delivery.ports import CaseGateway, IssuedDocuments
from intake.delivery.service import DeliveryConfig, DeliveryService


def build_delivery(
    engine: Engine, archive: Archive, cases: CaseGateway, *,
    issued: IssuedDocuments | None = None, config: DeliveryConfig | None = None,
    handover_config: HandoverConfig | None = None,
) -> DeliveryService:
    sessions = sessionmaker(engine, expire_on_commit=False)
    handover = HandoverService(sessions, archive, cases, issued, handover_config)
    return DeliveryService(sessions, cases, handover, config)
