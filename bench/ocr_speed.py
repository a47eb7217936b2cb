"""OCR speed: our pipeline beside the raw engine on the same pages, workers, RSS, born-digital PDFs.

    .venv/bin/python -m bench.ocr_speed [--pages 6] [--throughput-pages 8]

Every measurement runs in its own process (so peak RSS is per worker). Seconds per page are
medians after one warm-up page. The raw engine is RapidOCR called directly with the same models
and options as our default (threads, max_side_len, no line classifier), once on the same file
bytes (it decodes them itself) and once on the already decoded image; our figure includes
decoding the file, noise/seal checks, orientation check, reading order, document type and
fields. The first ratio is our overhead over a caller of the bare engine; the second also
charges us for decoding the file.
"""

from __future__ import annotations

import argparse
import io
import os
import multiprocessing as mp
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KINDS = ["business_licence", "id_card", "lease_contract", "food_business_licence", "drug_business_licence",
         "health_certificate", "capital_report", "application_form"]


def make_pages(dpi: int, count: int, seed: int = 77) -> list[bytes]:
    from bench.ocrgen.data import Faker
    from bench.ocrgen.docs import RENDERERS
    from bench.ocrgen.sheet import FONTS, Sheet

    out = []
    for i in range(count):
        rendered = RENDERERS[KINDS[i % len(KINDS)]](Faker(seed + i), Sheet(dpi, FONTS[i % len(FONTS)]))
        buf = io.BytesIO()
        rendered.image.save(buf, "PNG")
        out.append(buf.getvalue())
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _ours(threads: int, **limits: object):  # type: ignore[no-untyped-def]
    from ocr import EngineConfig, InputLimits, OcrConfig, Reader

    return Reader(OcrConfig(engine=EngineConfig(threads=threads), limits=InputLimits(**limits)))  # type: ignore[arg-type]


def _raw(threads: int):  # type: ignore[no-untyped-def]
    import logging

    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    params = {"Global.log_level": "error", "Global.max_side_len": 2000, "Global.use_cls": False,
              "EngineConfig.onnxruntime.intra_op_num_threads": threads,
              "EngineConfig.onnxruntime.inter_op_num_threads": 1}
    return RapidOCR(params=params)


def latency_job(mode: str, pages: list[bytes], threads: int, result: mp.Queue) -> None:
    """Median seconds per page (after a warm-up page) and this process's peak RSS."""
    import numpy as np
    from PIL import Image

    times = []
    if mode == "ours":
        reader = _ours(threads)
        reader.read(pages[0])
        for data in pages:
            start = time.perf_counter()
            reader.read(data)
            times.append(time.perf_counter() - start)
    else:
        engine = _raw(threads)
        arrays = [np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(d)).convert("RGB"))[:, :, ::-1]) for d in pages]
        engine(arrays[0])
        for array in arrays:
            start = time.perf_counter()
            engine(array)
            times.append(time.perf_counter() - start)
    result.put((statistics.median(times), _rss_mb()))  # RSS: this process only (one engine)


def paired_job(pages: list[bytes], threads: int, rounds: int, result: mp.Queue) -> None:
    """Ours and raw in one process, interleaved page by page, so load drift hits all alike.

    The raw engine is timed twice: given the same file bytes (it decodes them itself, as a caller
    of the bare engine would) and given an already decoded array (engine time alone).
    """
    import numpy as np
    from PIL import Image

    reader, engine = _ours(threads), _raw(threads)
    arrays = [np.ascontiguousarray(np.asarray(Image.open(io.BytesIO(d)).convert("RGB"))[:, :, ::-1]) for d in pages]
    reader.read(pages[0])
    engine(pages[0])
    ours, raw_file, raw_array = [], [], []
    for _ in range(rounds):
        for data, array in zip(pages, arrays, strict=True):
            for sink, call, arg in ((raw_file, engine, data), (ours, reader.read, data), (raw_array, engine, array)):
                start = time.perf_counter()
                call(arg)
                sink.append(time.perf_counter() - start)
    result.put((statistics.median(ours), statistics.median(raw_file), statistics.median(raw_array)))


def pdf_job(pdf: bytes, result: mp.Queue) -> None:
    text_reader = _ours(2)
    ocr_reader = _ours(2, use_text_layer=False)
    ocr_reader.read(pdf)
    timings = {}
    for name, reader in (("text layer", text_reader), ("OCR of the rendered page", ocr_reader)):
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            doc = reader.read(pdf)
            runs.append(time.perf_counter() - start)
        timings[name] = (statistics.median(runs), doc.doc_type, len(doc.fields))
    result.put(timings)


def throughput_job(pages: list[bytes], threads: int, ready: mp.Queue, go: mp.Event, result: mp.Queue) -> None:
    reader = _ours(threads)
    reader.read(pages[0])
    ready.put(1)
    go.wait()
    for data in pages:
        reader.read(data)
    result.put((time.perf_counter(), _rss_mb()))


def _run(target, *args) -> object:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=target, args=(*args, queue))
    process.start()
    value = queue.get()
    process.join()
    return value


def throughput(pages: list[bytes], workers: int) -> tuple[float, float]:
    ctx = mp.get_context("spawn")
    ready, result, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    threads = max(1, 2 // workers)
    shares = [pages[i::workers] for i in range(workers)]
    procs = [ctx.Process(target=throughput_job, args=(share, threads, ready, go, result)) for share in shares]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    start = time.perf_counter()
    go.set()
    ends = [result.get() for _ in procs]
    for p in procs:
        p.join()
    wall = max(e for e, _ in ends) - start
    return len(pages) / wall, max(r for _, r in ends)


def born_digital_pdf() -> bytes:
    from tests.ocr.ocr_helpers import born_digital_pdf as make

    return make(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--throughput-pages", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"OCR speed — {mp.cpu_count()} CPUs, rapidocr, {args.threads} engine threads, {args.pages} pages "
          f"x {args.rounds} rounds per row, interleaved (median after warm-up); load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'dpi':>4} {'ours s/page':>12} {'raw file s/page':>16} {'ratio':>6} {'raw array s/page':>17} {'ratio':>6} "
          f"{'ours RSS MB':>12} {'raw RSS MB':>11}")
    for dpi in (150, 300):
        pages = make_pages(dpi, args.pages)
        ours, raw, raw_array = _run(paired_job, pages, args.threads, args.rounds)  # type: ignore[misc]
        _, ours_rss = _run(latency_job, "ours", pages[:2], args.threads)  # type: ignore[misc]
        _, raw_rss = _run(latency_job, "raw", pages[:2], args.threads)  # type: ignore[misc]
        print(f"{dpi:>4} {ours:>12.2f} {raw:>16.2f} {ours / raw:>6.2f} {raw_array:>17.2f} {ours / raw_array:>6.2f} "
              f"{ours_rss:>12.0f} {raw_rss:>11.0f}", flush=True)
    print()
    print(f"{'workers':>7} {'threads each':>13} {'pages/s':>8} {'peak RSS/worker MB':>19}")
    pages = make_pages(150, args.throughput_pages, seed=99)
    for workers in (1, 2):
        rate, rss = throughput(pages, workers)
        print(f"{workers:>7} {max(1, 2 // workers):>13} {rate:>8.2f} {rss:>19.0f}", flush=True)
    print()
    timings = _run(pdf_job, born_digital_pdf())  # type: ignore[assignment]
    print(f"{'born-digital PDF page (150 dpi)':<34} {'s/page':>7} {'doc type':>18} {'fields':>7}")
    for name, (seconds, doc_type, fields) in timings.items():  # type: ignore[union-attr]
        print(f"{name:<34} {seconds:>7.3f} {doc_type:>18} {fields:>7}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
