"""OCR accuracy on the generated evaluation set, per condition.

    .venv/bin/python -m bench.ocr_eval [--set DIR] [--per-condition 16] [--engine rapidocr]
                                       [--threads 2] [--details out.jsonl] [--only COND,...]
                                       [--det-model F] [--rec-model F] [--rec-keys F]
                                       [--realworld DIR] [--public DIR] [--no-own | --own-only]
                                       [--runtime onnxruntime|openvino] [--[no-]det-fallback]
                                       [--memory-arena]

Three sets, one table each, in one run:
* our own generated set (generated first when ``DIR/truth.jsonl`` does not exist), per condition:
  character error rate, document-type accuracy, field exact-match rate, and how many identifiers
  were reported ``valid`` although they were read wrong (must be 0);
* the real-world layouts we did not design (``bench.ocrgen.realworld``), per image: fields, and
  our line CER beside the bare engine's (``RapidOCR()`` with every default);
* the public set (RapidOCR's own test images, ``bench.ocr_public``), per image, the same.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from ocr.engines import EngineConfig
from ocr.pipeline import OcrConfig, Reader

IDENTIFIER_KEYS = {"统一社会信用代码", "公民身份号码", "身份证号"}


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def same(predicted: object, expected: object) -> bool:
    if isinstance(expected, float) and isinstance(predicted, int | float):
        return math.isclose(float(predicted), expected, rel_tol=1e-9, abs_tol=0.005)
    if isinstance(expected, str) and isinstance(predicted, str):
        return _flat(predicted) == _flat(expected)
    return predicted == expected


def evaluate_one(reader: Reader, path: Path, truth: dict) -> dict:
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        result = reader.read(data)
        error = None
    except Exception as exc:  # noqa: BLE001 - an evaluation records failures, never stops
        result, error = None, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    gt_text = _flat("".join(truth["lines"]))
    ocr_text = _flat(result.text) if result else ""
    fields = result.fields if result else {}
    per_field = {}
    false_valid = 0
    for key, expected in truth["fields"].items():
        got = fields.get(key)
        ok = got is not None and same(got.value, expected)
        per_field[key] = {"ok": ok, "expected": expected, "got": None if got is None else got.value,
                          "valid": None if got is None else got.valid}
        if key in IDENTIFIER_KEYS and got is not None and got.valid and not ok:
            false_valid += 1
    page = result.pages[0] if result and result.pages else None
    return {
        "file": truth["file"], "condition": truth["condition"], "doc_type": truth["doc_type"],
        "predicted_type": result.doc_type if result else None,
        "cer_edits": levenshtein(gt_text, ocr_text), "cer_chars": len(gt_text),
        "fields": per_field, "false_valid": false_valid, "seconds": seconds, "error": error,
        "rotation": page.rotation if page else None, "quality": page.quality if page else None,
        "denoised": page.denoised if page else None,
        "_lines": [line.text for p in result.pages for line in p.lines] if result else [],
    }


def table(rows: list[dict]) -> str:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["condition"]].append(row)
    order = [c for c in ("clean100", "clean150", "clean300", "skew", "rot90", "rot180", "blur",
                         "jpeg30", "saltpepper", "photo") if c in groups]
    order += [c for c in groups if c not in order]
    head = f"{'condition':<11}{'images':>7}{'CER %':>8}{'doctype %':>11}{'fields %':>10}{'fields':>10}{'false valid':>13}{'s/page':>8}"
    lines = [head, "-" * len(head)]

    def summarise(name: str, items: list[dict]) -> str:
        edits = sum(r["cer_edits"] for r in items)
        chars = sum(r["cer_chars"] for r in items) or 1
        types = sum(r["predicted_type"] == r["doc_type"] for r in items)
        fok = sum(f["ok"] for r in items for f in r["fields"].values())
        ftotal = sum(len(r["fields"]) for r in items)
        fv = sum(r["false_valid"] for r in items)
        sec = sorted(r["seconds"] for r in items)[len(items) // 2]
        return (f"{name:<11}{len(items):>7}{100 * edits / chars:>8.2f}{100 * types / len(items):>11.1f}"
                f"{100 * fok / max(ftotal, 1):>10.1f}{f'{fok}/{ftotal}':>10}{fv:>13}{sec:>8.2f}")

    for cond in order:
        lines.append(summarise(cond, groups[cond]))
    lines.append("-" * len(head))
    lines.append(summarise("all", rows))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=Path("/tmp/onceonly-ocr-eval"))
    parser.add_argument("--per-condition", type=int, default=16)
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--det-model")
    parser.add_argument("--rec-model")
    parser.add_argument("--rec-keys", help="character list of --rec-model when the model embeds none")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-side-len", type=int, default=2000)
    parser.add_argument("--only", help="comma-separated conditions")
    parser.add_argument("--details", type=Path, help="write one JSON line per image here")
    parser.add_argument("--realworld", type=Path, default=Path("/tmp/onceonly-ocr-realworld"))
    parser.add_argument("--public", type=Path, default=Path("/work/data/rapidocr-tests/python/tests/test_files"),
                        help="RapidOCR's python/tests/test_files (see docs/ocr.md)")
    parser.add_argument("--no-own", action="store_true", help="skip our own generated set")
    parser.add_argument("--own-only", action="store_true", help="only our own generated set")
    parser.add_argument("--runtime", default=EngineConfig.runtime, help="onnxruntime, openvino or auto")
    parser.add_argument("--det-fallback", action=argparse.BooleanOptionalAction, default=None,
                        help="doubtful pages detected again by the wheel's own detector (default: as configured)")
    parser.add_argument("--det-page-side", type=int, help="long side scans are detected at (EngineConfig.det_page_side)")
    parser.add_argument("--rec-min-width", type=int, help="narrowest recogniser input (EngineConfig.rec_min_width)")
    parser.add_argument("--memory-arena", action=argparse.BooleanOptionalAction, default=None,
                        help="the recogniser's onnxruntime CPU memory arena (default: as configured)")
    args = parser.parse_args()
    defaults = EngineConfig()
    engine = EngineConfig(name=args.engine, threads=args.threads, det_model=args.det_model or defaults.det_model,
                          rec_model=args.rec_model, rec_keys=args.rec_keys, max_side_len=args.max_side_len,
                          runtime=args.runtime, memory_arena=defaults.memory_arena if args.memory_arena is None else args.memory_arena,
                          det_page_side=args.det_page_side or defaults.det_page_side,
                          rec_min_width=args.rec_min_width or defaults.rec_min_width,
                          det_fallback=defaults.det_fallback if args.det_fallback is None else args.det_fallback)
    reader = Reader(OcrConfig(engine=engine))
    if not args.no_own:
        own(args, reader)
    if args.own_only:
        return
    from bench.ocr_public import bare_engine

    bare = bare_engine()
    realworld(args.realworld, reader, bare)
    if args.public.is_dir():
        from bench.ocr_public import evaluate, table as public_table

        print(public_table(evaluate(reader, bare, args.public)))
    else:
        print(f"public set not found at {args.public} (docs/ocr.md: where to get RapidOCR's test images)")


def realworld(folder: Path, reader: Reader, bare) -> None:  # type: ignore[no-untyped-def]
    """Fields and line CER (ours and bare) per image of the real-world layouts."""
    from bench.ocr_public import bare_lines, line_edits

    if not (folder / "truth.jsonl").exists():
        from bench.ocrgen.realworld import generate as generate_realworld

        generate_realworld(folder)
    truths = [json.loads(x) for x in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    head = (f"{'real-world layout / condition':<34}{'type':>5}{'fields':>8}{'chars':>6}{'ours edits':>11}"
            f"{'bare edits':>11}{'ours s':>8}{'bare s':>8}")
    out = [head, "-" * len(head)]
    totals = [0, 0, 0, 0, 0, 0, 0.0, 0.0]
    missed = []
    for truth in truths:
        row = evaluate_one(reader, folder / truth["file"], truth)
        data = (folder / truth["file"]).read_bytes()
        start = time.perf_counter()
        bare_read = bare_lines(bare, data)
        bare_s = time.perf_counter() - start
        ours_read = row.pop("_lines")
        e_ours, chars = line_edits(truth["lines"], ours_read)
        e_bare, _ = line_edits(truth["lines"], bare_read)
        ok = sum(f["ok"] for f in row["fields"].values())
        n = len(row["fields"])
        missed += [f"{truth['file']}:{k}={f['got']!r}" for k, f in row["fields"].items() if not f["ok"]]
        type_ok = row["predicted_type"] == truth["doc_type"] or (truth["doc_type"] == "other" and not truth["fields"])
        out.append(f"{truth['condition'] + ' ' + truth['file'][-6:-4]:<34}{'ok' if type_ok else 'NO':>5}"
                   f"{f'{ok}/{n}':>8}{chars:>6}{e_ours:>11}{e_bare:>11}{row['seconds']:>8.2f}{bare_s:>8.2f}")
        for k, v in enumerate((int(type_ok), ok, n, chars, e_ours, e_bare, row["seconds"], bare_s)):
            totals[k] += v
    out.append("-" * len(head))
    t = totals
    out.append(f"{'all ' + str(len(truths)) + ' images':<34}{f'{t[0]}/{len(truths)}':>5}{f'{t[1]}/{t[2]}':>8}{t[3]:>6}"
               f"{t[4]:>11}{t[5]:>11}{t[6]:>8.2f}{t[7]:>8.2f}")
    out.append(f"fields {100 * t[1] / max(t[2], 1):.1f} %; line CER ours {100 * t[4] / max(t[3], 1):.2f} % vs bare "
               f"{100 * t[5] / max(t[3], 1):.2f} %")
    print("\n".join(out))
    for item in missed:
        print(f"  missed {item}", file=sys.stderr)


def own(args: argparse.Namespace, reader: Reader) -> None:
    truth_file = args.set / "truth.jsonl"
    if not truth_file.exists():
        from bench.ocrgen.__main__ import generate

        generate(args.set, args.per_condition)
    truths = [json.loads(x) for x in truth_file.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.only:
        wanted = set(args.only.split(","))
        truths = [t for t in truths if t["condition"] in wanted]
    rows = []
    out = args.details.open("w", encoding="utf-8") if args.details else None
    for n, truth in enumerate(truths, 1):
        row = evaluate_one(reader, args.set / truth["file"], truth)
        row.pop("_lines")
        rows.append(row)
        if out:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            out.flush()
        print(f"[{n}/{len(truths)}] {truth['file']} {row['seconds']:.1f}s", file=sys.stderr, flush=True)
    print(f"own set: engine={args.engine} threads={args.threads} images={len(rows)} set={args.set}")
    print(table(rows))


if __name__ == "__main__":
    main()
