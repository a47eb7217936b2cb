"""The catalog's migrations create exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import archive
from archive import ArchiveBase


def test_migrations_match_the_models(db_url):
    engine = archive.make_engine(db_url)
    archive.migrate(engine)
    archive.migrate(engine)  # idempotent
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": "alembic_version_archive"})
        diff = [d for d in compare_metadata(context, ArchiveBase.metadata)
                if not (isinstance(d, tuple) and str(d[0]).endswith("_table") and
                        not str(getattr(d[1], "name", "")).startswith("archive_"))]
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"archive_documents", "archive_access_log", "archive_api_keys"} <= tables
    assert diff == []


def test_same_content_for_two_owners_is_one_object_and_two_documents(db_url, tmp_path, scan_png):
    engine = archive.make_engine(db_url)
    archive.migrate(engine)
    store = archive.LocalStore(tmp_path / "objects")
    arch = archive.Archive(store, engine)
    actor = archive.Actor("clerk", "clerk", "k")
    a = arch.ingest(scan_png, owner_code="91350100M000100Y43", owner_code_type="uscc", doc_type="x", actor=actor)
    b = arch.ingest(scan_png, owner_code="9135052155323005XL", owner_code_type="uscc", doc_type="x", actor=actor)
    assert a.created and b.created and a.record.id != b.record.id
    assert len(list(store.keys())) == 1
    engine.dispose()
