"""Notices to applicants: numbered per department and year, rendered by certgen, archived, signed.

Two kinds: ``correction`` (一次性告知书 / 补正材料通知书: every missing material at once) and
``deficiency`` (容缺受理通知书: the secondary materials still owed, with a deadline).

Numbers look like ``温市监补字〔2026〕第0007号``; one counter per department and year, shared by
both kinds, so numbers never repeat. A number is taken in its own short transaction before the PDF
is rendered (the archive writes in its own transaction); if rendering or archiving then fails the
number is skipped, never reused. Until a signer is configured (``certgen`` PAdES signing), every
notice is printed with a clear "unsigned" mark.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, ForeignKey, Integer, String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from archive import Actor, Archive
from certgen.notices import NoticeData, NoticeItem, SealSpot, render_notice_layout
from intake.db import IntakeBase
from intake.errors import NoticeNotFoundError
from intake.matters import Department, Material, Matter
from standards import as_utc

__all__ = ["NoticeService", "NoticeView", "PreparedNotice", "NoticeSigner", "NOTICE_DOC_TYPES", "NoticeRow"]

NoticeSigner = Callable[[bytes, Sequence[SealSpot], str], bytes]
"""``(pdf, seal spots, department name) -> signed pdf``: PAdES with the visible e-seal at each spot."""

NoticeKind = Literal["correction", "deficiency"]
NOTICE_DOC_TYPES = {"correction": "notice_correction", "deficiency": "notice_deficiency"}
_NUMBER_WORD = {"correction": "补", "deficiency": "容"}


class NoticeRow(IntakeBase):
    __tablename__ = "intake_notices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("intake_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(80), unique=True)
    department_id: Mapped[str] = mapped_column(String(80))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    doc_id: Mapped[str] = mapped_column(String(64))
    items: Mapped[list] = mapped_column(JSON)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    actor_name: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class NoticeCounterRow(IntakeBase):
    """The last notice number used per department and year."""

    __tablename__ = "intake_notice_counters"

    department_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class NoticeView:
    id: str
    case_id: str
    kind: NoticeKind
    number: str
    doc_id: str
    items: tuple[dict[str, str], ...]
    """``{"material_id", "name", "kind", "standard"}`` for every material listed."""
    deadline: dt.date | None
    signed: bool
    issued_at: dt.datetime


@dataclass(frozen=True)
class PreparedNotice:
    """A rendered, archived notice whose row is written with the case's transition."""

    id: str
    case_id: str
    kind: str
    number: str
    department_id: str
    year: int
    seq: int
    doc_id: str
    items: tuple[dict, ...]
    deadline: dt.date | None
    signed: bool
    actor_name: str
    issued_at: dt.datetime

    def row(self) -> NoticeRow:
        return NoticeRow(
            id=self.id, case_id=self.case_id, kind=self.kind, number=self.number,
            department_id=self.department_id, year=self.year, seq=self.seq, doc_id=self.doc_id,
            items=list(self.items), deadline=self.deadline, signed=self.signed, actor_name=self.actor_name,
            issued_at=self.issued_at,
        )


class NoticeService:
    def __init__(self, engine: Engine, archive: Archive, *, signer: NoticeSigner | None = None,
                 signs_for: Callable[[Department], bool] | None = None) -> None:
        self.archive = archive
        self.signer = signer
        self.signs_for = signs_for or (lambda _department: True)
        """Whether ``signer`` holds the seal of a department: never seal a notice with another body's."""
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    def next_number(self, matter: Matter, kind: str, year: int) -> tuple[str, int]:
        """Take the next number of the matter's department for ``year`` (never reused)."""
        department = matter.department.id
        for _ in range(3):
            try:
                with self.sessions.begin() as session:
                    result = session.execute(
                        update(NoticeCounterRow)
                        .where(NoticeCounterRow.department_id == department, NoticeCounterRow.year == year)
                        .values(last_seq=NoticeCounterRow.last_seq + 1)
                    )
                    if result.rowcount == 0:
                        session.add(NoticeCounterRow(department_id=department, year=year, last_seq=1))
                        session.flush()
                    seq = session.scalars(select(NoticeCounterRow.last_seq).where(
                        NoticeCounterRow.department_id == department, NoticeCounterRow.year == year)).one()
                break
            except IntegrityError:  # another request created the counter first: count again
                continue
        else:  # pragma: no cover - three concurrent first numbers of a year
            raise RuntimeError("could not allocate a notice number")
        word = _NUMBER_WORD[kind]
        return f"{matter.department.short}{word}字〔{year}〕第{seq:04d}号", seq

    def prepare(
        self,
        *,
        kind: str,
        case_id: str,
        matter: Matter,
        applicant_name: str,
        owner_code: str,
        owner_code_type: str,
        contact_phone: str,
        applied_on: dt.date,
        issued_on: dt.date,
        officer_name: str,
        officer_phone: str,
        materials: Sequence[Material],
        deadline: dt.date | None,
        actor: Actor,
        now: dt.datetime,
    ) -> PreparedNotice:
        """Number, render, sign (when a signer is configured) and archive a notice."""
        number, seq = self.next_number(matter, kind, issued_on.year)
        signer = self.signer if self.signer is not None and self.signs_for(matter.department) else None
        items = tuple(
            {"material_id": m.id, "name": m.name, "kind": m.kind, "standard": m.standard} for m in materials
        )
        data = NoticeData(
            kind=kind,  # type: ignore[arg-type]
            number=number, department_name=matter.department.name, applicant_name=applicant_name or owner_code,
            owner_code=owner_code, contact_phone=contact_phone, matter_name=matter.name, case_id=case_id,
            applied_on=applied_on, issued_on=issued_on, officer_name=officer_name,
            officer_phone=officer_phone or matter.department.phone, legal_basis=matter.legal_basis,
            items=tuple(NoticeItem(m.name, m.standard, m.kind) for m in materials),
            department_address=matter.department.address, department_phone=matter.department.phone,
            deadline=deadline, supplement_methods=matter.deficiency.methods,
            consequence=matter.deficiency.consequence, committed_days=matter.time_limits.committed_days,
            will_be_signed=signer is not None,
        )
        pdf, spots = render_notice_layout(data)
        if signer is not None:
            pdf = signer(pdf, spots, matter.department.name)
        stored = self.archive.ingest(
            pdf, owner_code=owner_code, owner_code_type=owner_code_type, doc_type=NOTICE_DOC_TYPES[kind],
            actor=actor, filename=f"{number}.pdf", case_ref=case_id,
        )
        return PreparedNotice(
            id=secrets.token_hex(8), case_id=case_id, kind=kind, number=number, department_id=matter.department.id,
            year=issued_on.year, seq=seq, doc_id=stored.record.id, items=items, deadline=deadline,
            signed=signer is not None, actor_name=actor.name, issued_at=now,
        )

    def for_case(self, case_id: str) -> list[NoticeView]:
        with self.sessions() as session:
            rows = session.scalars(select(NoticeRow).where(NoticeRow.case_id == case_id).order_by(NoticeRow.seq))
            return [_view(r) for r in rows]

    def get(self, notice_id: str) -> NoticeView | None:
        with self.sessions() as session:
            row = session.get(NoticeRow, notice_id)
            return _view(row) if row else None

    def pdf_for_case(self, case_id: str, notice_id: str, *, actor: Actor) -> tuple[NoticeView, bytes]:
        """The archived PDF of a case's notice (the read is audited as printing that notice)."""
        notice = self.get(notice_id)
        if notice is None or notice.case_id != case_id:
            raise NoticeNotFoundError(f"case {case_id} has no notice {notice_id}", notice=notice_id)
        pdf = self.archive.read(notice.doc_id, actor=actor, case_ref=case_id, purpose=f"打印告知书 {notice.number}")
        return notice, pdf


def _view(row: NoticeRow) -> NoticeView:
    issued = as_utc(row.issued_at)
    return NoticeView(
        id=row.id, case_id=row.case_id, kind=row.kind, number=row.number, doc_id=row.doc_id,
        items=tuple(row.items or ()), deadline=row.deadline, signed=row.signed, issued_at=issued,
    )
