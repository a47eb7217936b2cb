"""``onceonly archive check``: the integrity sweep; non-zero exit when anything is wrong."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("archive", help="e-archive operations")
    sub = parser.add_subparsers(dest="archive_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="integrity sweep: missing, corrupted, orphaned objects, bad rows")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(func=check_command)


def check_command(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.settings import Settings
    from archive import check_archive

    container = build_container(Settings())
    try:
        report = check_archive(container.archive)
    finally:
        container.close()
    if args.json:
        print(json.dumps({
            "ok": report.ok, "documents_checked": report.documents_checked,
            "objects_seen": report.objects_seen,
            "problems": [p.__dict__ for p in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        print(f"documents checked: {report.documents_checked}; objects seen: {report.objects_seen}")
        for p in report.problems:
            print(f"{p.kind:18} {p.document_id or '-':28} {p.key}  {p.detail}")
        print("OK" if report.ok else f"{len(report.problems)} problem(s)")
    return 0 if report.ok else 1
