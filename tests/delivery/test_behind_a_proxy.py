"""Behind a reverse proxy, hand-over rate limits key on the client the proxy names, never on the proxy.

Runs the real server (``onceonly serve``, uvicorn) and talks HTTP to it: X-Forwarded-For is honoured
only from the addresses in ``ONCEONLY_FORWARDED_ALLOW_IPS``; from anyone else it is ignored.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["127.0.0.1", "", None], ids=["proxy-trusted", "no-proxy-trusted", "default"])
def server(request: pytest.FixtureRequest, tmp_path: Path, unused_port: int) -> Iterator[tuple[str, str]]:
    port = unused_port
    env = {**os.environ, "ONCEONLY_DATA_DIR": str(tmp_path / "data"), "ONCEONLY_OCR_ON_UPLOAD": "false",
           "ONCEONLY_FORWARDED_ALLOW_IPS": request.param or "", "ONCEONLY_HANDOVER_CLIENT_MAX_FAILURES": "5"}
    env.pop("ONCEONLY_DATABASE_URL", None)
    if request.param is None:  # the default trusts no proxy
        env.pop("ONCEONLY_FORWARDED_ALLOW_IPS")
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()[-2000:] if process.stderr else "no output")
            time.sleep(0.3)
    yield base, request.param or ""
    process.terminate()
    process.wait(timeout=30)


def _wrong_link(base: str, client: str) -> int:
    body = urllib.parse.urlencode({"token": secrets.token_urlsafe(24), "owner_suffix": "12345X"}).encode()
    req = urllib.request.Request(base + "/api/v1/handover/download", data=body,
                                 headers={"X-Forwarded-For": client})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_guessing_client_is_stopped_without_locking_out_the_others(server: tuple[str, str]) -> None:
    base, trusted = server
    guesses = [_wrong_link(base, "203.0.113.7") for _ in range(6)]
    assert guesses[:5] == [404] * 5 and guesses[5] == 429
    other = _wrong_link(base, "198.51.100.9")
    if trusted:
        assert other == 404  # another applicant behind the same proxy is not locked out
    else:
        assert other == 429  # the header is not trusted: both are the proxy's one address
