"""OCR accuracy on the generated evaluation set, per condition.

    .venv/bin/python -m bench.ocr_eval [--set DIR] [--per-condition 16] [--engine rapidocr]
                                       [--threads 2] [--details out.jsonl] [--only COND,...]
                                       [--det-model F] [--rec-model F] [--rec-keys F]

Generates the set first when ``DIR/truth.jsonl`` does not exist. Prints, per condition:
character error rate, document-type accuracy, field exact-match rate, and how many identifiers
were reported ``valid`` although they were read wrong (must be 0).
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
    args = parser.parse_args()
    truth_file = args.set / "truth.jsonl"
    if not truth_file.exists():
        from bench.ocrgen.__main__ import generate

        generate(args.set, args.per_condition)
    truths = [json.loads(x) for x in truth_file.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.only:
        wanted = set(args.only.split(","))
        truths = [t for t in truths if t["condition"] in wanted]
    engine = EngineConfig(name=args.engine, threads=args.threads, det_model=args.det_model,
                          rec_model=args.rec_model, rec_keys=args.rec_keys, max_side_len=args.max_side_len)
    reader = Reader(OcrConfig(engine=engine))
    rows = []
    out = args.details.open("w", encoding="utf-8") if args.details else None
    for n, truth in enumerate(truths, 1):
        row = evaluate_one(reader, args.set / truth["file"], truth)
        rows.append(row)
        if out:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            out.flush()
        print(f"[{n}/{len(truths)}] {truth['file']} {row['seconds']:.1f}s", file=sys.stderr, flush=True)
    print(f"engine={args.engine} threads={args.threads} images={len(rows)} set={args.set}")
    print(table(rows))


if __name__ == "__main__":
    main()
