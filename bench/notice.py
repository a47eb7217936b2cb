"""Notice rendering cost: is it slow enough to belong on the job queue (issue 17)?

    .venv/bin/python bench/notice.py [--repeat 10]

On the embedded default in a temporary folder (the development PKI of a fresh install): render a
容缺受理通知书 (2 copies), seal it (PAdES, one visible e-seal per copy), archive it — the three
steps ``NoticeService.prepare`` runs inline in the clerk's request. Median and p95 in ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from archive import Actor  # noqa: E402
from bench._support import table, timed  # noqa: E402
from certgen.notices import NoticeData, NoticeItem, render_notice_layout  # noqa: E402

OWNER = "91330302MA2AB1C2D8"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from api.container import build_container
    from api.settings import Settings
    from intake.licences.seals import notice_signer

    with tempfile.TemporaryDirectory(prefix="bench-notice-") as work:
        c = build_container(Settings(data_dir=Path(work) / "data", ocr_on_upload=False))
        try:
            matter = c.desk.catalog.get("food-drug-business-licence")
            today = dt.date(2026, 11, 23)
            data = NoticeData(
                kind="deficiency", number="温市监容字〔2026〕第0001号", department_name=matter.department.name,
                applicant_name="温州仁心大药房有限公司", owner_code=OWNER, contact_phone="13100001907",
                matter_name=matter.name, case_id="bench-case", applied_on=today, issued_on=today,
                officer_name="王窗口", officer_phone="0577-88960000", legal_basis=matter.legal_basis,
                items=tuple(NoticeItem(m.name, m.standard, m.kind) for m in matter.secondary_materials),
                deadline=today, supplement_methods=("窗口",), consequence="视为撤回", committed_days=7,
                will_be_signed=True)
            sign = notice_signer(c.licences)
            pdf, spots = render_notice_layout(data)
            sign(pdf, spots, matter.department.name)  # warm: keys and fonts loaded
            signed = sign(pdf, spots, matter.department.name)
            n = iter(range(10**6))
            clerk = Actor(name="王窗口", role="clerk", key_id="bench")
            samples = {
                "render (2 copies)": timed(lambda: render_notice_layout(data), args.repeat),
                f"seal ({len(spots)} PAdES e-seals)": timed(lambda: sign(pdf, spots, matter.department.name), args.repeat),
                "archive the PDF": timed(lambda: c.archive.ingest(
                    signed + f"\n%{next(n)}\n".encode(), owner_code=OWNER, owner_code_type="uscc",
                    doc_type="notice_deficiency", actor=clerk), args.repeat),
            }
        finally:
            c.close()
    rows = [[name, len(s), median(s) * 1000, quantiles(s, n=20)[-1] * 1000 if len(s) > 1 else s[0] * 1000]
            for name, s in samples.items()]
    total = sum(median(s) for s in samples.values()) * 1000
    rows.append(["= one notice, inline", "", total, ""])
    print(table(["step", "n", "median ms", "p95 ms"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
