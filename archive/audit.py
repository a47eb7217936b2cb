"""The access log: every read of a document (who, which, for which case, why, when, result)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.catalog.models import AccessLogRow
from archive.group_commit import GroupCommit
from archive.types import AccessEntry, Actor
from standards import as_utc


class AccessLog:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self.group = GroupCommit(sessions)
        """Rows written outside a caller's transaction go through one group commit per process."""

    def record(
        self, *, actor: Actor, action: str, result: str, document_id: str | None = None,
        owner_code: str | None = None, doc_type: str | None = None, case_ref: str | None = None,
        purpose: str | None = None, request_hash: str | None = None, session: Session | None = None,
    ) -> None:
        """Write one row: in ``session`` (the caller's transaction) when given, else through the
        group commit — either way it is committed (or the caller's transaction is) before this returns."""
        values = _values(actor, action, result, document_id, owner_code, doc_type, case_ref, purpose, request_hash)
        if session is not None:
            session.add(AccessLogRow(**values))
            return
        self.group.write(values)

    async def record_async(
        self, *, actor: Actor, action: str, result: str, document_id: str | None = None,
        owner_code: str | None = None, doc_type: str | None = None, case_ref: str | None = None,
        purpose: str | None = None, request_hash: str | None = None,
    ) -> None:
        """``record`` through the group commit, for a coroutine: returns once the row is committed."""
        await self.group.write_async(
            _values(actor, action, result, document_id, owner_code, doc_type, case_ref, purpose, request_hash))

    def close(self) -> None:
        self.group.close()

    def for_owner(
        self, owner_code: str, *, limit: int = 200, offset: int = 0, roles: Collection[str] | None = None,
        actions: Collection[str] | None = None, results: Collection[str] | None = None, keyed: bool = False,
    ) -> list[AccessEntry]:
        """The owner's rows, newest first; narrowed to actors of ``roles``, ``actions``, ``results`` and,
        with ``keyed``, to reads made with an API key (not the service's own workers)."""
        query = select(AccessLogRow).where(AccessLogRow.owner_code == owner_code)
        if roles is not None:
            query = query.where(AccessLogRow.actor_role.in_(list(roles)))
        if actions is not None:
            query = query.where(AccessLogRow.action.in_(list(actions)))
        if results is not None:
            query = query.where(AccessLogRow.result.in_(list(results)))
        if keyed:
            query = query.where(AccessLogRow.key_id.is_not(None))
        with self._sessions() as session:
            rows = session.scalars(
                query.order_by(AccessLogRow.at.desc(), AccessLogRow.id.desc()).limit(limit).offset(offset)
            )
            return [_entry(r) for r in rows]

    def for_document(self, document_id: str) -> list[AccessEntry]:
        with self._sessions() as session:
            rows = session.scalars(
                select(AccessLogRow).where(AccessLogRow.document_id == document_id)
                .order_by(AccessLogRow.at, AccessLogRow.id)
            )
            return [_entry(r) for r in rows]


def _values(
    actor: Actor, action: str, result: str, document_id: str | None, owner_code: str | None, doc_type: str | None,
    case_ref: str | None, purpose: str | None, request_hash: str | None,
) -> dict:
    return dict(
        at=datetime.now(timezone.utc), actor_name=actor.name[:128], actor_role=actor.role,
        key_id=actor.key_id, document_id=document_id, owner_code=owner_code, doc_type=doc_type,
        case_ref=(case_ref or None) and case_ref[:64], purpose=(purpose or None) and purpose[:255],
        action=action, result=result, request_hash=request_hash,
    )


def _entry(row: AccessLogRow) -> AccessEntry:
    at = as_utc(row.at)
    return AccessEntry(
        at=at, actor_name=row.actor_name, actor_role=row.actor_role, key_id=row.key_id,
        document_id=row.document_id, owner_code=row.owner_code, doc_type=row.doc_type,
        case_ref=row.case_ref, purpose=row.purpose, action=row.action, result=row.result,
        request_hash=row.request_hash,
    )
