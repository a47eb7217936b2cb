"""Runs inside .venv-paddle (see scripts/install-paddle.sh): reads files with the paddleocr engine.

    .venv-paddle/bin/python tests/ocr/paddle_worker.py MODEL_CACHE FILE...   -> one JSON line per file
    .venv-paddle/bin/python tests/ocr/paddle_worker.py --no-models          -> the error it refuses with

Only the ``ocr`` library is imported (from the checkout), never the service.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ocr import EngineConfig, OcrConfig, OcrError, Reader  # noqa: E402
from ocr.engines.paddle_models import prepare_model_dirs  # noqa: E402


def main(argv: list[str]) -> int:
    if argv == ["--no-models"]:
        try:
            Reader(OcrConfig(engine=EngineConfig(name="paddleocr")))
        except OcrError as exc:
            print(json.dumps({"error": exc.code, "message": str(exc)}))
            return 0
        print(json.dumps({"error": None}))
        return 0
    cache, files = Path(argv[0]), argv[1:]
    det, rec = prepare_model_dirs(cache)
    reader = Reader(OcrConfig(engine=EngineConfig(name="paddleocr", threads=2, det_model=str(det),
                                                  rec_model=str(rec))))
    for name in files:
        result = reader.read(Path(name).read_bytes())
        print(json.dumps({"file": name, **result.to_dict()}, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
