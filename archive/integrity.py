"""The integrity sweep (四性检测 re-run): every catalogued object present, intact and still usable.

One check per object, applied to every document; problems are collected, never raised. With
``recheck`` limits the sweep also re-opens every intact object like the intake check did and
records the outcome in the document's ``checks`` report: a document that fails (bit rot, a lost
object) is flagged there and the archive refuses to serve it as good. Temporary files a crash left
in the store (``.incoming-*``) are reported too.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from sqlalchemy import select

from archive.catalog.models import DocumentRow
from archive.checks import CHECKS_KIND, CheckLimits, check_usable
from archive.errors import ArchiveError, DocumentUnusableError
from archive.ingest import check_metadata
from archive.service import Archive
from archive.store.api import object_key
from archive.types import IntegrityProblem, IntegrityReport


def _check_object(
    archive: Archive, key: str, size: int, sha256: str, doc_id: str, media_type: str, recheck: CheckLimits | None,
) -> IntegrityProblem | None:
    info = archive.store.stat(key)
    if info is None:
        return IntegrityProblem("missing_object", key, doc_id, "the store has no such object")
    if info.size != size:
        return IntegrityProblem("size_mismatch", key, doc_id, f"catalog {size} bytes, store {info.size}")
    digest = hashlib.sha256()
    kept: list[bytes] | None = [] if recheck is not None else None
    try:
        for chunk in archive.store.open(key):
            digest.update(chunk)
            if kept is not None:
                kept.append(chunk)
    except ArchiveError as exc:
        return IntegrityProblem("unreadable_object", key, doc_id, str(exc))
    if digest.hexdigest() != sha256:
        return IntegrityProblem("checksum_mismatch", key, doc_id, f"stored bytes hash to {digest.hexdigest()}")
    if recheck is not None and kept is not None:
        try:
            check_usable(b"".join(kept), media_type, recheck)
        except DocumentUnusableError as exc:
            return IntegrityProblem("unusable_object", key, doc_id, str(exc))
    return None


def _check_row(row: DocumentRow) -> IntegrityProblem | None:
    try:
        check_metadata(row.owner_code, row.owner_code_type, row.doc_type, row.case_ref)
    except ArchiveError as exc:
        return IntegrityProblem("bad_metadata", object_key(row.sha256), row.id, str(exc))
    if not row.media_type or row.retention_until is None:
        return IntegrityProblem("bad_metadata", object_key(row.sha256), row.id, "media type or retention missing")
    return None


def _record_recheck(archive: Archive, doc_id: str, problem: IntegrityProblem | None) -> None:
    report = archive.get_derived(doc_id, CHECKS_KIND) or {"version": 1, "ok": True, "legacy": True}
    report["recheck"] = {
        "ok": problem is None, "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "problem": None if problem is None else {"kind": problem.kind, "detail": problem.detail},
    }
    archive.put_derived(doc_id, CHECKS_KIND, report)


def check_archive(archive: Archive, *, recheck: CheckLimits | None = None) -> IntegrityReport:
    """Walk the catalog and the store; report missing, corrupted, unusable and orphaned objects,
    bad rows and leftover temporary files. With ``recheck``, record each outcome per document."""
    problems: list[IntegrityProblem] = []
    verified: dict[str, IntegrityProblem | None] = {}
    documents = 0
    with archive.sessions() as session:
        rows = list(session.scalars(select(DocumentRow).order_by(DocumentRow.created_at)))
    for row in rows:
        documents += 1
        key = object_key(row.sha256)
        if key not in verified:
            verified[key] = _check_object(archive, key, row.size, row.sha256, row.id, row.media_type, recheck)
        found = verified[key]
        if found is not None:
            problems.append(IntegrityProblem(found.kind, key, row.id, found.detail))
        if recheck is not None:
            _record_recheck(archive, row.id, found)
        bad_row = _check_row(row)
        if bad_row is not None:
            problems.append(bad_row)
    objects = 0
    for key in archive.store.keys():
        objects += 1
        if key not in verified:
            problems.append(IntegrityProblem("orphaned_object", key, None, "no catalog row refers to it"))
    leftovers = getattr(archive.store, "leftovers", None)
    for name in leftovers() if leftovers is not None else ():
        problems.append(IntegrityProblem("leftover_temp_file", name, None, "a temporary file left by an interrupted write"))
    return IntegrityReport(documents_checked=documents, objects_seen=objects, problems=tuple(problems))
