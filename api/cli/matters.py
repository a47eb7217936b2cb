"""``onceonly matters check|list``: validate the matter catalog and calendars; list the matters."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from api.settings import Settings
from standards import TEMPLATES_DIR
from intake import load_calendar, load_catalog



def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("matters", help="check or list the matter catalog (templates/matters/*.yaml)")
    actions = parser.add_subparsers(dest="matters_command", metavar="ACTION", required=True)
    for name, help_text in (("check", "validate every matter YAML and holiday calendar; exit 0 when all are valid"),
                            ("list", "list the matters with their material counts")):
        sub = actions.add_parser(name, help=help_text)
        sub.add_argument("--dir", type=Path, help="matter YAML folder (default: settings / templates/matters)")
        sub.add_argument("--calendar", type=Path, help="calendar folder (default: settings / templates/calendar)")
        if name == "list":
            sub.add_argument("--json", action="store_true", help="print JSON instead of a table")
        sub.set_defaults(func=run)


def _folders(args: argparse.Namespace) -> tuple[Path, Path]:
    settings = Settings()
    matters = args.dir or settings.matters_dir or TEMPLATES_DIR / "matters"
    calendar = args.calendar or settings.calendar_dir or TEMPLATES_DIR / "calendar"
    return matters, calendar


def run(args: argparse.Namespace) -> int:
    matters_dir, calendar_dir = _folders(args)
    catalog = load_catalog(matters_dir)  # raises CatalogError naming file, key and line
    calendar = load_calendar(calendar_dir)
    if args.matters_command == "check":
        files = len(list(matters_dir.glob("*.yaml")))
        print(f"ok: {len(catalog)} matters in {files} files ({matters_dir}); calendar {calendar_dir} valid "
              f"(years {', '.join(map(str, sorted(calendar.years))) or 'none'})")
        this_year = dt.date.today().year
        for year in (this_year, this_year + 1):
            if not calendar.covers(year):
                print(f"warning: no holiday calendar for {year}: only weekends count as days off "
                      f"(add {calendar_dir}/cn-{year}.yaml) / 缺少{year}年节假日安排", file=sys.stderr)
        return 0
    rows = []
    for matter in catalog:
        before, now = catalog.material_counts(matter.id)
        rows.append({"id": matter.id, "name": matter.name, "department": matter.department.name,
                     "materials": now, "materials_before": before,
                     "material_reduction": None if not before else f"{(1 - now / before) * 100:.2f}%",
                     "committed_days": matter.time_limits.committed_days,
                     "statutory_days": matter.time_limits.statutory_days, "composite": list(matter.composite)})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'id':38} {'materials':>9} {'before':>6} {'瘦身率':>8} {'承诺/法定':>9}  name")
    for row in rows:
        print(f"{row['id']:38} {row['materials']:>9} {row['materials_before']:>6} "
              f"{row['material_reduction'] or '-':>8} {row['committed_days']:>4}/{row['statutory_days']:<4}  {row['name']}")
    return 0
