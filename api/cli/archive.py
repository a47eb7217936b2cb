"""``onceonly archive check``: the 四性检测 re-run; non-zero exit when anything is wrong.
``onceonly archive reindex-text``: searchable text for documents OCR'd before text search existed.

Every object is hashed and re-opened like the intake check did; the outcome is written into each
document's ``checks`` report (a document that fails is then refused as content, never served as
good). Leftover temporary files of interrupted writes are listed too.
"""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("archive", help="e-archive operations")
    sub = parser.add_subparsers(dest="archive_command", required=True, metavar="ACTION")
    check = sub.add_parser("check", help="四性检测 re-run: missing, corrupted, unusable, orphaned objects, "
                                          "bad rows, leftover temp files")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--hash-only", action="store_true", help="only hash the objects; do not re-open them")
    check.set_defaults(func=check_command)
    reindex = sub.add_parser("reindex-text", help="store the searchable text of documents OCR'd before text search "
                                                  "existed (from their OCR results; safe to run again)")
    reindex.set_defaults(func=reindex_command)


def reindex_command(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.settings import Settings
    from intake import backfill_text

    container = build_container(Settings())
    try:
        filled = backfill_text(container.archive)
    finally:
        container.close()
    print(f"searchable text stored for {filled} document(s)")
    return 0


def check_command(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.settings import Settings
    from archive import CheckLimits, check_archive

    settings = Settings()
    container = build_container(settings)
    limits = container.archive.checks or CheckLimits(max_pages=settings.ocr_max_pages,
                                                     max_pixels=settings.ocr_max_pixels, dpi=settings.ocr_dpi)
    try:
        report = check_archive(container.archive, recheck=None if args.hash_only else limits)
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
