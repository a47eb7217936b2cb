"""The public evaluation set: RapidOCR's own test images, read by us and by the bare engine.

The images are RapidOCR's (Apache-2.0) and are not in this repository: point ``--public`` at
a copy of ``python/tests/test_files`` of github.com/RapidAI/RapidOCR (docs/ocr.md says how).
Their text, as transcribed by us (first lines as RapidOCR's tests assert them), is in
``bench/data/rapidocr_public_truth.json``.

Line CER: the read lines are put in the order of the true text (each where its longest common
run with it lies), joined, and compared with the true text: edits over true characters. Reading
order and lines split into pieces cost nothing; every missed, wrong or extra character does.
"""

from __future__ import annotations

import json
import logging
import time
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from bench.ocr_eval import levenshtein

TRUTH = Path(__file__).resolve().parent / "data" / "rapidocr_public_truth.json"


def flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def line_edits(truth: list[str], read: list[str]) -> tuple[int, int]:
    """(edits, true characters): read lines put where they best fit the true text, then compared.

    Each read line is placed at the position of its longest common run in the true text (lines
    matching nothing go last), so reading order and a line split into pieces cost nothing;
    missed, wrong and extra characters all count.
    """
    want = "".join(flat(x) for x in truth)
    placed = []
    for k, line in enumerate(flat(x) for x in read):
        if not line:
            continue
        match = SequenceMatcher(None, want, line, autojunk=False).find_longest_match(0, len(want), 0, len(line))
        placed.append((match.a - match.b if match.size else len(want) + k, k, line))
    got = "".join(line for _, _, line in sorted(placed))
    return levenshtein(want, got), len(want)


def bare_engine():  # type: ignore[no-untyped-def]
    """RapidOCR exactly as a caller gets it: ``RapidOCR()``, every default (threads, cls, sizes)."""
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.log_level": "error"})


def bare_lines(engine, data: bytes) -> list[str]:  # type: ignore[no-untyped-def]
    result = engine(data)
    return [str(t) for t in (result.txts or ())]


def load_truth(folder: Path) -> dict[str, list[str]]:
    images = json.loads(TRUTH.read_text(encoding="utf-8"))["images"]
    return {name: lines for name, lines in images.items() if (folder / name).is_file()}


def evaluate(reader, engine, folder: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    """One row per image: our and the bare engine's line edits and wall seconds."""
    rows = []
    for name, truth in load_truth(folder).items():
        data = (folder / name).read_bytes()
        start = time.perf_counter()
        ours = [line.text for page in reader.read(data).pages for line in page.lines]
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        bare = bare_lines(engine, data)
        bare_s = time.perf_counter() - start
        e_ours, chars = line_edits(truth, ours)
        e_bare, _ = line_edits(truth, bare)
        rows.append({"file": name, "chars": chars, "ours": e_ours, "bare": e_bare, "ours_s": ours_s, "bare_s": bare_s})
    return rows


def table(rows: list[dict]) -> str:
    head = f"{'public image (RapidOCR tests)':<30}{'chars':>6}{'ours edits':>11}{'bare edits':>11}{'ours CER %':>11}{'bare CER %':>11}{'ours s':>8}{'bare s':>8}"
    out = [head, "-" * len(head)]
    for r in rows:
        out.append(f"{r['file']:<30}{r['chars']:>6}{r['ours']:>11}{r['bare']:>11}{100 * r['ours'] / max(r['chars'], 1):>11.1f}"
                   f"{100 * r['bare'] / max(r['chars'], 1):>11.1f}{r['ours_s']:>8.2f}{r['bare_s']:>8.2f}")
    chars = sum(r["chars"] for r in rows) or 1
    ours, bare = sum(r["ours"] for r in rows), sum(r["bare"] for r in rows)
    worse = [r["file"] for r in rows if r["ours"] > r["bare"] + 2]
    out.append("-" * len(head))
    out.append(f"{'all':<30}{chars:>6}{ours:>11}{bare:>11}{100 * ours / chars:>11.2f}{100 * bare / chars:>11.2f}"
               f"{sum(r['ours_s'] for r in rows):>8.2f}{sum(r['bare_s'] for r in rows):>8.2f}")
    out.append(f"images where ours is worse than bare by more than 2 characters: {', '.join(worse) or 'none'}")
    return "\n".join(out)

