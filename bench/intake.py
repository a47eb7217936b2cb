"""Intake benchmark: the clerk's desk operations on the embedded default (SQLite + local store).

    .venv/bin/python bench/intake.py [--cases 50] [--csv-rows 100000]

Measures, on a fresh database in a temporary folder: the pure decision and pre-fill, opening a
case (with the archive searched for reusable documents), attaching a document, rendering a notice
PDF, issuing a 容缺受理通知书 end to end (number, render, archive, state change; unsigned), listing
cases, and computing metrics from a CSV export. Prints median and 95th percentile per operation.
First (issue 11): the checks of a case with 20 documents and the reuse lookup of an owner with
1,000 archived documents, on SQLite and (``--postgres URL`` or ``ONCEONLY_TEST_POSTGRES_URL``) on
PostgreSQL, each beside the previous way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from statistics import median
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import archive  # noqa: E402
import intake  # noqa: E402
from archive import Actor  # noqa: E402
from bench._intake_checks import rows_for  # noqa: E402
from bench._support import table, timed  # noqa: E402
from certgen.notices import NoticeData, NoticeItem, render_notice  # noqa: E402
from intake.cases.desk import build_case_desk  # noqa: E402
from intake.decision import decide  # noqa: E402
from intake.metrics import metrics_from_csv  # noqa: E402
from intake.prefill import Candidate, prefill  # noqa: E402
from ocr.identifiers import uscc_check_char  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CLERK = Actor("bench", "clerk")
TYPED = {"text": "窗口录入", "uscc": "91350100M000100Y43", "id_card": "440524188001010014", "phone": "13100001907",
         "date": "2026-01-05", "number": "100"}


def row(name: str, samples: list[float], unit: float = 1e3, label: str = "ms") -> list[object]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return [name, len(samples), f"{median(samples) * unit:.3f} {label}", f"{p95 * unit:.3f} {label}"]


def pdf(label: str) -> bytes:
    """A minimal PDF per label (distinct content, so each is its own archived document)."""
    return f"%PDF-1.4\n% {label}\n%%EOF\n".encode()


def company(n: int) -> str:
    body = f"91330302MA{n:07d}"
    return body + uscc_check_char(body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--csv-rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("ONCEONLY_TEST_POSTGRES_URL"),
                        help="also measure checks and reuse on PostgreSQL (a fresh database on this server)")
    parser.add_argument("--only-checks", action="store_true", help="only the checks and reuse tables")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        check_rows = rows_for(None, Path(folder), "sqlite")
        if args.postgres:
            check_rows += rows_for(args.postgres, Path(folder), "postgresql")
    print(table(["db", "checks and reuse (issue 11)", "median", "target"], check_rows))
    if args.only_checks:
        return 0
    rows: list[list[object]] = []

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        engine = archive.make_engine(f"sqlite:///{base / 'bench.db'}")
        archive.migrate(engine)
        intake.migrate(engine)
        store = archive.Archive(archive.LocalStore(base / "objects"), engine)
        desk = build_case_desk(engine, store, matters_dir=ROOT / "templates" / "matters",
                               calendar_dir=ROOT / "templates" / "calendar")
        matter = desk.catalog.get("food-drug-business-licence")
        today = dt.date(2026, 11, 23)

        statuses = {m.id: "provided" for m in matter.materials}
        statuses["lease"] = "missing"
        rows.append(row("decide (pure, 16 materials)", timed(
            lambda: decide(matter, statuses, received_on=today, calendar=desk.calendar), 2000), 1e6, "µs"))
        candidates = [Candidate(f.name, "温州仁心大药房有限公司", "ocr") for f in matter.fields]
        candidates += [Candidate(f.name, "温州仁心药业有限公司", "clerk") for f in matter.fields[:3]]
        rows.append(row("prefill (pure, 14 fields)", timed(lambda: prefill(matter, candidates), 2000), 1e6, "µs"))

        owners = [company(n) for n in range(args.cases)]
        for owner in owners:  # each applicant already has a business licence and an ID card archived
            for doc_type, fields in (("business_licence", {"营业期限": "长期"}),
                                     ("id_card", {"有效期限": "2018.05.01-2038.05.01"})):
                doc = store.ingest(pdf(f"{doc_type} {owner}"), owner_code=owner, owner_code_type="uscc",
                                   doc_type=doc_type, actor=CLERK).record.id
                store.put_derived(doc, "ocr", {"doc_type": doc_type,
                                               "fields": {k: {"value": v} for k, v in fields.items()}})
        created: list[str] = []
        rows.append(row("open case + reuse lookup", timed(lambda: created.append(desk.cases.create(
            matter_id=matter.id, owner_code=owners[len(created)], actor=CLERK).id), args.cases)))
        docs = [store.ingest(pdf(f"floor plan {o}"), owner_code=o, owner_code_type="uscc",
                             doc_type="floor_plan", actor=CLERK).record.id for o in owners]
        position = iter(range(args.cases))

        def attach() -> None:
            i = next(position)
            desk.cases.attach_document(created[i], "floor-plan", docs[i], CLERK)

        rows.append(row("attach a document", timed(attach, args.cases)))

        data = NoticeData(
            kind="deficiency", number="温市监容字〔2026〕第0001号", department_name="温州市市场监督管理局",
            applicant_name="温州仁心大药房有限公司", owner_code=owners[0], contact_phone="13100001907",
            matter_name=matter.name, case_id=created[0], applied_on=today, issued_on=today, officer_name="王窗口",
            officer_phone="0577-88960000", legal_basis=matter.legal_basis,
            items=tuple(NoticeItem(m.name, m.standard, m.kind) for m in matter.secondary_materials),
            deadline=today, supplement_methods=("窗口",), consequence="视为撤回", committed_days=7)
        rows.append(row("render notice PDF (2 copies)", timed(lambda: render_notice(data), 20)))

        pending = iter(created)
        for case_id in created:  # hand in every main material so 容缺受理 is allowed; the clerk types the form
            empty = {f.name: TYPED[f.type] for f in desk.forms.form(case_id) if f.required and not f.value}
            desk.forms.set_values(case_id, empty, CLERK)
            case = desk.cases.get(case_id)
            for m in case.missing:
                if m.kind == "main":
                    doc = store.ingest(pdf(f"{m.material_id} {case_id}"), owner_code=case.owner_code,
                                       owner_code_type="uscc", doc_type=m.doc_types[0], actor=CLERK).record.id
                    desk.cases.attach_document(case_id, m.material_id, doc, CLERK)
        rows.append(row("容缺受理 end to end (unsigned)", timed(
            lambda: desk.actions.accept_with_deficiency(next(pending), CLERK), args.cases)))
        rows.append(row(f"list {args.cases} cases", timed(lambda: desk.cases.list(limit=500), 20)))

        header = "case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits\n"
        body = "".join(f"c{n},food-business-licence,wz-amr,2026-01-{1 + n % 28:02d},2026-02-01,promised,5,{n % 7},"
                       f"{n % 2}\n" for n in range(args.csv_rows))
        samples = timed(lambda: metrics_from_csv(header + body, desk.catalog), 3)
        rows.append(row(f"metrics from CSV ({args.csv_rows} rows)", samples))
        rows.append(["  = rows per second", "", f"{args.csv_rows / median(samples):,.0f}", ""])
        engine.dispose()

    print(table(["operation", "n", "median", "p95"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
