"""Shared helpers for benchmarks: latency statistics, free ports, servers on loopback, tables."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from statistics import median
from typing import Callable, Sequence


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


def start(cmd: Sequence[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(list(cmd), env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = start([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
    wait_http(f"http://127.0.0.1:{port}/moto-api/")
    return process, f"127.0.0.1:{port}"


@dataclass
class Run:
    """Latencies (seconds) of one batch of requests and the wall time it took."""

    latencies: list[float]
    wall: float
    nbytes: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    @property
    def mbps(self) -> float:
        return self.nbytes / self.wall / 1e6 if self.wall else 0.0

    def pct(self, q: float) -> float:
        data = sorted(self.latencies)
        if not data:
            return 0.0
        return data[min(len(data) - 1, int(round(q * (len(data) - 1))))] * 1000

    @property
    def p50(self) -> float:
        return median(self.latencies) * 1000 if self.latencies else 0.0


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [" | ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return str(value)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn``."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out
def fresh_database(base: str) -> tuple[str, Callable[[], None]]:
    """A new, empty PostgreSQL database next to ``base`` and the function that drops it."""
    import secrets

    from sqlalchemy import create_engine, text

    name = f"oo_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base.rpartition('/')[0]}/{name}", drop
