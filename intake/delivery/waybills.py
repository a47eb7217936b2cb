"""Waybill allocation: a counter per numbering scheme in the database, so numbers never repeat."""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from certgen.waybill import WaybillScheme, WaybillSerialExhaustedError
from intake.delivery.models import ParcelRow, WaybillCounterRow


def allocate_waybill(session: Session, scheme: WaybillScheme) -> str:
    """The next unused number of ``scheme``, inside the caller's transaction.

    The counter row is bumped with one atomic ``UPDATE`` (its row lock serialises concurrent
    allocations on PostgreSQL; SQLite serialises writers), and a number already used by a parcel
    (say, after a counter was restored from an old backup) is skipped, never handed out twice.
    """
    try:
        with session.begin_nested():
            session.add(WaybillCounterRow(scheme=scheme.key, last_serial=0))
    except IntegrityError:
        pass  # the counter exists already
    while True:
        serial = session.execute(
            update(WaybillCounterRow)
            .where(WaybillCounterRow.scheme == scheme.key)
            .values(last_serial=WaybillCounterRow.last_serial + 1)
            .returning(WaybillCounterRow.last_serial)
        ).scalar_one()
        if serial > scheme.max_serial:
            raise WaybillSerialExhaustedError(f"waybill scheme {scheme.key} has no serials left")
        number = scheme.format(serial)
        if not session.scalar(select(exists().where(ParcelRow.waybill == number))):
            return number
