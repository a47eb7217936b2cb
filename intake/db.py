"""The intake domain's tables share this declarative base and one Alembic environment."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine
from sqlalchemy.orm import DeclarativeBase

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class IntakeBase(DeclarativeBase):
    """Declarative base of every intake table (cases, licences, delivery, jobs...)."""


def migrate(engine: Engine) -> None:
    """Apply every intake migration branch (each feature keeps its own branch)."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection_engine"] = engine
    command.upgrade(config, "heads")
