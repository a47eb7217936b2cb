"""Per-issuer number sequences that never hand out a value twice, even under concurrency.

``next_values`` bumps each counter with one ``UPDATE ... SET value = value + 1`` and reads it back
in the same transaction: on PostgreSQL the row lock serialises concurrent callers (each sees the
committed value of the previous one); on SQLite the write lock does (the transaction asks for it
first, see ``archive.write_transaction``). The first use of a name inserts the row; two first users
racing on the insert get an IntegrityError and retry. Everything a licence needs (its number, its
permits' numbers, its identifier's serial) is claimed in one short transaction, and committed
before it is used, so a failed issuance leaves a gap, never a repeat.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from archive import write_transaction
from intake.errors import SequenceUnavailableError
from intake.licences.tables import LicenceSequenceRow


def next_value(engine: Engine, issuer_code: str, name: str, *, attempts: int = 20) -> int:
    """Allocate the next value (1, 2, 3, ...) of sequence ``name`` of ``issuer_code``."""
    return next_values(engine, issuer_code, (name,), attempts=attempts)[0]


def next_values(engine: Engine, issuer_code: str, names: Sequence[str], *, attempts: int = 20) -> list[int]:
    """The next value of each sequence in ``names`` (in order; a name listed twice advances twice),
    all allocated in one transaction."""
    for attempt in range(attempts):
        try:
            with write_transaction(engine) as connection:
                return [_bump(connection, issuer_code, name) for name in names]
        except (IntegrityError, OperationalError):
            # lost the race to create a row, or SQLite stayed locked past its timeout: retry
            time.sleep(min(0.01 * (attempt + 1), 0.2))
    raise SequenceUnavailableError(f"could not allocate from sequences {list(names)!r} of {issuer_code}")


def _bump(connection: Connection, issuer_code: str, name: str) -> int:
    table = LicenceSequenceRow.__table__
    where = (table.c.issuer_code == issuer_code) & (table.c.name == name)
    if connection.execute(update(table).where(where).values(value=table.c.value + 1)).rowcount == 0:
        connection.execute(insert(table).values(issuer_code=issuer_code, name=name, value=1))
        return 1
    return int(connection.execute(select(table.c.value).where(where)).scalar_one())
