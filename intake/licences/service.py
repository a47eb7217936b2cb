"""Issue licences (render → attach JSON → sign → archive WORM → record), revoke and supersede them.

Numbers are allocated (and committed) before rendering, so a failed issuance leaves a gap in a
sequence, never a repeat. Nothing is archived or recorded unless signing succeeded; the signed
bytes are archived byte-exact and never touched again.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from archive import Actor, Archive, write_session
from certgen import Signer, register_cjk_font, sign_pdf
from certgen.identifiers import NumberFormat, make_identifier
from certgen.licences import (
    LicenceContent, LicenceTemplate, Permit, TemplateSet, archival_licence_pdf, check_data, example_data,
    licence_json, render_licence, seal_box,
)
from certgen.licences.ofd import render_licence_ofd
from intake.licences.config import LicensingConfig, SignerPool
from intake.licences.errors import LicenceNotFoundError, LicenceStateError
from intake.licences.ofd import OfdSealerPool
from intake.licences.sequences import next_values
from intake.licences.tables import LicenceRow
from intake.licences.types import IssuedLicence

log = logging.getLogger("onceonly.licences")

LICENCE_FORMATS = ("pdf", "ofd")

# which single licences a permit block of the merged licence replaces
REPLACED_BY_PERMIT = {
    "food_business": ("food_business",), "drug_retail": ("drug_business",),
    "medical_device_business": ("medical_device_business",), "medical_device_filing": ("medical_device_filing",),
}


def add_years(start: date, years: int) -> date:
    """The last day of a validity of ``years`` starting on ``start`` (29 Feb safe)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    return date.fromordinal(end.toordinal() - 1)


class LicenceService:
    def __init__(self, engine: Engine, archive: Archive, config: LicensingConfig, *,
                 templates: TemplateSet | None = None, signers: SignerPool | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.engine = engine
        self.archive = archive
        self.config = config
        self.templates = templates or TemplateSet.load(config.templates_dir)
        self.signers = signers or SignerPool(config)
        self.ofd_sealers = OfdSealerPool(config)  # SM2 seals for OFD licences (GB/T 38540)
        self.today = today
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    def signer_for(self, authority_code: str | None = None) -> Signer:
        """The long-lived ``certgen.Signer`` of an authority (default: the first configured), for
        other documents the agency seals, e.g. notices: ``certgen.sign_pdf(pdf, signer, seal_box=...)``."""
        return self.signers.get(self.config.authority(authority_code))

    def warm_up(self) -> None:
        """Parse the CJK font and load the default authority's key, seal and TSA now (once per process),
        so that the first requests a process answers do not each pay for them. A dev PKI that does not
        exist yet is not made here: that stays the first issuance's job."""
        register_cjk_font()
        if not self.config.auto_pki or (self.config.pki_dir / "pki.json").exists():
            self.signers.get(self.config.default_authority)

    # -- catalogue of licence types -------------------------------------------------------------
    def types(self) -> list[dict[str, Any]]:
        return [{"id": t.id, "name": t.name, "merged": t.merged,
                 "permit_kinds": [p.key for p in t.permit_kinds]} for t in self.templates]

    def example(self, template_id: str) -> dict[str, Any]:
        return example_data(self.templates.get(template_id))

    # -- issuance -------------------------------------------------------------------------------
    def issue_for_case(self, case_id: str, template_id: str, data: dict[str, Any], *, actor: Actor,
                       evidence: Iterable[str] = (), authority_code: str | None = None,
                       supersedes: Iterable[str] = (), format: str = "pdf") -> IssuedLicence:
        """Issue the licence of an approved case (the case workflow moves the case to ``issued``)."""
        return self.issue(template_id, data, actor=actor, case_id=case_id, evidence=evidence,
                          authority_code=authority_code, supersedes=supersedes, format=format)

    def issue(self, template_id: str, data: dict[str, Any], *, actor: Actor, authority_code: str | None = None,
              case_id: str | None = None, evidence: Iterable[str] = (),
              supersedes: Iterable[str] = (), format: str = "pdf") -> IssuedLicence:
        """``format``: ``pdf`` (PAdES) or ``ofd`` (GB/T 33190 with an SM2 seal, GB/T 38540)."""
        if format not in LICENCE_FORMATS:
            from intake.errors import InvalidInputError

            raise InvalidInputError(f"format must be one of {LICENCE_FORMATS}", message_zh="证照文件格式不支持",
                                    field="format")
        template = self.templates.get(template_id)
        checked = check_data(template, data)
        authority = self.config.authority(authority_code)
        # a broken key fails here, before any number is used
        signer = self.ofd_sealers.get(authority) if format == "ofd" else self.signers.get(authority)
        evidence = tuple(dict.fromkeys(evidence))
        self._check_evidence(evidence)
        replaced = self._replaced(template, checked.values["holder_code"], supersedes)
        today = self.today()
        valid_from = checked.valid_from or today
        valid_until = add_years(valid_from, template.validity_years) if template.validity_years else None
        kinds = [(p, kind) for p in checked.permits if (kind := template.permit_kind(p.kind)) is not None]
        formats = [template.number] + [kind.number for _, kind in kinds]
        parts = dict(checked.values, year=str(today.year))
        # the licence's number, its permits' numbers and its identifier's serial: one short transaction
        claimed = next_values(self.engine, authority.code, [_sequence_name(f, parts) for f in formats]
                              + [f"identifier:{template.type_code}:{today.year}"])
        number = template.number.format(parts, claimed[0])
        permits = tuple(
            Permit(p.kind, kind.label, kind.number.format(parts, value), p.scope,
                   p.valid_until or (add_years(valid_from, kind.validity_years) if kind.validity_years else None))
            for (p, kind), value in zip(kinds, claimed[1:-1])
        )
        serial = f"{today.year}{claimed[-1]:06d}"
        identifier = make_identifier(template.type_code, authority.code, serial, 1)
        content = LicenceContent(
            template=template, values=checked.values, number=number, identifier=identifier,
            authority_name=authority.name, authority_code=authority.code, issue_date=today,
            valid_from=valid_from, valid_until=valid_until,
            verify_url=f"{self.config.verify_base_url.rstrip('/')}/verify/{identifier}",
            permits=permits, related=tuple(r.identifier for r in replaced), region_code=authority.region_code,
        )
        if format == "ofd":
            signed = render_licence_ofd(content, signer)
        else:
            data = licence_json(content)
            pdf = archival_licence_pdf(render_licence(content), data)  # JSON attached, XMP, OutputIntent
            signed = sign_pdf(pdf, signer, field_name="Seal", seal_box=seal_box(template),
                              reason=f"{template.name} {number}", location=authority.name)
        digest = hashlib.sha256(signed).hexdigest()
        rows: list[LicenceRow] = []

        def record(session: Session, document_id: str) -> None:
            """The registry row (and the status of what it supersedes) in the document row's transaction."""
            now = datetime.now(timezone.utc)
            row = LicenceRow(
                identifier=identifier, number=number, template_id=template.id, name=template.name,
                holder_name=checked.values["holder_name"], holder_code=checked.values["holder_code"],
                authority_name=authority.name, authority_code=authority.code, issue_date=today,
                valid_from=valid_from, valid_until=valid_until, sha256=digest,
                document_id=document_id, case_id=case_id, evidence=list(evidence),
                permit_numbers=[{"kind": p.kind, "label": p.label, "number": p.number,
                                 "valid_until": p.valid_until.isoformat() if p.valid_until else None} for p in permits],
                status="valid", issued_by=actor.name[:100], created_at=now,
            )
            session.add(row)
            for old in replaced:
                self._set_status(session, old.identifier, "superseded", actor, now,
                                 reason=f"superseded by {identifier}", superseded_by=identifier)
            rows.append(row)

        stored = self.archive.ingest(
            signed, owner_code=checked.values["holder_code"], owner_code_type=template.holder_code_kind,
            doc_type=f"licence.{template.id}", actor=actor, filename=f"{template.id}-{serial}.{format}",
            case_ref=case_id, retention_days=self.config.retention_days, worm=True, in_transaction=record,
        )
        if not stored.created:  # the very same bytes were archived before (not expected: each licence differs)
            with write_session(self.sessions) as session:
                record(session, stored.record.id)
        row = rows[-1]
        log.info("licence issued", extra={"identifier": identifier, "number": number, "document_id": row.document_id})
        return replace(_issued(row), warnings=checked.warnings)

    def _check_evidence(self, evidence: tuple[str, ...]) -> None:
        """The documents a licence is issued from must exist in the archive."""
        from intake.errors import InvalidInputError

        unknown = [doc_id for doc_id in evidence if self.archive.lookup(doc_id) is None]
        if unknown:
            raise InvalidInputError(f"evidence documents not in the archive: {unknown}",
                                    message_zh="依据材料在档案库中不存在", unknown=unknown)

    def _replaced(self, template: LicenceTemplate, holder_code: str, explicit: Iterable[str]) -> list[LicenceRow]:
        with self.sessions() as session:
            rows = [self._row(session, i) for i in dict.fromkeys(explicit)]
            for row in rows:
                if row.status != "valid":
                    raise LicenceStateError(f"licence {row.identifier} is {row.status}; only valid ones can be superseded")
            if template.merged:
                kinds = {t for p in template.permit_kinds for t in REPLACED_BY_PERMIT.get(p.key, ())}
                more = session.scalars(select(LicenceRow).where(
                    LicenceRow.holder_code == holder_code, LicenceRow.status == "valid",
                    LicenceRow.template_id.in_(kinds))).all()
                rows.extend(r for r in more if r.identifier not in {x.identifier for x in rows})
            return rows

    # -- registry -------------------------------------------------------------------------------
    def get(self, identifier: str) -> IssuedLicence:
        with self.sessions() as session:
            return _issued(self._row(session, identifier))

    def by_sha256(self, sha256: str) -> IssuedLicence | None:
        with self.sessions() as session:
            row = session.scalars(select(LicenceRow).where(LicenceRow.sha256 == sha256)).first()
            return _issued(row) if row else None

    def list(self, *, holder_code: str | None = None, case_id: str | None = None, limit: int = 50,
             offset: int = 0, template_ids: tuple[str, ...] | None = None) -> list[IssuedLicence]:
        query = select(LicenceRow).order_by(LicenceRow.created_at.desc()).limit(min(limit, 500)).offset(offset)
        if template_ids is not None:
            query = query.where(LicenceRow.template_id.in_(template_ids))
        if holder_code:
            query = query.where(LicenceRow.holder_code == holder_code.upper())
        if case_id:
            query = query.where(LicenceRow.case_id == case_id)
        with self.sessions() as session:
            return [_issued(r) for r in session.scalars(query)]

    def issued_document_ids(self, case_id: str) -> list[str]:
        """Archive document IDs of the valid licences issued for a case (what delivery hands over)."""
        return [lic.document_id for lic in self.list(case_id=case_id, limit=500) if lic.status == "valid"]

    def content(self, identifier: str, *, actor: Actor, purpose: str = "licence download") -> bytes:
        """The signed PDF exactly as issued (audited archive read, SHA-256 verified)."""
        licence = self.get(identifier)
        return self.archive.read(licence.document_id, actor=actor, case_ref=licence.case_id, purpose=purpose)

    def revoke(self, identifier: str, *, reason: str, actor: Actor) -> IssuedLicence:
        reason = (reason or "").strip()
        if not reason:
            from intake.errors import InvalidInputError

            raise InvalidInputError("a reason is required to revoke a licence", message_zh="吊销/撤销证照须说明理由")
        with write_session(self.sessions) as session:
            self._set_status(session, identifier, "revoked", actor, datetime.now(timezone.utc), reason=reason[:2000])
        return self.get(identifier)

    def supersede(self, identifier: str, *, by: str, actor: Actor) -> IssuedLicence:
        if identifier == by:
            raise LicenceStateError("a licence cannot supersede itself")
        with write_session(self.sessions) as session:
            newer = self._row(session, by)
            if newer.status != "valid":
                raise LicenceStateError(f"the replacing licence {by} is {newer.status}")
            self._set_status(session, identifier, "superseded", actor, datetime.now(timezone.utc),
                             reason=f"superseded by {by}", superseded_by=by)
        return self.get(identifier)

    @staticmethod
    def _row(session: Session, identifier: str) -> LicenceRow:
        row = session.get(LicenceRow, (identifier or "").strip().upper())
        if row is None:
            raise LicenceNotFoundError(f"no licence {identifier!r} was issued here", identifier=identifier)
        return row

    def _set_status(self, session: Session, identifier: str, status: str, actor: Actor, now: datetime, *,
                    reason: str, superseded_by: str | None = None) -> None:
        row = session.get(LicenceRow, identifier, with_for_update=True)
        if row is None:
            raise LicenceNotFoundError(f"no licence {identifier!r} was issued here", identifier=identifier)
        if row.status != "valid":
            raise LicenceStateError(f"licence {identifier} is already {row.status}", licence_status=row.status)
        row.status, row.status_reason, row.superseded_by = status, reason, superseded_by
        row.status_changed_at, row.status_changed_by = now, actor.name[:100]


def _sequence_name(fmt: NumberFormat, parts: dict[str, str]) -> str:
    """The sequence a number format counts in: its pattern and the values of the fields it is scoped by."""
    scope_keys = [k for k in sorted(parts) if "{" + k + "}" in fmt.pattern]
    return ("number:" + fmt.pattern + ":" + ":".join(parts[k] for k in scope_keys))[:200]


def _issued(row: LicenceRow) -> IssuedLicence:
    return IssuedLicence(
        identifier=row.identifier, number=row.number, template_id=row.template_id, name=row.name,
        holder_name=row.holder_name, holder_code=row.holder_code, authority_name=row.authority_name,
        authority_code=row.authority_code, issue_date=row.issue_date, valid_from=row.valid_from,
        valid_until=row.valid_until, sha256=row.sha256, document_id=row.document_id, case_id=row.case_id,
        evidence=tuple(row.evidence or ()), permit_numbers=tuple(row.permit_numbers or ()), status=row.status,
        status_reason=row.status_reason, superseded_by=row.superseded_by,
        status_changed_at=row.status_changed_at, issued_by=row.issued_by, created_at=row.created_at,
    )
