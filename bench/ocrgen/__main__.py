"""``python -m bench.ocrgen OUTDIR [--per-condition N] [--seed S]``: write the evaluation set."""

from __future__ import annotations

import argparse
import io
import json
import random
from pathlib import Path

from bench.ocrgen.data import Faker
from bench.ocrgen.degrade import CONDITIONS
from bench.ocrgen.docs import RENDERERS
from bench.ocrgen.sheet import FONTS, Sheet

CLEAN = {"clean100": 100, "clean150": 150, "clean300": 300}
DEGRADED_DPI = 150


def generate(outdir: Path, per_condition: int = 16, seed: int = 2026) -> int:
    """Render ``per_condition`` documents for each condition; returns the number of images."""
    outdir.mkdir(parents=True, exist_ok=True)
    kinds = list(RENDERERS)
    conditions = list(CLEAN) + list(CONDITIONS)
    count = 0
    with (outdir / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for c, condition in enumerate(conditions):
            for i in range(per_condition):
                kind = kinds[(i + c) % len(kinds)]
                font = FONTS[(i + 2 * c) % len(FONTS)]
                doc_seed = seed * 1000 + c * 100 + i
                dpi = CLEAN.get(condition, DEGRADED_DPI)
                rendered = RENDERERS[kind](Faker(doc_seed), Sheet(dpi, font))
                image = rendered.image
                rng = random.Random(doc_seed)
                suffix = "png"
                if condition in CONDITIONS:
                    image = CONDITIONS[condition](image, rng)
                buf = io.BytesIO()
                if condition == "jpeg30":
                    image.save(buf, "JPEG", quality=30)
                    suffix = "jpg"
                elif condition == "photo":
                    image.save(buf, "JPEG", quality=88)
                    suffix = "jpg"
                else:
                    image.save(buf, "PNG", optimize=False)
                name = f"{condition}_{i:02d}_{kind}.{suffix}"
                (outdir / name).write_bytes(buf.getvalue())
                record = {"file": name, "condition": condition, "dpi": dpi, "doc_type": rendered.doc_type,
                          "font": font[0], "fields": rendered.fields, "lines": rendered.lines}
                truth.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--per-condition", type=int, default=16)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    n = generate(args.outdir, args.per_condition, args.seed)
    print(f"wrote {n} images and truth.jsonl to {args.outdir}")


if __name__ == "__main__":
    main()
