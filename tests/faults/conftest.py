"""A real service process (``onceonly serve``) on a loopback port, for fault tests that kill, freeze
and restart things; keys are made through the CLI against the same data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=self.env,
                              capture_output=True, timeout=120)
        if done.returncode not in (0, 1):
            raise RuntimeError(done.stderr.decode()[-2000:])
        return done.stdout.decode()

    def key(self, role: str, *scopes: str) -> str:
        args = ["keys", "create", "--role", role, "--name", f"{role}-fault-test"]
        for scope in scopes:
            args += ["--scope", scope]
        return self.cli(*args).splitlines()[0].strip()

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
                                        cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    raise RuntimeError(self.process.stderr.read().decode()[-2000:] if self.process.stderr else "")
                time.sleep(0.3)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """``service(**settings)`` -> a not yet started service on its own data folder; all are stopped after."""
    made: list[Service] = []

    def make(**settings: str) -> Service:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ONCEONLY_DATA_DIR": str(tmp_path / "data"),
               "ONCEONLY_OCR_ON_UPLOAD": "false"}
        env.pop("ONCEONLY_DATABASE_URL", None)
        env.update({f"ONCEONLY_{k.upper()}": v for k, v in settings.items()})
        made.append(Service(env))
        return made[-1]

    yield make
    for one in made:
        one.stop()
