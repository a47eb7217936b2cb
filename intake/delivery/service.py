"""The delivery workflow: method and address per case, parcels with waybills, scans, dispatch lists."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from archive import Actor
from certgen.labels import LabelData, Party, ZplOptions, render_labels_pdf, render_labels_zpl
from certgen.waybill import parse_scheme
from intake.delivery.errors import DeliveryStateError, ParcelNotFoundError
from intake.delivery.handover import HandoverService
from intake.delivery.models import DeliveryOrderRow, ParcelRow, ScanRow
from intake.delivery.ports import CaseGateway
from intake.delivery.senders import Sender, choose_sender
from intake.delivery.views import (
    ACTIVE_PARCEL_STATES, METHODS, DeliveryOrder, HandoverLink, Parcel, ScanResult, scan_outcome,
)
from intake.delivery.waybills import allocate_waybill
from intake.errors import InvalidInputError
from standards import CHINA_TZ, as_utc
from standards import aware as aware_in

_PHONE = re.compile(r"^\+?[\d\s\-()]{6,24}$")
CLOSED_STATES = ("delivered", "rejected", "withdrawn")
LOCAL_TZ = CHINA_TZ
"""Dispatch days are local (China) dates."""


@dataclass(frozen=True)
class DeliveryConfig:
    waybill_scheme: str = "s10:EA:CN"
    carrier: str = "中国邮政 EMS"
    sender: Sender = Sender()
    """Fallback sender, for a department the catalog gives no address (see ``senders.choose_sender``)."""
    senders: Mapping[str, Sender] = field(default_factory=dict)
    """Senders by department id, overriding what the catalog says."""
    contents: tuple[str, ...] = ("行政许可决定书", "许可证正本")
    label_size: str = "100x150"
    zpl: ZplOptions = ZplOptions()


@dataclass(frozen=True)
class Recipient:
    name: str
    phone: str
    address: str


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are UTC; SQLite hands them back without an offset."""
    return as_utc(value)


def _parcel(row: ParcelRow) -> Parcel:
    return Parcel(
        waybill=row.waybill, case_id=row.case_id, dispatch_date=row.dispatch_date, state=row.state,
        recipient_name=row.recipient_name, recipient_phone=row.recipient_phone, address=row.address,
        contents=tuple(row.contents), created_at=aware(row.created_at),  # type: ignore[arg-type]
        picked_up_at=aware(row.picked_up_at), picked_up_by=row.picked_up_by,
        delivered_at=aware(row.delivered_at), delivered_by=row.delivered_by,
        returned_at=aware(row.returned_at), returned_by=row.returned_by, return_reason=row.return_reason,
        resolved_at=aware(row.resolved_at),
    )


def validate_recipient(name: str | None, phone: str | None, address: str | None) -> Recipient:
    """A courier recipient needs a name, a phone number and a full address (422 otherwise)."""
    problems = []
    if not name or not name.strip() or len(name) > 200:
        problems.append(("name", "收件人姓名"))
    if not phone or not _PHONE.match(phone.strip()) or sum(c.isdigit() for c in phone) < 6:
        problems.append(("phone", "收件人电话"))
    if not address or len(address.strip()) < 6 or len(address) > 300:
        problems.append(("address", "详细地址"))
    if problems:
        raise InvalidInputError(
            "recipient " + ", ".join(p for p, _ in problems) + " missing or invalid",
            message_zh="、".join(z for _, z in problems) + " 缺失或无效",
            fields=[f"recipient.{p}" for p, _ in problems],
        )
    return Recipient(name.strip(), phone.strip(), address.strip())  # type: ignore[union-attr]


class DeliveryService:
    def __init__(
        self, sessions: sessionmaker[Session], cases: CaseGateway, handover: HandoverService,
        config: DeliveryConfig | None = None, clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.sessions = sessions
        self.cases = cases
        self.handover = handover
        self.config = config or DeliveryConfig()
        self.scheme = parse_scheme(self.config.waybill_scheme)
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    def clock(self) -> dt.datetime:
        """Now, in UTC (SQLite keeps no offset, so everything stored is UTC)."""
        return self._clock().astimezone(dt.timezone.utc)

    # -- the clerk ------------------------------------------------------------------------------------
    def today(self) -> dt.date:
        """The local (China) date: dispatch days are local."""
        return self.clock().astimezone(LOCAL_TZ).date()

    def set_delivery(
        self, case_id: str, method: str, *, actor: Actor, recipient: Recipient | None = None,
        contents: tuple[str, ...] | None = None, dispatch_date: dt.date | None = None,
        document_ids: list[str] | None = None,
    ) -> DeliveryOrder:
        """Record how the case's results reach the applicant; make the parcel or link when issued."""
        if method not in METHODS:
            raise InvalidInputError(f"method must be one of {', '.join(METHODS)}",
                                    message_zh="送达方式须为 pickup（自取）、download（下载）或 courier（快递）")
        case = self.cases.get(case_id)
        if case.state in CLOSED_STATES:
            raise DeliveryStateError(f"case {case_id} is {case.state}", state=case.state)
        if method == "courier":
            given = recipient or Recipient("", "", "")
            recipient = validate_recipient(given.name or case.applicant_name,
                                           given.phone or case.contact_phone, given.address)
        items = tuple(c.strip() for c in (contents or self.config.contents) if c and c.strip())
        if not items or any(len(c) > 60 for c in items) or len(items) > 10:
            raise InvalidInputError("contents must be 1-10 short items", message_zh="内件须为 1-10 项")
        now = self.clock()
        link: HandoverLink | None = None
        if method == "download" and case.state == "issued":  # checks the documents before any write
            link = self.handover.create(case_id, actor=actor, document_ids=document_ids)
        try:
            self._save(case_id, method, actor, recipient, items, dispatch_date, case.state, now)
        except Exception:
            if link is not None:
                self.handover.revoke_for_case(case_id, only=link.token)
            raise
        self.handover.revoke_for_case(case_id, keep=link.token if link else None)  # one live link at most
        order = self.get(case_id, handover=link)
        assert order is not None
        return order

    def _save(
        self, case_id: str, method: str, actor: Actor, recipient: Recipient | None, items: tuple[str, ...],
        dispatch_date: dt.date | None, case_state: str, now: dt.datetime,
    ) -> None:
        with self.sessions.begin() as session:
            row = session.get(DeliveryOrderRow, case_id)
            if row is None:
                row = DeliveryOrderRow(case_id=case_id, created_at=now)
                session.add(row)
            row.method, row.contents, row.updated_by, row.updated_at = method, list(items), actor.name, now
            row.recipient_name = recipient.name if recipient else None
            row.recipient_phone = recipient.phone if recipient else None
            row.address = recipient.address if recipient else None
            self._resolve_returns(session, case_id, now)
            active = session.scalars(select(ParcelRow).where(
                ParcelRow.case_id == case_id, ParcelRow.state.in_(ACTIVE_PARCEL_STATES))).all()
            if any(p.state == "picked_up" for p in active):
                raise DeliveryStateError("the parcel is already on its way; wait for delivery or return",
                                         message_zh="快件已揽收，须等待妥投或退回后再更改")
            for parcel in active:  # not yet picked up: the old label is withdrawn, its number retired
                parcel.state, parcel.return_reason, parcel.resolved_at = "returned", "cancelled by clerk", now
            if method == "courier" and case_state == "issued" and recipient is not None:
                session.add(ParcelRow(
                    waybill=allocate_waybill(session, self.scheme), case_id=case_id,
                    dispatch_date=dispatch_date or now.astimezone(LOCAL_TZ).date(), state="ready",
                    recipient_name=recipient.name, recipient_phone=recipient.phone, address=recipient.address,
                    contents=list(items), created_at=now, created_by=actor.name,
                ))

    def get(self, case_id: str, *, handover: HandoverLink | None = None) -> DeliveryOrder | None:
        with self.sessions() as session:
            row = session.get(DeliveryOrderRow, case_id)
            if row is None:
                return None
            parcels = session.scalars(select(ParcelRow).where(ParcelRow.case_id == case_id)
                                      .order_by(ParcelRow.id)).all()
            return DeliveryOrder(
                case_id=row.case_id, method=row.method, recipient_name=row.recipient_name,
                recipient_phone=row.recipient_phone, address=row.address, contents=tuple(row.contents),
                updated_by=row.updated_by, updated_at=aware(row.updated_at),  # type: ignore[arg-type]
                parcels=tuple(_parcel(p) for p in parcels), handover=handover,
            )

    def clerk_queue(self) -> list[Parcel]:
        """Returned parcels no clerk has handled yet (choosing a delivery again handles them)."""
        with self.sessions() as session:
            rows = session.scalars(select(ParcelRow).where(
                ParcelRow.state == "returned", ParcelRow.resolved_at.is_(None)).order_by(ParcelRow.returned_at))
            return [_parcel(r) for r in rows]

    def _resolve_returns(self, session: Session, case_id: str, now: dt.datetime) -> None:
        session.execute(update(ParcelRow).where(
            ParcelRow.case_id == case_id, ParcelRow.state == "returned", ParcelRow.resolved_at.is_(None)
        ).values(resolved_at=now))

    # -- the courier ----------------------------------------------------------------------------------
    def parcels(self, *, day: dt.date | None = None, state: str | None = None, limit: int = 500) -> list[Parcel]:
        query = select(ParcelRow).order_by(ParcelRow.id).limit(limit)
        if day is not None:
            query = query.where(ParcelRow.dispatch_date == day)
        if state is not None:
            query = query.where(ParcelRow.state == state)
        with self.sessions() as session:
            return [_parcel(r) for r in session.scalars(query)]

    def parcel(self, waybill: str) -> Parcel:
        """One parcel by its waybill number (422 on a malformed number, 404 when unknown)."""
        number = self.scheme.validate(waybill)
        with self.sessions() as session:
            row = session.scalar(select(ParcelRow).where(ParcelRow.waybill == number))
            if row is None:
                raise ParcelNotFoundError(f"no parcel with waybill {number}", waybill=number)
            return _parcel(row)

    def dispatch_list(self, day: dt.date) -> list[Parcel]:
        """Parcels to hand to the courier that day (returned or cancelled ones are not printed)."""
        return [p for p in self.parcels(day=day) if p.state != "returned"]

    def label_data(self, parcel: Parcel) -> LabelData:
        matter = self.cases.matter_of(self.cases.get(parcel.case_id))
        sender = choose_sender(matter.department, self.config.senders, self.config.sender)
        return LabelData(
            waybill=parcel.waybill, sender=Party(sender.name, sender.phone, sender.address),
            recipient=Party(parcel.recipient_name, parcel.recipient_phone, parcel.address),
            contents=parcel.contents, case_ref=parcel.case_id, carrier=self.config.carrier,
            date=parcel.dispatch_date.isoformat(),
        )

    def labels_pdf(self, parcels: list[Parcel], size: str | None = None) -> bytes:
        return render_labels_pdf([self.label_data(p) for p in parcels], size or self.config.label_size)

    def labels_zpl(self, parcels: list[Parcel], size: str | None = None) -> str:
        return render_labels_zpl([self.label_data(p) for p in parcels], size or self.config.label_size,
                                 self.config.zpl)

    def _scan_time(self, at: dt.datetime | None) -> dt.datetime:
        """The scan's time in UTC: a naive time is local (China); the future is refused."""
        now = self.clock()
        if at is None:
            return now
        when = aware_in(at, LOCAL_TZ).astimezone(dt.timezone.utc)
        if when > now + dt.timedelta(minutes=10):
            raise InvalidInputError(f"scan time {at.isoformat()} is in the future",
                                    message_zh="扫描时间晚于当前时间")
        return when

    def scan(
        self, waybill: str, event: str, *, actor: Actor, at: dt.datetime | None = None, note: str | None = None,
    ) -> ScanResult:
        """Record a courier's scan. Repeats change nothing; ``delivered`` moves the case to delivered."""
        current = self.parcel(waybill)  # 422 on a bad check digit before any lookup, then 404
        number = current.waybill
        when = self._scan_time(at)
        target = scan_outcome(current.state, event)
        if target == "delivered":
            case = self.cases.get(current.case_id)
            if case.state == "issued":
                self.cases.transition(current.case_id, "delivered", actor, f"courier scan {number}")
        with self.sessions.begin() as session:
            session.add(ScanRow(waybill=number, event=event, at=when, courier=actor.name, key_id=actor.key_id,
                                effective=target is not None, note=(note or None) and note[:500]))
            if target is not None:
                values: dict[str, object] = {"state": target}
                if target in ("picked_up", "delivered") and current.picked_up_at is None:
                    values |= {"picked_up_at": when, "picked_up_by": actor.name}
                if target == "delivered":
                    values |= {"delivered_at": when, "delivered_by": actor.name}
                if target == "returned":
                    values |= {"returned_at": when, "returned_by": actor.name, "return_reason": note}
                changed = session.execute(update(ParcelRow).where(
                    ParcelRow.waybill == number, ParcelRow.state == current.state).values(**values)).rowcount
                if not changed:  # a concurrent scan got there first: report the state it left
                    target = None
            row = session.scalar(select(ParcelRow).where(ParcelRow.waybill == number))
            assert row is not None
            return ScanResult(_parcel(row), event, target is not None)
