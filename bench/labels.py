"""Courier label benchmark: how long a day's dispatch list takes to render, PDF and ZPL.

    .venv/bin/python bench/labels.py [--labels 1,50,200] [--repeat 3]

Renders batches of distinct labels (each its own waybill and recipient) as one PDF (100x150 and
76x130 mm) and as ZPL with Chinese as ^GF graphics or in a printer font. Prints the best of
``--repeat`` runs: seconds per batch, labels per second and output size per label.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._support import table  # noqa: E402
from certgen.labels import (  # noqa: E402
    EXAMPLE, LabelData, ZplOptions, render_labels_pdf, render_labels_zpl,
)
from certgen.labels.pdf import qr_matrix  # noqa: E402
from certgen.labels.zpl import graphic_field  # noqa: E402
from certgen.waybill import S10Scheme  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周"
DISTRICTS = ("鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市")


def labels(count: int) -> list[LabelData]:
    scheme = S10Scheme("EA", "CN")
    out = []
    for n in range(count):
        data = dict(EXAMPLE)
        data["waybill"] = scheme.format(n + 1)
        data["case_ref"] = f"BJ20261123{n:08d}"
        data["recipient"] = {
            "name": SURNAMES[n % 10] + "小明",
            "phone": f"131{n:08d}",
            "address": f"浙江省温州市{DISTRICTS[n % 6]}解放街{n + 1}号{n % 30 + 1}幢{n % 9 + 1}01室",
        }
        out.append(LabelData.from_dict(data))
    return out


def best(fn: Callable[[], bytes | str], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        graphic_field.cache_clear()  # each run starts cold; repeats within a batch still hit
        qr_matrix.cache_clear()
        start = time.perf_counter()
        output = fn()
        times.append(time.perf_counter() - start)
        size = len(output.encode() if isinstance(output, str) else output)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", default="1,50,200")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    kinds: dict[str, Callable[[list[LabelData]], bytes | str]] = {
        "pdf 100x150": lambda ls: render_labels_pdf(ls, "100x150"),
        "pdf 76x130": lambda ls: render_labels_pdf(ls, "76x130"),
        "zpl graphic": lambda ls: render_labels_zpl(ls, "100x150", ZplOptions("graphic")),
        "zpl font": lambda ls: render_labels_zpl(ls, "100x150", ZplOptions("font")),
    }
    render_labels_pdf(labels(1))  # warm up: font registration and subsetting tables
    rows = []
    for count in (int(c) for c in args.labels.split(",")):
        batch = labels(count)
        for name, render in kinds.items():
            seconds, size = best(lambda: render(batch), args.repeat)
            rows.append([name, count, seconds, count / seconds, size / count / 1024])
    print(table(["output", "labels", "seconds", "labels/s", "KiB/label"], rows))


if __name__ == "__main__":
    main()
