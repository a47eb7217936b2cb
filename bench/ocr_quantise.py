"""int8 copies of the shipped PP-OCRv6 small models, made by onnxruntime's dynamic quantisation.

    .venv/bin/python -m bench.ocr_quantise [--out bench/results/models/int8] [--ops MatMul[,Conv]]

The models are the ones in the rapidocr wheel (nothing is downloaded); the copies are written to
``--out`` (under ``bench/results/``, which git ignores — they are derived files, never committed)
as ``PP-OCRv6_{det,rec}_small.int8-<ops>.onnx``. Dynamic quantisation stores the weights of the
chosen operator types as int8 and quantises their inputs at run time: no calibration images, so
the copy depends only on the shipped model and this onnxruntime version.

Quantising needs the ``onnx`` package, which is not a dependency of the service (only of this
script): ``pip install onnx`` into the environment that runs it, or point ``PYTHONPATH`` at a
directory where it was installed with ``pip install --target``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def shipped_models() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).parent / "models"
    return {"det": root / "PP-OCRv6_det_small.onnx", "rec": root / "PP-OCRv6_rec_small.onnx"}


def quantise(source: Path, target: Path, ops: list[str], per_channel: bool = False) -> Path:
    """Write a dynamically quantised (int8 weights) copy of ``source`` to ``target``."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # onnx missing: onnxruntime.quantization imports it
        raise SystemExit(f"onnxruntime.quantization needs the onnx package: {exc}") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    quantize_dynamic(str(source), str(target), op_types_to_quantize=ops, weight_type=QuantType.QInt8,
                     per_channel=per_channel)
    return target


def calibration_inputs(count: int, max_side: int) -> list:  # type: ignore[type-arg]
    """Detector inputs of generated pages (seeds the evaluation set does not use), preprocessed as
    the engine does: RGB→BGR, long side at most ``max_side``, sides multiples of 32, normalised."""
    import io

    import numpy as np
    from PIL import Image
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    from bench.ocr_speed import make_pages

    prep = DetPreProcess(max_side, "max")
    out = []
    for k, data in enumerate(make_pages(150, count, seed=4242)):
        image = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))[:, :, ::-1]
        if k % 2:
            image = np.ascontiguousarray(image[::2, ::2])  # smaller text too, as on photos
        out.append(prep(np.ascontiguousarray(image)))
    return out


def quantise_static(source: Path, target: Path, count: int = 8, max_side: int = 1024) -> Path:
    """Write a statically quantised (QDQ, int8 weights and activations) copy of a detector,
    calibrated (min/max) on ``count`` generated pages."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Pages(CalibrationDataReader):
        def __init__(self) -> None:
            self.items = iter([{"x": x} for x in calibration_inputs(count, max_side)])

        def get_next(self):  # type: ignore[no-untyped-def]
            return next(self.items, None)

    target.parent.mkdir(parents=True, exist_ok=True)
    quantize_static(str(source), str(target), Pages(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, op_types_to_quantize=["Conv"])
    return target


def int8_path(out: Path, task: str, ops: list[str]) -> Path:
    return out / f"PP-OCRv6_{task}_small.int8-{'-'.join(o.lower() for o in ops)}.onnx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("bench/results/models/int8"))
    parser.add_argument("--ops", default="MatMul", help="operator types to quantise (MatMul, Conv, ...)")
    parser.add_argument("--tasks", default="rec", help="det, rec or det,rec")
    parser.add_argument("--static", action="store_true", help="static QDQ quantisation, calibrated on generated pages")
    args = parser.parse_args()
    ops = args.ops.split(",")
    for task in args.tasks.split(","):
        source = shipped_models()[task]
        if args.static:
            target = quantise_static(source, args.out / f"PP-OCRv6_{task}_small.int8-static.onnx")
        else:
            target = quantise(source, int8_path(args.out, task, ops), ops)
        print(f"{target}  ({source.stat().st_size // 1024} KB -> {target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
