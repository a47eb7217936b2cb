#!/usr/bin/env bash
# Install OnceOnly and start it on the embedded default: SQLite + a local folder archive +
# in-process OCR, at http://127.0.0.1:8000 (data in ./var unless ONCEONLY_DATA_DIR is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export ONCEONLY_DATA_DIR="${ONCEONLY_DATA_DIR:-$PWD/var}"
.venv/bin/python -m api.cli setup
exec .venv/bin/onceonly serve "$@"
