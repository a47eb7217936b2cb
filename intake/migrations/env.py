"""Alembic environment of the intake tables (version table ``alembic_version_intake``).

Each feature owns a branch: its first revision has ``down_revision = None`` and its own
``branch_labels``; ``upgrade heads`` applies them all.
"""

from alembic import context

from intake.db import IntakeBase

engine = context.config.attributes["connection_engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=IntakeBase.metadata,
        version_table="alembic_version_intake",
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
