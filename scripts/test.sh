#!/usr/bin/env bash
# Install OnceOnly with its test extras and run the whole test suite.
# PostgreSQL tests run when ONCEONLY_TEST_POSTGRES_URL is set (with CI=true they must not skip).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
exec .venv/bin/python -m pytest "$@"
