"""``onceonly metrics``: reform figures from a CSV export (``--cases``) or from this service's cases."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from api.settings import Settings
from standards import TEMPLATES_DIR
from intake.errors import MetricsImportError
from intake import Metrics, decode_csv, load_catalog, metrics_from_csv


ROWS = (
    ("total", "办件总量 cases"),
    ("immediate", "即办件 immediate"),
    ("immediate_share", "即办件占比 immediate share"),
    ("promised", "承诺件 promised"),
    ("early", "提前办结 finished early"),
    ("early_rate", "提前办结率 early rate"),
    ("average_days", "平均办理时限 average working days"),
    ("speedup_rate", "实际提速率 speed-up"),
    ("zero_visit", "零次跑 zero visits"),
    ("zero_visit_rate", "零次跑率 zero-visit rate"),
)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "metrics", help="reform metrics (即办件率, 提前办结率, 平均办理时限, 提速率, 零次跑率, 材料瘦身率)",
        description="Compute reform metrics for a period from a CSV export "
                    "(case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits) "
                    "or, without --cases, from this service's own case records.")
    parser.add_argument("--cases", type=Path, help="CSV export of historical case records")
    parser.add_argument("--from", dest="period_from", type=_date, help="first day received (inclusive)")
    parser.add_argument("--to", dest="period_to", type=_date, help="last day received (inclusive)")
    parser.add_argument("--department", help="only this department")
    parser.add_argument("--matter", help="only this matter id")
    parser.add_argument("--skip-bad", action="store_true", help="count the good rows even if some rows are bad")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings()
    catalog = load_catalog(settings.matters_dir or TEMPLATES_DIR / "matters")
    filters = {"period_from": args.period_from, "period_to": args.period_to, "department": args.department,
               "matter": args.matter}
    result = None
    if args.cases is not None:
        try:
            data = args.cases.read_bytes()
        except OSError as exc:
            raise MetricsImportError(f"{args.cases}: cannot read: {exc.strerror}",
                                     message_zh=f"无法读取文件 {args.cases}") from exc
        try:
            figures, result = metrics_from_csv(decode_csv(data), catalog, skip_bad=args.skip_bad, **filters)
        except MetricsImportError as exc:
            for line in exc.extra.get("errors", []):
                print(f"{args.cases}: {line}", file=sys.stderr)
            raise
    else:
        figures = _from_database(settings, catalog, filters)
    if result is not None:
        for error in result.errors:
            print(f"{args.cases}: skipped {error}", file=sys.stderr)
    if args.json:
        body = figures.to_dict()
        if result is not None:
            body["import"] = {"rows": result.rows, "counted": len(result.records),
                              "skipped_rows": list(result.bad_rows)}
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        print(_table(figures))
    return 0


def _from_database(settings: Settings, catalog, filters: dict) -> Metrics:  # type: ignore[no-untyped-def]
    import archive
    import intake
    from intake import MetricsService
    from intake import load_calendar

    engine = archive.make_engine(settings.effective_database_url)
    try:
        intake.migrate(engine)
        calendar = load_calendar(settings.calendar_dir or TEMPLATES_DIR / "calendar")
        return MetricsService(engine, catalog, calendar).from_cases(**filters)
    finally:
        engine.dispose()


def _table(figures: Metrics) -> str:
    data = figures.to_dict()
    period = f"{data['period_from'] or '…'} – {data['period_to'] or '…'}"
    lines = [f"period {period}" + (f", department {figures.department}" if figures.department else "")
             + (f", matter {figures.matter}" if figures.matter else ""), ""]
    lines += [f"{label:<36} {'-' if data[key] is None else data[key]:>10}" for key, label in ROWS]
    if data["matters"]:
        lines += ["", f"{'matter':38} {'材料瘦身率':>10} {'时限压缩率':>10}"]
        lines += [f"{m['matter']:38} {m['material_reduction'] or '-':>14} {m['time_compression'] or '-':>14}"
                  for m in data["matters"]]
    return "\n".join(lines)
