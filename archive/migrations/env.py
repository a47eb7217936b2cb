"""Alembic environment of the archive (version table ``alembic_version_archive``)."""

from alembic import context

from archive.catalog.models import ArchiveBase

engine = context.config.attributes["connection_engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=ArchiveBase.metadata,
        version_table="alembic_version_archive",
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
