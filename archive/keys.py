"""API keys: random secrets shown once, stored only as a SHA-256 hash, with role, scopes and expiry.

Verified keys are remembered for ``CACHE_SECONDS`` (1 s) in the process, keyed by the SHA-256 of
the whole presented key (never the plaintext), so a burst of requests costs one catalog read per
key per second. Expiry is checked on every use against the cached record; a revocation takes
effect at once in the process that revokes and within ``CACHE_SECONDS`` in every other process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.catalog.models import ApiKeyRow
from archive.errors import AuthenticationError, InvalidMetadataError
from archive.types import ROLES, ApiKeyRecord
from standards import as_utc

_PREFIX = "oo"
CACHE_SECONDS = 1.0
"""How long a verified key is believed without asking the catalog again (revocation delay elsewhere)."""
_CACHE_LIMIT = 4096


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _record(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id, name=row.name, role=row.role, scopes=tuple(json.loads(row.scopes)),
        created_at=as_utc(row.created_at), expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at), display_name=row.display_name, centre=row.centre,
        owner_code=row.owner_code,
    )


_CENTRE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_OWNER_CODE = re.compile(r"^[0-9A-Z]{15,18}$")


def _centre(centre: str | None) -> str | None:
    """A service centre id (``wz-lucheng``): lower-case letters, digits and dashes, or none."""
    text = (centre or "").strip().lower()
    if text and not _CENTRE.match(text):
        raise InvalidMetadataError("a centre id is lower-case letters, digits and dashes (wz-lucheng)",
                                   field="centre")
    return text or None


def _owner_code(role: str, owner_code: str | None) -> str | None:
    """An ``applicant`` key stands for exactly one owner; no other role is bound to one."""
    code = (owner_code or "").strip().upper()
    if role != "applicant":
        if code:
            raise InvalidMetadataError("only an applicant key is bound to an owner code", field="owner_code")
        return None
    if not _OWNER_CODE.match(code):
        raise InvalidMetadataError("an applicant key needs the owner's 统一社会信用代码 or 身份证号",
                                   field="owner_code")
    return code


def _display(name: str | None) -> str | None:
    text = " ".join((name or "").split())
    if len(text) > 100:
        raise InvalidMetadataError("a display name has at most 100 characters", field="display_name")
    return text or None


def _usable(record: ApiKeyRecord) -> None:
    if record.revoked_at is not None:
        raise AuthenticationError("API key revoked")
    if record.expires_at is not None and record.expires_at <= datetime.now(timezone.utc):
        raise AuthenticationError("API key expired")


class ApiKeys:
    def __init__(self, sessions: sessionmaker[Session], *, cache_seconds: float = CACHE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions = sessions
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, ApiKeyRecord]] = {}  # sha256(presented) -> (read at, record)
        self._lock = threading.Lock()

    def create(
        self, *, name: str, role: str, scopes: tuple[str, ...] = (), expires_in_days: int | None = None,
        display_name: str | None = None, centre: str | None = None, owner_code: str | None = None,
    ) -> tuple[str, ApiKeyRecord]:
        """Create a key; returns the plaintext (shown once) and its record.

        ``centre``: the service centre a clerk's or approver's key works for (their cases only);
        ``owner_code``: the citizen or company an ``applicant`` key stands for (required for it)."""
        if role not in ROLES:
            raise InvalidMetadataError(f"role must be one of {', '.join(ROLES)}", field="role")
        if not name.strip():
            raise InvalidMetadataError("a key needs a name", field="name")
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        now = datetime.now(timezone.utc)
        row = ApiKeyRow(
            id=key_id, name=name.strip()[:128], role=role, scopes=json.dumps(sorted(set(scopes))),
            display_name=_display(display_name), centre=_centre(centre), owner_code=_owner_code(role, owner_code),
            secret_hash=_hash(secret), created_at=now,
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        with self._sessions.begin() as session:
            session.add(row)
            record = _record(row)
        return f"{_PREFIX}_{key_id}_{secret}", record

    def authenticate(self, presented: str) -> ApiKeyRecord:
        """The key's record, or ``AuthenticationError`` (unknown, malformed, revoked, expired)."""
        record = self.cached(presented)
        if record is not None:
            return record
        parts = (presented or "").split("_", 2)
        if len(parts) != 3 or parts[0] != _PREFIX:
            raise AuthenticationError("malformed API key")
        with self._sessions() as session:
            row = session.get(ApiKeyRow, parts[1])
            if row is None or not hmac.compare_digest(row.secret_hash, _hash(parts[2])):
                raise AuthenticationError("unknown API key")
            record = _record(row)
        _usable(record)
        with self._lock:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[_hash(presented)] = (self._clock(), record)
        return record

    def cached(self, presented: str) -> ApiKeyRecord | None:
        """The record of a key verified less than ``CACHE_SECONDS`` ago (expiry checked now), or
        None: then ``authenticate`` must ask the catalog. Never blocks on the database."""
        if self._cache_seconds <= 0 or not presented:
            return None
        entry = self._cache.get(_hash(presented))
        if entry is None or self._clock() - entry[0] >= self._cache_seconds:
            return None
        _usable(entry[1])
        return entry[1]

    def _forget(self, key_id: str) -> None:
        with self._lock:
            for digest in [d for d, (_, r) in self._cache.items() if r.id == key_id]:
                del self._cache[digest]

    def revoke(self, key_id: str) -> None:
        self._change(key_id, revoked_at=datetime.now(timezone.utc))

    def set_display_name(self, key_id: str, display_name: str | None) -> ApiKeyRecord:
        """Name the key's holder as people read it (an empty name falls back to the key's name)."""
        return self._change(key_id, display_name=_display(display_name))

    def set_centre(self, key_id: str, centre: str | None) -> ApiKeyRecord:
        """Move a key to another service centre (an empty centre: none)."""
        return self._change(key_id, centre=_centre(centre))

    def _change(self, key_id: str, **columns: Any) -> ApiKeyRecord:
        """Set ``columns`` of one key; its cached record is dropped, so the change holds at once in
        this process (within ``CACHE_SECONDS`` in others)."""
        with self._sessions.begin() as session:
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise AuthenticationError("unknown API key")
            for name, value in columns.items():
                setattr(row, name, value)
            record = _record(row)
        self._forget(key_id)
        return record

    def list(self) -> list[ApiKeyRecord]:
        with self._sessions() as session:
            return [_record(r) for r in session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at))]
