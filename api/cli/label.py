"""``onceonly label``: render a courier label (PDF or ZPL) from a JSON file, or print an example."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from certgen.labels import EXAMPLE, SIZES, LabelData, LabelDataError, ZplOptions, render_labels_pdf, render_labels_zpl


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "label", help="render a courier label (PDF or ZPL) from JSON",
        description="Render a courier label. The recipient's name, phone and address are masked on the label.",
    )
    parser.add_argument("--data", type=Path, help="label JSON (see --example), or a list of them for a batch")
    parser.add_argument("--out", type=Path, help="output file (.pdf, or .zpl with --zpl); '-' for stdout")
    parser.add_argument("--zpl", action="store_true", help="write ZPL for a thermal printer instead of PDF")
    parser.add_argument("--size", choices=SIZES, default="100x150", help="label size in mm")
    parser.add_argument("--zpl-text", choices=("graphic", "font"), default="graphic",
                        help="Chinese text as ^GF graphics (any printer) or in a printer font")
    parser.add_argument("--printer-font", default="E:SIMSUN.TTF", help="printer font for --zpl-text font")
    parser.add_argument("--example", action="store_true", help="print a valid input JSON and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.example:
        print(json.dumps(EXAMPLE, ensure_ascii=False, indent=2))
        return 0
    if args.data is None or args.out is None:
        print("error: --data FILE.json and --out FILE are required (or use --example)", file=sys.stderr)
        return 2
    try:
        data = json.loads(args.data.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LabelDataError(f"{args.data}: cannot read label JSON: {exc}",
                             message_zh=f"无法读取面单 JSON 文件 {args.data}") from exc
    labels = [LabelData.from_dict(item) for item in (data if isinstance(data, list) else [data])]
    if args.zpl:
        options = ZplOptions(args.zpl_text, args.printer_font)
        output: bytes = render_labels_zpl(labels, args.size, options).encode("utf-8")
    else:
        output = render_labels_pdf(labels, args.size)
    if str(args.out) == "-":
        sys.stdout.buffer.write(output)
    else:
        tmp = args.out.with_name(args.out.name + ".part")  # never leave a half-written label behind
        tmp.write_bytes(output)
        tmp.replace(args.out)
        waybills = ", ".join(label.waybill for label in labels)
        print(f"{args.out}: {len(labels)} {'ZPL' if args.zpl else 'PDF'} label(s) {args.size} mm: {waybills}",
              file=sys.stderr)
    return 0
