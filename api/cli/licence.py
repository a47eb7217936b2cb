"""``onceonly licence``: issue a signed licence from JSON, list types, print an example, revoke."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from archive import Actor
from standards import TEMPLATES_DIR
from certgen.licences import LicenceDataError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("licence", help="issue, list and revoke signed e-licences")
    sub = parser.add_subparsers(dest="licence_command", metavar="ACTION", required=True)
    issue = sub.add_parser("issue", help="render, sign, archive (WORM) and record a licence")
    issue.add_argument("--type", required=True, help="template id (see `onceonly licence types`)")
    issue.add_argument("--data", type=Path, required=True, help="licence data JSON (see `licence example`)")
    issue.add_argument("--out", type=Path, required=True, help="where to write the signed PDF or sealed OFD")
    issue.add_argument("--case-id", help="the approved case this licence is issued for")
    issue.add_argument("--authority", help="issuing authority USCC (default: the first configured)")
    issue.add_argument("--format", choices=("pdf", "ofd"), default="pdf",
                       help="pdf: PAdES-signed PDF; ofd: OFD (GB/T 33190) with an SM2 seal (GB/T 38540)")
    issue.set_defaults(func=run_issue)
    types = sub.add_parser("types", help="list the licence template ids")
    types.set_defaults(func=run_types)
    example = sub.add_parser("example", help="print a valid input JSON for a template")
    example.add_argument("--type", required=True)
    example.set_defaults(func=run_example)
    show = sub.add_parser("show", help="print a licence's registry entry")
    show.add_argument("identifier")
    show.set_defaults(func=run_show)
    revoke = sub.add_parser("revoke", help="revoke a licence (with a reason)")
    revoke.add_argument("identifier")
    revoke.add_argument("--reason", required=True)
    revoke.set_defaults(func=run_revoke)


def _container():  # type: ignore[no-untyped-def]
    from api.container import build_container
    from api.settings import Settings

    return build_container(Settings())


def _templates():  # type: ignore[no-untyped-def]
    from api.settings import Settings
    from certgen.licences import TemplateSet

    settings = Settings()
    directory = settings.licence_templates_dir or TEMPLATES_DIR / "licences"
    return TemplateSet.load(directory)


def _actor() -> Actor:
    return Actor(name=f"cli:{os.environ.get('USER', 'operator')}", role="admin")


def run_types(args: argparse.Namespace) -> int:
    for template in _templates():
        print(f"{template.id}\t{template.name}")
    return 0


def run_example(args: argparse.Namespace) -> int:
    from certgen.licences import example_data

    print(json.dumps(example_data(_templates().get(args.type)), ensure_ascii=False, indent=2))
    return 0


def run_issue(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.data.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LicenceDataError(f"{args.data}: cannot read licence JSON: {exc}",
                               message_zh=f"无法读取证照数据文件 {args.data}") from exc
    container = _container()
    try:
        service = container.licences
        lic = service.issue(args.type, data, actor=_actor(), case_id=args.case_id, authority_code=args.authority,
                            format=args.format)
        pdf = service.content(lic.identifier, actor=_actor(), purpose="cli export")
    finally:
        container.close()
    tmp = args.out.with_name(args.out.name + ".part")  # never leave a half-written PDF behind
    tmp.write_bytes(pdf)
    os.replace(tmp, args.out)
    for warning in lic.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(json.dumps({"identifier": lic.identifier, "number": lic.number, "document_id": lic.document_id,
                      "sha256": lic.sha256, "out": str(args.out)}, ensure_ascii=False))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from api.schemas import LicenceOut, dumps, licence_json

    container = _container()
    try:
        service = container.licences
        print(dumps(LicenceOut, licence_json(service.get(args.identifier), service.today())))
    finally:
        container.close()
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    container = _container()
    try:
        lic = container.licences.revoke(args.identifier, reason=args.reason, actor=_actor())
    finally:
        container.close()
    print(f"{lic.identifier}\t{lic.status}\t{lic.status_reason}")
    return 0
