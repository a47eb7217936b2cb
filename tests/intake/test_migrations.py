"""The intake migration branches create exactly the tables the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import intake.cases.tables  # noqa: F401 - every intake model registers on IntakeBase
import intake.delivery  # noqa: F401
import intake.licences.tables  # noqa: F401
import intake.ocr_jobs  # noqa: F401
import intake.overrides  # noqa: F401
from intake.db import IntakeBase


def _of_another_package(diff: object, ours: set[str]) -> bool:
    """The archive's tables (and their indexes) live in the same database under their own branch."""
    if not isinstance(diff, tuple) or diff[0] not in ("remove_table", "remove_index"):
        return False
    table = diff[1] if diff[0] == "remove_table" else diff[1].table
    return table.name not in ours


def test_intake_migrations_match_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": "alembic_version_intake"})
        intake_tables = set(IntakeBase.metadata.tables)
        diff = [d for d in compare_metadata(context, IntakeBase.metadata) if not _of_another_package(d, intake_tables)]
    assert "licence_case_claims" in intake_tables
    assert diff == []
