"""The integrity sweep (四性检测 in part): every catalogued object present and intact, no orphans.

One check per object, applied to every document; problems are collected, never raised.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from archive.catalog.models import DocumentRow
from archive.errors import ArchiveError
from archive.ingest import check_metadata
from archive.service import Archive
from archive.store.api import object_key
from archive.types import IntegrityProblem, IntegrityReport


def _check_object(archive: Archive, key: str, size: int, sha256: str, doc_id: str) -> IntegrityProblem | None:
    info = archive.store.stat(key)
    if info is None:
        return IntegrityProblem("missing_object", key, doc_id, "the store has no such object")
    if info.size != size:
        return IntegrityProblem("size_mismatch", key, doc_id, f"catalog {size} bytes, store {info.size}")
    digest = hashlib.sha256()
    try:
        for chunk in archive.store.open(key):
            digest.update(chunk)
    except ArchiveError as exc:
        return IntegrityProblem("unreadable_object", key, doc_id, str(exc))
    if digest.hexdigest() != sha256:
        return IntegrityProblem("checksum_mismatch", key, doc_id, f"stored bytes hash to {digest.hexdigest()}")
    return None


def _check_row(row: DocumentRow) -> IntegrityProblem | None:
    try:
        check_metadata(row.owner_code, row.owner_code_type, row.doc_type, row.case_ref)
    except ArchiveError as exc:
        return IntegrityProblem("bad_metadata", object_key(row.sha256), row.id, str(exc))
    if not row.media_type or row.retention_until is None:
        return IntegrityProblem("bad_metadata", object_key(row.sha256), row.id, "media type or retention missing")
    return None


def check_archive(archive: Archive) -> IntegrityReport:
    """Walk the catalog and the store; report missing, corrupted and orphaned objects and bad rows."""
    problems: list[IntegrityProblem] = []
    verified: dict[str, IntegrityProblem | None] = {}
    documents = 0
    with archive.sessions() as session:
        rows = list(session.scalars(select(DocumentRow).order_by(DocumentRow.created_at)))
    for row in rows:
        documents += 1
        key = object_key(row.sha256)
        if key not in verified:
            verified[key] = _check_object(archive, key, row.size, row.sha256, row.id)
        found = verified[key]
        if found is not None:
            problems.append(IntegrityProblem(found.kind, key, row.id, found.detail))
        bad_row = _check_row(row)
        if bad_row is not None:
            problems.append(bad_row)
    objects = 0
    for key in archive.store.keys():
        objects += 1
        if key not in verified:
            problems.append(IntegrityProblem("orphaned_object", key, None, "no catalog row refers to it"))
    leftovers = getattr(archive.store, "leftovers", None)  # half-written temp files (a killed process)
    for name in leftovers() if leftovers is not None else ():
        problems.append(IntegrityProblem("leftover_temp", name, None, "a write that never finished"))
    return IntegrityReport(documents_checked=documents, objects_seen=objects, problems=tuple(problems))
