#!/usr/bin/env bash
# Install OnceOnly with its test extras and run the whole test suite.
# PostgreSQL tests run when ONCEONLY_TEST_POSTGRES_URL is set (with CI=true they must not skip).
# Tests run in parallel processes (pytest-xdist; ONCEONLY_TEST_PROCESSES, default: cores + 1, since many
# tests wait on servers they start); tests sharing a fixed-name resource run in one process
# (tests/conftest.py). ONCEONLY_TEST_PROCESSES=0 runs them all in this process.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
procs="${ONCEONLY_TEST_PROCESSES:-$(( $(nproc) + 1 ))}"
exec .venv/bin/python -m pytest -n "$procs" --dist loadgroup "$@"
