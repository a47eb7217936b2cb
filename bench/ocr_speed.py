"""OCR speed: our pipeline beside the raw engine on the same pages, workers, RSS, born-digital PDFs.

    .venv/bin/python -m bench.ocr_speed [--pages 6] [--throughput-pages 8] [--public DIR]
                                        [--tiny-det FILE] [--int8-rec FILE] [--mix-only]

First table: the mix the service sees — small photos (RapidOCR's test images when ``--public``
is there, and the phone-style copies of ``bench.ocrgen.realworld``) and 150/300 dpi scans —
read once each by the bare engine as a caller gets it (``RapidOCR()``, every default) and by
our pipeline in its configurations, interleaved in one process; wall seconds per group, our
time split by stage, and each configuration's peak RSS in a process of its own.

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


CONFIGS = {"ours (openvino)": {"runtime": "openvino"}, "ours (onnxruntime)": {"runtime": "onnxruntime"},
           "ours, rec width >= 320": {"runtime": "onnxruntime", "rec_min_width": 320}}  # the default before


def mix_pages(public: Path | None, realworld: Path) -> list[tuple[str, bytes]]:
    """(group, file bytes): small photos, then 150 and 300 dpi scans."""
    out: list[tuple[str, bytes]] = []
    for name in ("ch_en_num.jpg", "check_return_word_len.jpeg", "return_word_debug.jpg", "en.jpg"):
        if public and (public / name).is_file():
            out.append(("small photo", (public / name).read_bytes()))
    if not (realworld / "truth.jsonl").exists():
        from bench.ocrgen.realworld import generate

        generate(realworld)
    for path in sorted(realworld.glob("*photo_small_00.jpg")):
        out.append(("small photo", path.read_bytes()))
    out += [("150 dpi scan", d) for d in make_pages(150, 2, seed=5)]
    out += [("300 dpi scan", d) for d in make_pages(300, 2, seed=6)]
    return out


def _timed_reader(options: dict[str, object]):  # type: ignore[no-untyped-def]
    """Our reader with the engine's detect/recognise calls timed (the engine itself untouched)."""
    from ocr import EngineConfig, OcrConfig, Reader

    reader = Reader(OcrConfig(engine=EngineConfig(threads=2, **options)))  # type: ignore[arg-type]
    engine, stats = reader.engine, {"read": 0.0, "recognise": 0.0, "recognise_in_read": 0.0}
    read, recognise = engine.read, engine.recognise
    inside = [False]

    def timed_recognise(crops):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        out = recognise(crops)
        took = time.perf_counter() - start
        stats["recognise"] += took
        if inside[0]:
            stats["recognise_in_read"] += took
        return out

    def timed_read(image, **options):  # type: ignore[no-untyped-def]
        inside[0] = True
        start = time.perf_counter()
        try:
            return read(image, **options)
        finally:
            stats["read"] += time.perf_counter() - start
            inside[0] = False

    engine.recognise, engine.read = timed_recognise, timed_read  # type: ignore[method-assign]
    return reader, stats


def mix_job(pages: list[tuple[str, bytes]], configs: dict[str, dict], result: mp.Queue) -> None:
    """Every page once per configuration, interleaved; seconds per (configuration, group)."""
    from bench.ocr_public import bare_engine

    bare = bare_engine()
    readers = {name: _timed_reader(opts) for name, opts in configs.items()}
    bare(pages[0][1])
    for reader, _ in readers.values():
        reader.read(pages[0][1])
    for _, stats in readers.values():
        for key in stats:
            stats[key] = 0.0
    seconds: dict[tuple[str, str], float] = {}
    totals: dict[str, float] = {}
    for group, data in pages:
        for name, call in [("bare RapidOCR()", bare)] + [(n, r.read) for n, (r, _) in readers.items()]:
            start = time.perf_counter()
            call(data)
            took = time.perf_counter() - start
            seconds[(name, group)] = seconds.get((name, group), 0.0) + took
            totals[name] = totals.get(name, 0.0) + took
    stages = {n: {"detect": s["read"] - s["recognise_in_read"], "recognise": s["recognise"],
                  "rest (decode, seals, layout, fields)": totals[n] - s["read"] - (s["recognise"] - s["recognise_in_read"])}
              for n, (_, s) in readers.items()}
    result.put((seconds, totals, stages))


def rss_job(name: str, options: dict[str, object] | None, pages: list[tuple[str, bytes]], result: mp.Queue) -> None:
    if options is None:
        from bench.ocr_public import bare_engine

        engine = bare_engine()
        for _, data in pages:
            engine(data)
    else:
        reader, _ = _timed_reader(options)
        for _, data in pages:
            reader.read(data)
    result.put(_rss_mb())


def mix_table(pages: list[tuple[str, bytes]], configs: dict[str, dict]) -> str:
    seconds, totals, stages = _run(mix_job, pages, configs)  # type: ignore[misc]
    groups = list(dict.fromkeys(g for g, _ in pages))
    counts = {g: sum(1 for x, _ in pages if x == g) for g in groups}
    names = ["bare RapidOCR()", *configs]
    rss = {n: _run(rss_job, n, None if n.startswith("bare") else configs[n], pages[-3:]) for n in names}
    head = f"{'configuration':<20}" + "".join(f"{f'{g} x{counts[g]} s':>20}" for g in groups) + f"{'all s':>8}{'speed-up':>9}{'peak RSS MB':>12}"
    out = [head, "-" * len(head)]
    for n in names:
        out.append(f"{n:<20}" + "".join(f"{seconds[(n, g)]:>20.2f}" for g in groups)
                   + f"{totals[n]:>8.2f}{totals[names[0]] / totals[n]:>9.2f}{rss[n]:>12.0f}")
    out.append("")
    out.append("our time by stage (s): " + "; ".join(
        f"{n}: " + ", ".join(f"{k} {v:.2f}" for k, v in st.items()) for n, st in stages.items()))
    return "\n".join(out)


def born_digital_pdf() -> bytes:
    from tests.ocr.ocr_helpers import born_digital_pdf as make

    return make(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--throughput-pages", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--public", type=Path, default=Path("/work/data/rapidocr-tests/python/tests/test_files"))
    parser.add_argument("--realworld", type=Path, default=Path("/tmp/onceonly-ocr-realworld"))
    parser.add_argument("--tiny-det", type=Path, help="PP-OCRv6 tiny detector (bench.ocr_models) to measure too")
    parser.add_argument("--int8-rec", type=Path, help="int8 recogniser (bench.ocr_quantise) to measure too")
    parser.add_argument("--det-page-side", type=int, help="also measure scans detected at this long side")
    parser.add_argument("--mix-only", action="store_true", help="only the first table")
    args = parser.parse_args()
    configs = dict(CONFIGS)
    if args.tiny_det:
        configs["ours (tiny det+fb)"] = {"runtime": "onnxruntime", "det_model": str(args.tiny_det), "det_fallback": True}
        configs["ours (ov, tiny+fb)"] = {"runtime": "openvino", "det_model": str(args.tiny_det), "det_fallback": True}
    if args.det_page_side:
        configs[f"ours (det page {args.det_page_side})"] = {"runtime": "onnxruntime", "det_page_side": args.det_page_side}
    if args.int8_rec:
        configs["ours (arena, int8 rec)"] = {"runtime": "onnxruntime", "memory_arena": True, "rec_model": str(args.int8_rec)}
    try:
        import openvino  # noqa: F401
    except ImportError:
        print("openvino is not installed (extra onceonly[openvino]): its configurations are left out")
        configs = {n: o for n, o in configs.items() if o.get("runtime") != "openvino"}
    print(f"OCR speed on the mix — {mp.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(mix_table(mix_pages(args.public if args.public.is_dir() else None, args.realworld), configs), flush=True)
    if args.mix_only:
        return
    print()
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
