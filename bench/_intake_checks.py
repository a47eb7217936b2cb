"""Parts of ``bench/intake.py`` for issue 11: checks of a 20-document case, reuse lookup over 1,000
archived documents (SQLite and PostgreSQL), each beside the previous way where there was one."""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median

import archive
import intake
from archive import Actor
from intake.cases.desk import build_case_desk
from intake.checks import CaseFacts, DocumentFacts, run_checks
from intake.reuse import find_reuse, is_reusable, valid_until
from bench._support import timed
from ocr.identifiers import uscc_check_char

ROOT = Path(__file__).resolve().parent.parent
CLERK = Actor("bench", "clerk")
OWNER = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")
NAME = "温州仁心大药房有限公司"
_TWENTY = """id: bench-twenty
name: 基准事项（20项材料）
department: {id: wz-amr, name: 温州市市场监督管理局, short: 温市监}
legal_basis: 基准
time_limits: {statutory_days: 20, committed_days: 10}
fields:
  - {name: company_name, label: 企业名称, required: true, sources: [{doc_type: business_licence, field: 名称}]}
  - {name: uscc, label: 统一社会信用代码, type: uscc, required: true, sources: [{case: owner_code}]}
  - {name: legal_rep, label: 法定代表人, required: true, sources: [{doc_type: business_licence, field: 法定代表人}]}
  - {name: legal_rep_id, label: 法定代表人身份证号, type: id_card, required: true,
     sources: [{doc_type: id_card, field: 公民身份号码, material: legal-rep-id}]}
  - {name: premises, label: 经营场所, required: true, sources: [{doc_type: lease_contract, field: 房屋坐落}]}
materials:
  - {id: business-licence, name: 营业执照, kind: main, doc_types: [business_licence], standard: s}
  - {id: legal-rep-id, name: 法定代表人身份证明, kind: main, doc_types: [id_card], standard: s, person: legal_rep}
  - {id: lease, name: 租赁合同, kind: main, doc_types: [lease_contract], standard: s, reuse: {allowed: true, max_age_days: 365}}
"""


def _ms(samples: list[float]) -> str:
    return f"{median(samples) * 1e3:.3f} ms"


def _ocr(doc_type: str, fields: dict[str, str]) -> dict:
    return {"doc_type": doc_type, "fields": {k: {"value": v, "confidence": 0.95} for k, v in fields.items()}}


_PAPERS = {
    "business_licence": {"名称": NAME, "统一社会信用代码": OWNER, "法定代表人": "张三", "营业期限": "2015-11-18/.."},
    "id_card": {"姓名": "张三", "公民身份号码": "440524188001010014", "有效期限": "2018.05.01-2038.05.01"},
    "lease_contract": {"承租方": NAME, "租赁期限": "2026年1月1日至2028年12月31日", "房屋坐落": "温州市五马街1号"},
}


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """SQLite in ``folder``, or a fresh PostgreSQL database created (and dropped) on the server of ``url``."""
    if url is None:
        yield f"sqlite:///{folder / 'checks.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _twenty_material_catalog(folder: Path) -> Path:
    matters = folder / "matters"
    shutil.copytree(ROOT / "templates" / "matters", matters)
    extra = "".join(f"  - {{id: extra-{n:02d}, name: 材料{n}, kind: main, doc_types: [application_form], standard: s}}\n"
                    for n in range(17))
    (matters / "bench-twenty.yaml").write_text(_TWENTY + extra, encoding="utf-8")
    return matters


def _previous_lookup(store: archive.Archive, matter, owner: str, today: dt.date) -> dict:  # type: ignore[no-untyped-def]
    """The lookup as it was before issue 11: per type, newest first, one OCR read per candidate."""
    found = {}
    for material in matter.materials:
        if not material.reuse.allowed:
            continue
        candidates = [r for t in material.doc_types for r in store.list(owner, doc_type=t, limit=50)]
        candidates.sort(key=lambda r: r.created_at, reverse=True)
        for record in candidates:
            ocr = store.get_derived(record.id, "ocr") if material.reuse.until_expiry else None
            if is_reusable(record, ocr, material.reuse, material.doc_types, today):
                found[material.id] = (record.id, valid_until(record, ocr, material.reuse))
                break
    return found


def rows_for(url: str | None, folder: Path, label: str) -> list[list[object]]:
    rows: list[list[object]] = []
    with database(url, folder) as db_url:
        engine = archive.make_engine(db_url)
        archive.migrate(engine)
        intake.migrate(engine)
        store = archive.Archive(archive.LocalStore(folder / f"objects-{label}"), engine)
        desk = build_case_desk(engine, store, matters_dir=_twenty_material_catalog(folder / label),
                               calendar_dir=ROOT / "templates" / "calendar")
        today = desk.cases.today()

        # -- checks of a case with 20 documents -------------------------------------------------
        matter = desk.catalog.get("bench-twenty")
        case = desk.cases.create(matter_id=matter.id, owner_code=OWNER, actor=CLERK, applicant_name=NAME)
        for material in matter.materials:
            doc_type = material.doc_types[0]
            doc = store.ingest(f"%PDF-1.4\n% {material.id}\n%%EOF\n".encode(), owner_code=OWNER,
                               owner_code_type="uscc", doc_type=doc_type, actor=CLERK, case_ref=case.id).record.id
            store.put_derived(doc, "ocr", _ocr(doc_type, _PAPERS.get(doc_type, {"标题": material.name})))
            desk.cases.attach_document(case.id, material.id, doc, CLERK)
        case = desk.cases.get(case.id)
        documents = desk.checks.documents(case)
        form = desk.forms.form_of(case)
        facts = CaseFacts(OWNER, "uscc", NAME, today, {f.name: f.value for f in form})
        assert len(documents) == 20
        rows.append([label, "checks: run_checks (pure, 20 documents)", _ms(timed(
            lambda: run_checks(matter, facts, form, documents), 200)), "< 20 ms"])
        rows.append([label, "checks: recomputed from the database (20 docs, form, overrides)", _ms(timed(
            lambda: desk.checks.review(desk.cases.get(case.id)), 30)), "< 20 ms"])
        rows.append([label, "  previous way: case read alone (no checks existed)", _ms(timed(
            lambda: desk.cases.get(case.id), 30)), ""])

        # -- reuse lookup for an owner with 1,000 archived documents ----------------------------
        owner = "91330302MA2XY9W8K" + uscc_check_char("91330302MA2XY9W8K")
        mix = ["id_card"] * 400 + ["lease_contract"] * 300 + ["application_form"] * 280 + ["business_licence"] * 20
        for n, doc_type in enumerate(mix):
            doc = store.ingest(f"%PDF-1.4\n% {owner} {n}\n%%EOF\n".encode(), owner_code=owner, owner_code_type="uscc",
                               doc_type=doc_type, actor=CLERK).record.id
            fields = dict(_PAPERS.get(doc_type, {}))
            if doc_type == "id_card":  # 400 cards of other people (staff), 张三's among them
                fields |= {"姓名": f"员工{n}", "公民身份号码": "11010519491231002X"} if n != 395 else {}
            store.put_derived(doc, "ocr", _ocr(doc_type, fields))
        drug = desk.catalog.get("food-drug-business-licence")
        result = find_reuse(store, drug, owner, today)
        rows.append([label, f"reuse lookup, 1,000 archived ({len(result.found)} reused, person-matched)", _ms(timed(
            lambda: find_reuse(store, drug, owner, today), 30)), "< 10 ms"])
        rows.append([label, "  previous way (newest card, OCR read per candidate)", _ms(timed(
            lambda: _previous_lookup(store, drug, owner, today), 30)), ""])
        engine.dispose()
    return rows
