"""Per-issuer number sequences that never hand out a value twice, even under concurrency.

``next_value`` bumps the counter with one ``UPDATE ... SET value = value + 1`` and reads it back
in the same transaction: on PostgreSQL the row lock serialises concurrent callers (each sees the
committed value of the previous one); on SQLite the write lock does. The first use of a name
inserts the row; two first users racing on the insert get an IntegrityError and retry the update.
Each value is committed before it is used, so a failed issuance leaves a gap, never a repeat.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from intake.errors import SequenceUnavailableError
from intake.licences.tables import LicenceSequenceRow


def next_value(engine: Engine, issuer_code: str, name: str, *, attempts: int = 20) -> int:
    """Allocate the next value (1, 2, 3, ...) of sequence ``name`` of ``issuer_code``."""
    table = LicenceSequenceRow.__table__
    where = (table.c.issuer_code == issuer_code) & (table.c.name == name)
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                bumped = connection.execute(update(table).where(where).values(value=table.c.value + 1))
                if bumped.rowcount == 0:
                    connection.execute(insert(table).values(issuer_code=issuer_code, name=name, value=1))
                    return 1
                return int(connection.execute(select(table.c.value).where(where)).scalar_one())
        except (IntegrityError, OperationalError):
            # lost the race to create the row, or SQLite stayed locked past its timeout: retry
            time.sleep(min(0.01 * (attempt + 1), 0.2))
    raise SequenceUnavailableError(f"could not allocate from sequence {name!r} of {issuer_code}")
