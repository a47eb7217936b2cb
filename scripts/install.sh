#!/usr/bin/env bash
# Installs OnceOnly on a Debian/Ubuntu machine: system packages, a venv in .venv, the package.
# Usage: scripts/install.sh [--test]   (--test adds the test extras and the PaddleOCR test venv)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
pkgs=$(grep -v '^#' scripts/system-packages.txt | xargs)
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing system packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing python3-venv >/dev/null || \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
extras="heic"
if [ "${1:-}" = "--test" ]; then extras="heic,test"; fi
.venv/bin/pip install -q --disable-pip-version-check -e ".[${extras}]"
# the optional PaddleOCR engine is tested from its own venv (it cannot share .venv)
if [ "${1:-}" = "--test" ]; then bash scripts/install-paddle.sh; fi
