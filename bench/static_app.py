"""The baseline of bench/fetch.py: a bare static-file server on the same HTTP stack (uvicorn +
Starlette ``StaticFiles``), no auth, no catalog, no audit. Folder from ``BENCH_STATIC_DIR``."""

import os

from starlette.staticfiles import StaticFiles

app = StaticFiles(directory=os.environ.get("BENCH_STATIC_DIR", "."))
