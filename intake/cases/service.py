"""The case service: open a case, look it up, move it through its states, collect its materials.

Every state change goes through :meth:`CaseService.transition`, which checks the state machine
(``states.py``), records who, when and why, and keeps the dates the metrics need.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import ColumnElement, Engine, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from archive import CHECKS_KIND, Actor, Archive, DocumentFailedCheckError, read_sessions
from intake.cases.assemble import case_view
from intake.cases.matching import check_accepts, choose_material, document_types
from intake.cases.states import FINISHED, check_transition
from intake.cases.tables import CaseMaterialRow, CaseRow, FieldInputRow, TransitionRow
from intake.cases.views import CaseView
from intake.decision import OPEN, SATISFIED
from intake.errors import (
    CaseNotFoundError,
    IllegalTransitionError,
    InvalidInputError,
    UnknownMaterialError,
)
from intake.matters import Catalog, Matter
from intake.cases.owner_code import check_owner_code as _check_owner_code
from intake.ocr_results import DERIVED_KIND, read_ocr
from intake.reuse import LICENCE_TYPE, find_reuse, ocr_values
from intake.workdays import WorkCalendar
from ocr import normalise_code
from standards import CHINA_TZ
from standards.like import LIKE_ESCAPE, like_contains

__all__ = ["CaseService", "CHINA_TZ", "new_case_id"]

_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_case_id(today: dt.date) -> str:
    """``BJ`` + date + 8 random characters, e.g. ``BJ20261122K3F9Q2XA`` (readable, unguessable)."""
    return f"BJ{today:%Y%m%d}" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class CaseService:
    """Cases (办件) of every matter in ``catalog``."""

    def __init__(
        self,
        engine: Engine,
        catalog: Catalog,
        archive: Archive,
        calendar: WorkCalendar,
        *,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.engine = engine
        self.catalog = catalog
        self.archive = archive
        self.calendar = calendar
        self.clock = clock
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        self.reads: sessionmaker[Session] = read_sessions(engine)
        """Sessions for reads only: no BEGIN/ROLLBACK round trips on PostgreSQL (``archive.read_sessions``)."""

    # -- time -----------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """Today in China (time limits are counted in local working days)."""
        return self.clock().astimezone(CHINA_TZ).date()

    # -- create / read --------------------------------------------------------------------------
    def create(
        self,
        *,
        matter_id: str,
        owner_code: str,
        actor: Actor,
        owner_code_type: str | None = None,
        applicant_name: str = "",
        contact_phone: str = "",
        officer_phone: str = "",
        visits: int = 1,
        centre: str | None = None,
    ) -> CaseView:
        """Open a case (at the service ``centre`` of the clerk) and mark every material the archive
        already satisfies as *reused*.

        An owner code whose check character is wrong is accepted with ``owner_code_warning`` set
        (some registered codes fail the check); one that is not a code at all is refused.
        """
        matter = self.catalog.get(matter_id)
        code, code_type, warning = _check_owner_code(owner_code, owner_code_type)
        if visits < 0:
            raise InvalidInputError("visits must not be negative", message_zh="跑动次数不能为负数")
        now, today = self.now(), self.today()
        case_id = new_case_id(today)
        reuse = find_reuse(self.archive, matter, code, today)
        reused = reuse.found
        # audit first: a reuse the log does not show must never happen (a logged reuse of a case
        # that then failed to save is the lesser evil, and names a case id that does not exist)
        for match in reused.values():
            self.archive.record_access(
                match.doc_id, actor=actor, case_ref=case_id,
                purpose=f"一证通办：复用于办件 {case_id}（{matter.name}）", action="reuse",
            )
        with self.sessions.begin() as session:
            row = CaseRow(
                id=case_id, matter_id=matter.id, department_id=matter.department.id, owner_code=code,
                owner_code_type=code_type, owner_code_valid=warning is None, owner_code_warning=warning,
                applicant_name=applicant_name.strip(), contact_phone=contact_phone.strip(), state="created",
                centre=centre, received_on=today, visits=visits, officer_name=actor.name, officer_phone=officer_phone.strip(),
                created_at=now, updated_at=now,
            )
            session.add(row)
            session.flush()
            self._record(session, row, None, "created", actor, "opened at the window")
            for material in matter.materials:
                match = reused.get(material.id)
                session.add(CaseMaterialRow(
                    case_id=case_id, material_id=material.id, status="reused" if match else "missing",
                    doc_id=match.doc_id if match else None, reused_from_case=match.first_case if match else None,
                    rejected_doc_ids=[], note=reuse.skipped.get(material.id, ""), updated_at=now,
                ))
            self.move(session, row, "collecting", actor, f"reuse check done: {len(reused)} material(s) reused")
        return self.get(case_id)

    def get(self, case_id: str) -> CaseView:
        with self.reads() as session:
            return self._views(session, [self._row(session, case_id)])[0]

    def list(
        self,
        *,
        state: str | None = None,
        matter_id: str | None = None,
        department_id: str | None = None,
        owner_code: str | None = None,
        overdue_on: dt.date | None = None,
        received_from: dt.date | None = None,
        received_to: dt.date | None = None,
        text: str | None = None,
        limit: int = 50,
        offset: int = 0,
        within: ColumnElement[bool] | None = None,
    ) -> list[CaseView]:
        """Cases matching every given filter, newest first; ``within``: the caller's reach
        (``intake.cases.centres.CaseReach``: their centre's cases and the 全城通办 ones they may take).

        ``overdue_on``: only cases accepted with a deficiency whose supplement deadline is before
        that day (the overdue-supplement list). ``received_from``/``received_to``: the day received
        (收件日期, both inclusive). ``text``: part of the applicant's name or of the case number.
        """
        query = select(CaseRow) if within is None else select(CaseRow).where(within)
        if state:
            query = query.where(CaseRow.state == state)
        if matter_id:
            query = query.where(CaseRow.matter_id == matter_id)
        if department_id:
            query = query.where(CaseRow.department_id == department_id)
        if owner_code:
            query = query.where(CaseRow.owner_code == normalise_code(owner_code))
        if overdue_on is not None:
            query = query.where(
                CaseRow.state == "accepted_with_deficiency", CaseRow.supplement_deadline < overdue_on
            )
        if received_from is not None:
            query = query.where(CaseRow.received_on >= received_from)
        if received_to is not None:
            query = query.where(CaseRow.received_on <= received_to)
        if text and text.strip():
            pattern = like_contains(text.strip())
            query = query.where(or_(CaseRow.applicant_name.ilike(pattern, escape=LIKE_ESCAPE),
                                    CaseRow.id.ilike(pattern, escape=LIKE_ESCAPE)))
        query = query.order_by(CaseRow.created_at.desc(), CaseRow.id).limit(max(1, min(limit, 500))).offset(max(0, offset))
        with self.sessions() as session:
            return self._views(session, list(session.scalars(query)))

    def matter_of(self, case: CaseView) -> Matter:
        return self.catalog.get(case.matter_id)

    # -- transitions ----------------------------------------------------------------------------
    def transition(self, case_id: str, to_state: str, actor: Actor, reason: str = "") -> CaseView:
        """Move the case to ``to_state`` (409 when the state machine does not allow it)."""
        with self.locked(case_id) as (session, row):
            self.move(session, row, to_state, actor, reason)
        return self.get(case_id)

    def check(self, case: CaseView, to_state: str, actor: Actor) -> None:
        """Raise now if ``case`` could not move to ``to_state`` (before doing slow work for it)."""
        check_transition(case.state, to_state, actor.role)

    @contextmanager
    def locked(self, case_id: str) -> Iterator[tuple[Session, CaseRow]]:
        """A transaction holding the case row locked, so two clerks cannot both move one case.

        PostgreSQL: ``SELECT … FOR UPDATE``. SQLite ignores that, so a no-op ``UPDATE`` of the row
        comes first: it takes the database's write lock before the state is read.
        """
        with self.sessions.begin() as session:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(update(CaseRow).where(CaseRow.id == case_id).values(updated_at=CaseRow.updated_at))
            row = self._row(session, case_id, lock=True)
            yield session, row

    def move(self, session: Session, row: CaseRow, to_state: str, actor: Actor, reason: str) -> None:
        """Change the state of a locked row inside the caller's transaction (see :meth:`locked`)."""
        check_transition(row.state, to_state, actor.role)
        now = self.now()
        previous, row.state, row.updated_at = row.state, to_state, now
        if to_state in ("accepted", "accepted_with_deficiency") and row.accepted_on is None:
            row.accepted_on = self.today()
            matter = self.catalog.get(row.matter_id)
            row.committed_due = self.calendar.add_workdays(row.accepted_on, matter.time_limits.committed_days)
        if to_state == "accepted":
            row.supplement_deadline = None
        if to_state in FINISHED and row.completed_at is None:
            row.completed_at = now
        self._record(session, row, previous, to_state, actor, reason)

    def _record(self, session: Session, row: CaseRow, from_state: str | None, to_state: str, actor: Actor, reason: str) -> None:
        session.add(TransitionRow(
            case_id=row.id, from_state=from_state, to_state=to_state, actor_name=actor.name,
            actor_role=actor.role, key_id=actor.key_id, reason=reason or "", at=self.now(),
        ))

    # -- materials ------------------------------------------------------------------------------
    def attach_document(self, case_id: str, material_id: str | None, doc_id: str, actor: Actor) -> CaseView:
        """Attach an archived document to a material (422 unless the material accepts its type).

        Without ``material_id`` the document goes to the first still-missing material its type fits.
        """
        case = self.get(case_id)
        matter = self.catalog.get(case.matter_id)
        material = None
        if material_id is not None:
            material = matter.material(material_id)
            if material is None:
                raise UnknownMaterialError(
                    f"matter '{matter.id}' has no material '{material_id}'",
                    message_zh=f"事项“{matter.name}”无材料 '{material_id}'", material=material_id,
                )
        purpose = f"收取材料：{material.name}" if material else "收取材料"
        record = self.archive.get(doc_id, actor=actor, case_ref=case_id, purpose=purpose)
        if self.archive.failed_recheck(doc_id):
            raise DocumentFailedCheckError(f"document {doc_id} failed its last archive re-check", document=doc_id)
        if record.owner_code != case.owner_code:
            raise InvalidInputError(
                f"document {doc_id} belongs to another applicant",
                message_zh="该文件不属于本办件申请人", document=doc_id,
            )
        types = document_types(record, read_ocr(self.archive, doc_id))
        # the OCR fields are read into the case form: that is a read of the owner's data too
        self.archive.record_access(doc_id, actor=actor, case_ref=case_id, purpose=f"{purpose}：识别结果填入表单",
                                   action="read_ocr")
        if material is None:
            material = choose_material(matter, case, types)
        check_accepts(material, types)
        with self.locked(case_id) as (session, row):
            if row.state in FINISHED:
                raise _finished(row.state)
            mat = self._material_row(session, case_id, material.id)
            mat.status, mat.doc_id, mat.reused_from_case, mat.updated_at = "provided", doc_id, None, self.now()
            mat.note = f"attached by {actor.name}"
        return self.get(case_id)

    def reject_material(self, case_id: str, material_id: str, actor: Actor, reason: str) -> CaseView:
        """The clerk refuses the document given or reused for a material: it is asked for again."""
        if not reason.strip():
            raise InvalidInputError("a reason is required", message_zh="请填写退回原因")
        with self.locked(case_id) as (session, row):
            if row.state in FINISHED:
                raise _finished(row.state)
            mat = self._material_row(session, case_id, material_id)
            if mat.doc_id:
                mat.rejected_doc_ids = list(mat.rejected_doc_ids or []) + [mat.doc_id]
            mat.status, mat.doc_id, mat.reused_from_case = "rejected", None, None
            mat.note, mat.updated_at = f"rejected by {actor.name}: {reason.strip()}", self.now()
        return self.get(case_id)

    def record_visit(self, case_id: str, actor: Actor) -> CaseView:
        """The applicant came to the window again (counted for 零次跑率); noted in the case history."""
        with self.locked(case_id) as (session, row):
            row.visits, row.updated_at = row.visits + 1, self.now()
            self._record(session, row, row.state, row.state, actor, f"applicant visit #{row.visits}")
        return self.get(case_id)

    def note(self, case_id: str, actor: Actor, text: str) -> None:
        """Write an event into the case's history without changing its state (e.g. an override)."""
        with self.locked(case_id) as (session, row):
            row.updated_at = self.now()
            self._record(session, row, row.state, row.state, actor, text)

    def refresh_reuse(self, case_id: str, actor: Actor) -> CaseView:
        """Search the archive again for the materials still missing (e.g. a lease archived by
        another case since this one was opened). Documents rejected for this case are not offered."""
        case = self.get(case_id)
        if case.state in FINISHED:
            raise _finished(case.state)
        matter = self.catalog.get(case.matter_id)
        with self.sessions() as session:
            rows = list(session.scalars(select(CaseMaterialRow).where(CaseMaterialRow.case_id == case_id)))
            typed = {r.field: r.value for r in session.scalars(
                select(FieldInputRow).where(FieldInputRow.case_id == case_id).order_by(FieldInputRow.kind))}
        open_ids = {m.material_id for m in rows if m.status in OPEN}
        exclude = {m.material_id: set(m.rejected_doc_ids or []) for m in rows}
        licence_doc = next((m.doc_id for m in rows if m.doc_id and m.status in SATISFIED
                            and (r := self.archive.lookup(m.doc_id)) is not None and r.doc_type == LICENCE_TYPE), None)
        licence = ocr_values(self.archive.get_derived(licence_doc, DERIVED_KIND)) if licence_doc else None
        reuse = find_reuse(self.archive, matter, case.owner_code, self.today(), exclude=exclude, form=typed,
                           licence_fields=licence)
        found = {
            material_id: match for material_id, match in reuse.found.items()
            if material_id in open_ids and match.first_case != case_id
        }
        for match in found.values():
            self.archive.record_access(
                match.doc_id, actor=actor, case_ref=case_id,
                purpose=f"一证通办：复用于办件 {case_id}（{matter.name}）", action="reuse",
            )
        with self.locked(case_id) as (session, _row):
            for material_id, match in found.items():
                mat = self._material_row(session, case_id, material_id)
                if mat.status in OPEN:
                    mat.status, mat.doc_id, mat.reused_from_case = "reused", match.doc_id, match.first_case
                    mat.note, mat.updated_at = f"reused, found by {actor.name}", self.now()
            for material_id, why in reuse.skipped.items():
                mat = self._material_row(session, case_id, material_id)
                if material_id in open_ids and mat.status in OPEN:
                    mat.note = why
        return self.get(case_id)

    # -- helpers --------------------------------------------------------------------------------
    def _row(self, session: Session, case_id: str, *, lock: bool = False) -> CaseRow:
        query = select(CaseRow).where(CaseRow.id == case_id)
        if lock:
            query = query.with_for_update()
        row = session.scalars(query).first()
        if row is None:
            raise CaseNotFoundError(f"case {case_id} not found", message_zh=f"办件 {case_id} 不存在", case=case_id)
        return row

    def _material_row(self, session: Session, case_id: str, material_id: str) -> CaseMaterialRow:
        row = session.scalars(select(CaseMaterialRow).where(
            CaseMaterialRow.case_id == case_id, CaseMaterialRow.material_id == material_id
        )).first()
        if row is None:
            raise UnknownMaterialError(f"the case has no material '{material_id}'", message_zh=f"本办件无材料 '{material_id}'",
                                       material=material_id)
        return row

    def _views(self, session: Session, rows: list[CaseRow]) -> list[CaseView]:
        """Views of ``rows``, loading their materials and transitions in two queries."""
        ids = [row.id for row in rows]
        materials: dict[str, dict[str, CaseMaterialRow]] = {i: {} for i in ids}
        transitions: dict[str, list[TransitionRow]] = {i: [] for i in ids}
        if ids:
            for m in session.scalars(select(CaseMaterialRow).where(CaseMaterialRow.case_id.in_(ids))):
                materials[m.case_id][m.material_id] = m
            for t in session.scalars(select(TransitionRow).where(TransitionRow.case_id.in_(ids)).order_by(TransitionRow.id)):
                transitions[t.case_id].append(t)
        # the 四性检测 report of every document given, in one query (was one per material)
        reports = self.archive.get_derived_many(
            (m.doc_id for ms in materials.values() for m in ms.values() if m.doc_id), CHECKS_KIND)
        return [case_view(row, self.catalog.get(row.matter_id), materials[row.id], transitions[row.id], reports)
                for row in rows]


def _finished(state: str) -> IllegalTransitionError:
    return IllegalTransitionError(
        f"the case is already {state}; its materials can no longer change",
        message_zh="办件已办结，材料不能再更改", state=state,
    )

