"""Build the delivery services from explicit configuration (``api.container`` maps settings here)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from archive import Archive
from intake.delivery.handover import HandoverConfig, HandoverService
from intake.delivery.ports import CaseGateway, IssuedDocuments
from intake.delivery.service import DeliveryConfig, DeliveryService

_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def default_cases(engine: Engine, archive: Archive) -> CaseGateway:
    """A case service on the shipped matter catalog and calendar (used until the container has one)."""
    from intake.cases import CaseService
    from intake.matters import load_catalog
    from intake.workdays import load_calendar

    return CaseService(engine, load_catalog(_TEMPLATES / "matters"), archive,
                       load_calendar(_TEMPLATES / "calendar"))


def build_delivery(
    engine: Engine, archive: Archive, cases: CaseGateway | None = None, *,
    issued: IssuedDocuments | None = None, config: DeliveryConfig | None = None,
    handover_config: HandoverConfig | None = None,
) -> DeliveryService:
    sessions = sessionmaker(engine, expire_on_commit=False)
    gateway = cases or default_cases(engine, archive)
    handover = HandoverService(sessions, archive, gateway, issued, handover_config)
    return DeliveryService(sessions, gateway, handover, config)
