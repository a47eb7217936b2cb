"""Hand-over links: the applicant downloads the signed e-licence with a token + owner-code suffix.

The token is 256 random bits, stored only as its SHA-256. Unknown, expired, revoked or used-up
links and a wrong suffix all give the *same* ``HandoverNotFoundError``; failures are counted per
client and per link in the database (so the limit holds across replicas) and too many give
``HandoverRateLimitedError``. Every download is an audited ``archive.read``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive import Actor, Archive, DocumentRecord
from intake.delivery.errors import DeliveryStateError, HandoverNotFoundError, HandoverRateLimitedError
from intake.delivery.models import HandoverFailureRow, HandoverLinkRow
from intake.delivery.ports import CaseGateway, IssuedDocuments
from intake.delivery.views import HandoverLink
from intake.errors import InvalidInputError
from standards import as_utc

SUFFIX_LENGTH = 6
HANDOVER_STATES = ("issued", "delivered")
APPLICANT = Actor(name="applicant (hand-over link)", role="applicant")


@dataclass(frozen=True)
class HandoverConfig:
    ttl_days: int = 30
    max_downloads: int = 5
    client_max_failures: int = 10
    token_max_failures: int = 10
    failure_window_seconds: int = 900


@dataclass(frozen=True)
class HandoverAccess:
    """What a verified applicant sees before downloading."""

    case_id: str
    documents: tuple[DocumentRecord, ...]
    expires_at: dt.datetime
    downloads_left: int


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _suffix_hash(token_hash: str, suffix: str) -> str:
    return _hash(f"{token_hash}:{suffix.strip().upper()}")




class HandoverService:
    def __init__(
        self, sessions: sessionmaker[Session], archive: Archive, cases: CaseGateway,
        issued: IssuedDocuments | None = None, config: HandoverConfig | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.sessions = sessions
        self.archive = archive
        self.cases = cases
        self.issued = issued
        self.config = config or HandoverConfig()
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    def clock(self) -> dt.datetime:
        """Now, in UTC (SQLite keeps no offset, so everything stored is UTC)."""
        return self._clock().astimezone(dt.timezone.utc)

    # -- the clerk makes a link ---------------------------------------------------------------------
    def create(
        self, case_id: str, *, actor: Actor, document_ids: list[str] | None = None,
        ttl_days: int | None = None, max_downloads: int | None = None,
    ) -> HandoverLink:
        case = self.cases.get(case_id)
        if case.state not in HANDOVER_STATES:
            raise DeliveryStateError(
                f"case {case_id} is {case.state}; a download link needs an issued case",
                message_zh="办件尚未发证，不能生成下载链接", state=case.state,
            )
        ids = list(document_ids) if document_ids else (
            self.issued.issued_document_ids(case_id) if self.issued else []
        )
        if not ids:
            raise InvalidInputError(
                "no issued document to hand over; give document_ids",
                message_zh="没有可交付的证照文件，请指定 document_ids",
            )
        for doc_id in ids:
            record = self.archive.lookup(doc_id)
            if record is None or record.owner_code != case.owner_code.strip().upper():
                raise InvalidInputError(
                    f"document {doc_id} does not exist or belongs to someone else",
                    message_zh=f"文件 {doc_id} 不存在或不属于该申请人", document_id=doc_id,
                )
        ttl = ttl_days if ttl_days is not None else self.config.ttl_days
        limit = max_downloads if max_downloads is not None else self.config.max_downloads
        if not 1 <= ttl <= 365 or not 1 <= limit <= 100:
            raise InvalidInputError("ttl_days must be 1-365 and max_downloads 1-100",
                                    message_zh="有效期须为 1-365 天，下载次数须为 1-100 次")
        token = secrets.token_urlsafe(32)
        token_hash = _hash(token)
        now = self.clock()
        expires = now + dt.timedelta(days=ttl)
        with self.sessions.begin() as session:
            session.add(HandoverLinkRow(
                token_hash=token_hash, case_id=case_id, document_ids=ids,
                suffix_hash=_suffix_hash(token_hash, case.owner_code[-SUFFIX_LENGTH:]),
                created_at=now, created_by=actor.name, expires_at=expires, max_downloads=limit,
                downloads=0,
            ))
        return HandoverLink(token, case_id, tuple(ids), expires, limit)

    def revoke_for_case(self, case_id: str, *, keep: str | None = None, only: str | None = None) -> int:
        """Revoke the case's live links (all, all but the token ``keep``, or just the token ``only``)."""
        query = update(HandoverLinkRow).where(HandoverLinkRow.case_id == case_id,
                                              HandoverLinkRow.revoked_at.is_(None))
        if keep is not None:
            query = query.where(HandoverLinkRow.token_hash != _hash(keep))
        if only is not None:
            query = query.where(HandoverLinkRow.token_hash == _hash(only))
        with self.sessions.begin() as session:
            return session.execute(query.values(revoked_at=self.clock())).rowcount

    # -- the applicant uses it ----------------------------------------------------------------------
    def open(self, token: str, suffix: str, *, client: str) -> HandoverAccess:
        row = self._verified(token, suffix, client)
        documents = tuple(  # metadata reads are audited too
            self.archive.get(d, actor=APPLICANT, case_ref=row.case_id, purpose="handover_view")
            for d in row.document_ids
        )
        return HandoverAccess(row.case_id, documents, as_utc(row.expires_at),
                              max(0, row.max_downloads - row.downloads))

    def download(
        self, token: str, suffix: str, *, client: str, document_id: str | None = None,
        request_hash: str | None = None,
    ) -> tuple[DocumentRecord, bytes]:
        row = self._verified(token, suffix, client)
        doc_id = document_id or row.document_ids[0]
        if doc_id not in row.document_ids:
            raise self._fail(client, row.token_hash)
        with self.sessions.begin() as session:  # count first, atomically: the limit cannot be raced
            taken = session.execute(
                update(HandoverLinkRow)
                .where(HandoverLinkRow.token_hash == row.token_hash,
                       HandoverLinkRow.downloads < HandoverLinkRow.max_downloads)
                .values(downloads=HandoverLinkRow.downloads + 1)
            ).rowcount
        if not taken:
            raise self._fail(client, row.token_hash)
        try:
            data = self.archive.read(doc_id, actor=APPLICANT, case_ref=row.case_id,
                                     purpose="handover_download", request_hash=request_hash)
        except Exception:
            with self.sessions.begin() as session:  # the applicant got nothing: give the try back
                session.execute(update(HandoverLinkRow).where(HandoverLinkRow.token_hash == row.token_hash)
                                .values(downloads=HandoverLinkRow.downloads - 1))
            raise
        self._mark_delivered(row.case_id)
        record = self.archive.lookup(doc_id)
        assert record is not None
        return record, data

    def _mark_delivered(self, case_id: str) -> None:
        case = self.cases.get(case_id)
        if case.state == "issued":
            self.cases.transition(case_id, "delivered", APPLICANT, "applicant downloaded via hand-over link")

    # -- checks and rate limiting -----------------------------------------------------------------
    def _verified(self, token: str, suffix: str, client: str) -> HandoverLinkRow:
        now = self.clock()
        since = now - dt.timedelta(seconds=self.config.failure_window_seconds)
        client_subject = f"client:{client}"[:100]
        with self.sessions() as session:
            failures = session.scalar(select(func.count()).select_from(HandoverFailureRow).where(
                HandoverFailureRow.subject == client_subject, HandoverFailureRow.at >= since))
            if failures >= self.config.client_max_failures:
                raise HandoverRateLimitedError(
                    "too many failed attempts from this client", retry_after=self.config.failure_window_seconds)
            token_hash = _hash(token) if 16 <= len(token) <= 128 else ""
            row = session.get(HandoverLinkRow, token_hash) if token_hash else None
            if row is not None:
                session.expunge(row)
        if row is None:
            raise self._fail(client, None)
        token_failures = self._count(f"token:{row.token_hash[:32]}", None)
        valid = (
            row.revoked_at is None
            and as_utc(row.expires_at) > now
            and row.downloads < row.max_downloads
            and token_failures < self.config.token_max_failures
            and hmac.compare_digest(row.suffix_hash, _suffix_hash(row.token_hash, suffix or ""))
        )
        if not valid:
            raise self._fail(client, row.token_hash)
        return row

    def _count(self, subject: str, since: dt.datetime | None) -> int:
        with self.sessions() as session:
            query = select(func.count()).select_from(HandoverFailureRow).where(HandoverFailureRow.subject == subject)
            if since is not None:
                query = query.where(HandoverFailureRow.at >= since)
            return session.scalar(query) or 0

    def _fail(self, client: str, token_hash: str | None) -> HandoverNotFoundError:
        now = self.clock()
        with self.sessions.begin() as session:
            session.execute(delete(HandoverFailureRow).where(
                HandoverFailureRow.subject.like("client:%"),
                HandoverFailureRow.at < now - dt.timedelta(seconds=self.config.failure_window_seconds)))
            session.add(HandoverFailureRow(subject=f"client:{client}"[:100], at=now))
            if token_hash:
                session.add(HandoverFailureRow(subject=f"token:{token_hash[:32]}", at=now))
        return HandoverNotFoundError("hand-over link not found")
