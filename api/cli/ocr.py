"""``onceonly ocr FILE... [--json] [--engine NAME] [--dpi N]``: read scans, print type and fields."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from api.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ocr", help="read scans (PDF, JPEG, PNG, TIFF): document type, fields, lines",
        description="Read each FILE and print its document type, pages and fields. Engine, models and "
                    "limits come from ONCEONLY_OCR_* settings; --engine/--dpi/--threads override them.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print JSON (one object, or a list for several files)")
    parser.add_argument("--engine", help="OCR engine (default: ONCEONLY_OCR_ENGINE, rapidocr)")
    parser.add_argument("--dpi", type=int, help="PDF rendering resolution (default 150)")
    parser.add_argument("--threads", type=int, help="engine threads (capped at the CPUs available)")
    parser.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    parser.set_defaults(func=run)


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from api.container import build_ocr_config

    config = build_ocr_config(Settings())
    if args.engine:
        config = replace(config, engine=replace(config.engine, name=args.engine))
    if args.threads:
        config = replace(config, engine=replace(config.engine, threads=args.threads))
    if args.dpi:
        if not 50 <= args.dpi <= 600:
            raise SystemExit("error: --dpi must be between 50 and 600")
        config = replace(config, limits=replace(config.limits, dpi=args.dpi))
    return config


class _Bar:
    """A one-line progress bar on stderr, shown only on a terminal and for multi-page input."""

    def __init__(self, name: str, enabled: bool) -> None:
        self.name, self.enabled, self.shown = name, enabled, False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 1:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{self.name[:30]:<30} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _human(name: str, result: dict[str, Any]) -> str:
    out = [f"{name}: {result['doc_type']} (confidence {result['doc_type_confidence']:.2f}, engine {result['engine']})"]
    for page in result["pages"]:
        out.append(f"  page {page['index'] + 1}: {page['width']}x{page['height']} rotation {page['rotation']} "
                   f"skew {page['skew']:+.1f} quality {page['quality']:.2f} {page['source']} "
                   f"{len(page['lines'])} lines")
    for key, field in result["fields"].items():
        mark = "" if field["valid"] is None else (" ✓" if field["valid"] else " ✗ INVALID")
        flags = f"  [{', '.join(field['flags'])}]" if field["flags"] else ""
        out.append(f"  {key}: {field['value']}{mark} (p{field['page'] + 1}, {field['confidence']:.2f}){flags}")
    if not result["fields"]:
        out.append("  (no fields)")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from intake import new_reader

    config = _config(args)
    reader = new_reader(config)
    show = sys.stderr.isatty() and not args.no_progress
    results: list[dict[str, Any]] = []
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 1
        bar = _Bar(path.name, show)
        try:
            result = reader.read(data, progress=bar).to_dict()
        finally:
            bar.close()
        results.append({"file": str(path)} | result)
        if not args.json:
            print(_human(str(path), result), flush=True)
    if args.json:
        payload: Any = results[0] if len(results) == 1 else results
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0
