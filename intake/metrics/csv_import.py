"""Read historical case records from a CSV export, reporting every bad row by its row number.

Columns: ``case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits``.
Row 1 is the header; the first case is row 2 (as a spreadsheet shows it). ``completed_at`` and
``actual_days`` may be empty for a case not finished yet; ``committed_days`` may be empty for a
即办件 (``kind=immediate``: done on the spot, counted as 0). Files exported by Excel (UTF-8 with BOM)
and by older Chinese systems (GB18030) are both read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from intake.errors import MetricsImportError
from intake.metrics.compute import CaseRecord
from standards import CHINA_TZ, aware

__all__ = ["COLUMNS", "RowError", "ImportResult", "parse_cases_csv", "decode_csv"]

COLUMNS = ("case_id", "matter", "department", "received_at", "completed_at", "kind", "committed_days",
           "actual_days", "visits")
CST = CHINA_TZ


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    records: tuple[CaseRecord, ...]
    errors: tuple[RowError, ...]
    rows: int

    @property
    def bad_rows(self) -> tuple[int, ...]:
        return tuple(sorted({e.row for e in self.errors}))


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MetricsImportError("the file is neither UTF-8 nor GB18030 text", message_zh="文件编码无法识别（应为 UTF-8 或 GB18030）")


def _when(value: str) -> dt.datetime:
    text = value.strip().replace("/", "-")
    parsed = dt.datetime.fromisoformat(text) if len(text) > 10 else dt.datetime.combine(
        dt.date.fromisoformat(text), dt.time())
    return aware(parsed, CST)


def _count(value: str, column: str, errors: list[RowError], row: int, *, optional: bool = False) -> int | None:
    text = value.strip()
    if not text:
        if not optional:
            errors.append(RowError(row, column, "is empty"))
        return None
    try:
        number = int(text)
    except ValueError:
        errors.append(RowError(row, column, f"{text!r} is not a whole number"))
        return None
    if number < 0:
        errors.append(RowError(row, column, f"{number} is negative"))
        return None
    return number


def _row(values: dict[str, str], row: int, errors: list[RowError]) -> CaseRecord | None:
    before = len(errors)
    for column in ("case_id", "matter", "department"):
        if not values[column].strip():
            errors.append(RowError(row, column, "is empty"))
    received = completed = None
    try:
        received = _when(values["received_at"])
    except ValueError:
        errors.append(RowError(row, "received_at", f"{values['received_at']!r} is not a date (YYYY-MM-DD [HH:MM])"))
    if values["completed_at"].strip():
        try:
            completed = _when(values["completed_at"])
        except ValueError:
            errors.append(RowError(row, "completed_at", f"{values['completed_at']!r} is not a date (YYYY-MM-DD [HH:MM])"))
    if received and completed and completed < received:
        errors.append(RowError(row, "completed_at", "is before received_at"))
    kind = values["kind"].strip()
    if kind not in ("immediate", "promised"):
        errors.append(RowError(row, "kind", f"{kind!r} is neither 'immediate' nor 'promised'"))
    # a 即办件 is done on the spot: real exports leave its 承诺时限 empty
    committed = _count(values["committed_days"], "committed_days", errors, row, optional=kind == "immediate")
    if committed is None and kind == "immediate" and not values["committed_days"].strip():
        committed = 0
    actual = _count(values["actual_days"], "actual_days", errors, row, optional=True)
    visits = _count(values["visits"], "visits", errors, row)
    if actual is not None and completed is None and not values["completed_at"].strip():
        errors.append(RowError(row, "completed_at", "is empty although actual_days is given"))
    if completed is not None and actual is None and not values["actual_days"].strip():
        errors.append(RowError(row, "actual_days", "is empty although completed_at is given"))
    if len(errors) > before:
        return None
    assert received is not None and committed is not None and visits is not None
    return CaseRecord(
        case_id=values["case_id"].strip(), matter=values["matter"].strip(), department=values["department"].strip(),
        received_at=received, completed_at=completed, kind=kind,  # type: ignore[arg-type]
        committed_days=committed, actual_days=actual, visits=visits,
    )


def parse_cases_csv(text: str) -> ImportResult:
    """Every row checked; good rows in ``records``, problems in ``errors`` (nothing is dropped silently)."""
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise MetricsImportError(
            f"row 1: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}",
            message_zh=f"第1行（表头）缺少列：{'、'.join(missing)}", errors=[f"row 1: missing {', '.join(missing)}"],
        )
    index = {c: header.index(c) for c in COLUMNS}
    records: list[CaseRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if len(cells) < len(header):
            errors.append(RowError(number, "(row)", f"has {len(cells)} cells, expected {len(header)}"))
            continue
        record = _row({c: cells[i] for c, i in index.items()}, number, errors)
        if record is None:
            continue
        if record.case_id in seen:
            errors.append(RowError(number, "case_id", f"{record.case_id} repeats row {seen[record.case_id]}"))
            continue
        seen[record.case_id] = number
        records.append(record)
    return ImportResult(tuple(records), tuple(errors), rows)
