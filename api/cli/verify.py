"""``onceonly verify FILE [--json]``: signatures (strict), modifications, registry status."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from certgen.signing import NotAPdfError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help="verify a licence PDF or OFD (signature, trust, registry status)")
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.schemas import CheckOut, as_json, check_json
    from api.settings import Settings
    from intake import check_licence_pdf

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise NotAPdfError(f"cannot read {args.file}: {exc}", message_zh=f"无法读取文件 {args.file}") from exc
    container = build_container(Settings())
    try:
        result = as_json(CheckOut, check_json(check_licence_pdf(container.licences, data)))
    finally:
        container.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"{result['verdict']} ({result['verdict_zh']})")
        lic = result["licence"]
        if lic:
            print(f"  {lic['name']} {lic['number']} — {lic['holder_name']} — {lic['authority']}")
            if lic["superseded_by"]:
                print(f"  superseded by {lic['superseded_by']}")
            if lic["status_reason"]:
                print(f"  reason: {lic['status_reason']}")
        for sig in result["report"]["signatures"]:
            ts = sig["timestamp"]["time"] if sig["timestamp"] else "none"
            print(f"  signature {sig['field']}: intact={sig['intact']} trusted={sig['trusted']} "
                  f"modified={sig['modified']} level={sig['pades_level']} timestamp={ts}")
            for problem in sig["problems"]:
                print(f"    problem: {problem}")
        print(f"  sha256 {result['report']['sha256']}")
    return 0 if result["verdict"] == "valid" else 1
