"""Catalog reads made on every case opened or viewed, each one statement in one round trip: the
newest documents of each type (reuse), with their derived data and failed re-checks beside them;
documents by id with their derived data (a case's checks). A mixin of :class:`archive.service.Archive`.

Plain rows, never ORM objects: these run on every case, and building ORM objects cost more than
running the statements (bench/intake.py).
"""

from __future__ import annotations

import functools
import json
from typing import Any, Iterable, Mapping

from sqlalchemy import Row, String, and_, any_, bindparam, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY

from archive.catalog.models import DerivedRow, DocumentRow
from archive.checks import CHECKS_KIND
from archive.derived import DerivedData, _failed
from archive.types import DocumentRecord
from standards import as_utc


class CatalogReads(DerivedData):
    """Joined reads of documents and their derived rows; the class using it provides ``sessions`` and
    ``reads``."""

    def newest_with_derived(
        self, owner_code: str, doc_types: Iterable[str], per_type: int | Mapping[str, int], kind: str,
        kind_types: Iterable[str],
    ) -> tuple[dict[str, list[DocumentRecord]], dict[str, dict], set[str]]:
        """The newest ``per_type`` documents of each type (one count for all, or one per type), the
        derived data ``kind`` of those whose type is one of ``kind_types`` (``get_derived_many``), and
        which of them failed their last re-check (``failed_rechecks``) — in one statement, what reuse
        reads on every case opened: one limited branch per type, each read along the (owner, type,
        created) index, however many documents the owner has."""
        types = list(dict.fromkeys(doc_types))
        if not types:
            return {}, {}, set()
        limits = tuple((t, per_type if isinstance(per_type, int) else per_type[t]) for t in types)
        query = _newest_query(limits, self.reads.dialect.name)
        rows = self._read(query, {"owner": owner_code.strip().upper(), "kind": kind,
                                  "kind_types": list(dict.fromkeys(kind_types))})
        out: dict[str, list[DocumentRecord]] = {t: [] for t in types}
        derived: dict[str, dict] = {}
        failed: set[str] = set()
        for row in rows:
            out[row.doc_type].append(record_of(row))
            if row.derived is not None:
                derived[row.id] = json.loads(row.derived)
            if row.checks_report is not None and _failed(json.loads(row.checks_report)):
                failed.add(row.id)
        for records in out.values():  # newest first, ties by id (as ``list`` orders them)
            records.sort(key=lambda r: r.id)
            records.sort(key=lambda r: r.created_at, reverse=True)
        return out, derived, failed

    def records_with_derived(
        self, doc_ids: Iterable[str], kind: str,
    ) -> tuple[dict[str, DocumentRecord], dict[str, dict]]:
        """``lookup_many(doc_ids)`` and ``get_derived_many(doc_ids, kind)`` in one statement."""
        wanted = [d for d in dict.fromkeys(doc_ids) if plausible_id(d)]
        if not wanted:
            return {}, {}
        table = DocumentRow.__table__
        query = (select(table, DerivedRow.data.label("derived"))
                 .outerjoin(DerivedRow, and_(DerivedRow.document_id == table.c.id, DerivedRow.kind == kind))
                 .where(self._member(table.c.id, wanted)))
        records: dict[str, DocumentRecord] = {}
        derived: dict[str, dict] = {}
        for row in self._read(query):
            records[row.id] = record_of(row)
            if row.derived is not None:
                derived[row.id] = json.loads(row.derived)
        return records, derived


@functools.lru_cache(maxsize=256)
def _newest_query(limits: tuple[tuple[str, int], ...], dialect: str) -> Any:
    """The statement behind :meth:`CatalogReads.newest_with_derived`, built once per (type, window)
    list: building it cost more than running it (owner, kind and the kind's types are parameters)."""
    table = DocumentRow.__table__
    owner = bindparam("owner")
    # the branches pick ids only and the rows are joined once: a short statement, which psycopg
    # parses once and caches (it re-parses any statement longer than 4,096 characters every time)
    newest = union_all(*(
        select(select(table.c.id).where(table.c.owner_code == owner, table.c.doc_type == doc_type)
               .order_by(table.c.created_at.desc(), table.c.id).limit(count).subquery())
        for doc_type, count in limits
    )).subquery("newest")
    if dialect == "postgresql":  # one array parameter: the same statement text (and plan) for any list
        of_kind_type = table.c.doc_type == any_(bindparam("kind_types", type_=ARRAY(String)))
    else:
        of_kind_type = table.c.doc_type.in_(bindparam("kind_types", expanding=True))
    wanted = DerivedRow.__table__.alias("wanted")
    checks = DerivedRow.__table__.alias("checks")
    return select(table, wanted.c.data.label("derived"), checks.c.data.label("checks_report")).select_from(
        newest.join(table, table.c.id == newest.c.id)
        .outerjoin(wanted, and_(wanted.c.document_id == table.c.id, wanted.c.kind == bindparam("kind"), of_kind_type))
        .outerjoin(checks, and_(checks.c.document_id == table.c.id, checks.c.kind == CHECKS_KIND,
                                checks.c.data.contains('"recheck"'))))


def plausible_id(doc_id: str) -> bool:
    return 0 < len(doc_id) <= 32 and doc_id.isalnum()


def record_of(row: DocumentRow | Row[Any]) -> DocumentRecord:
    """A catalog row (ORM object or plain row of the documents table) as a :class:`DocumentRecord`."""
    return DocumentRecord(
        id=row.id, sha256=row.sha256, size=row.size, media_type=row.media_type, filename=row.filename,
        owner_code=row.owner_code, owner_code_type=row.owner_code_type, doc_type=row.doc_type,
        case_ref=row.case_ref, created_at=as_utc(row.created_at), retention_until=as_utc(row.retention_until),
        worm=bool(row.worm),
    )
