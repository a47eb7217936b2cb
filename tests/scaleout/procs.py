"""Real processes for the scale-out tests: `onceonly serve` replicas and `onceonly worker`s.

Every process runs this worktree's code (PYTHONPATH), in its own session (so a kill -9 takes its
forked children too), and is killed and reaped by ``Processes.stop_all`` whatever happens.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scan(n: int) -> bytes:
    """A small distinct page with a few lines of text (cheap to read, long enough to kill mid-job)."""
    image = Image.new("L", (900, 1200), 255)
    draw = ImageDraw.Draw(image)
    for line in range(14):
        draw.text((60, 60 + line * 70), f"SCAN {n:02d} LINE {line:02d} ONCEONLY 0571-{n:04d}{line:02d}", fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Processes:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "ONCEONLY_OCR_THREADS": "1", **env}
        self.running: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "api.cli", *argv], cwd=ROOT, env={**self.env, **env},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.running.append(process)
        return process

    def serve(self, name: str, *, workers: int = 1, **env: str) -> str:
        port = free_port()
        data = self.workdir / name
        data.mkdir(exist_ok=True)
        process = self._start(name, ["serve", "--port", str(port), "--workers", str(workers)],
                              {"ONCEONLY_DATA_DIR": str(data), **env})
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.log(name)[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{name} did not start: {self.log(name)[-2000:]}")

    def worker(self, name: str, *, ready: bool = True, **env: str) -> subprocess.Popen[bytes]:
        data = self.workdir / name
        data.mkdir(exist_ok=True)
        process = self._start(name, ["worker", "--concurrency", "1"], {"ONCEONLY_DATA_DIR": str(data), **env})
        deadline = time.monotonic() + 120
        while ready and time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.log(name)[-2000:]}")
            if b"ready." in (self.workdir / f"{name}.log").read_bytes():
                return process
            time.sleep(0.3)
        if ready:
            raise RuntimeError(f"{name} not ready: {self.log(name)[-2000:]}")
        return process

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """kill -9 the process and everything it forked; reap it (a zombie would still look alive)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(15)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(process)
            else:
                self.kill(process)
