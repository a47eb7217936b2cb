"""`onceonly serve --workers N` on Linux: every server process on a listening socket of its own.

Real processes, real sockets. Which process holds which socket is read from /proc (the kernel's
own tables), not from anything the service reports about itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.scaleout.procs import ROOT, free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreading is Linux's")

LISTEN, ESTABLISHED = "0A", "01"


def _sockets(port: int, state: str) -> set[int]:
    """Inodes of the TCP sockets whose local port is ``port``, in ``state``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(int(fields[9]))
    return inodes


def _owners(inodes: set[int]) -> dict[int, int]:
    """socket inode -> pid of the process holding it."""
    owners = {}
    for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inode = int(target[8:-1])
                    if inode in inodes:
                        owners[inode] = pid
        except OSError:
            continue  # the process ended while we looked
    return owners


def _listeners(port: int) -> dict[int, int]:
    """pid -> number of listening sockets on ``port`` it holds."""
    counts: dict[int, int] = {}
    for pid in _owners(_sockets(port, LISTEN)).values():
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _wait(condition, seconds: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def _two_listening(port: int, seconds: float = 120, but_not: int | None = None) -> dict[int, int]:
    """Wait until two processes listen on ``port`` (neither of them ``but_not``); pid -> sockets."""
    def ready() -> dict[int, int] | None:
        found = _listeners(port)
        return found if len(found) == 2 and but_not not in found else None

    return _wait(ready, seconds, "two server processes listening" + (f" (not {but_not})" if but_not else ""))


def _serve(tmp_path: Path, port: int, workers: int = 2) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ONCEONLY_DATA_DIR": str(tmp_path / "data"),
           "ONCEONLY_OCR_ON_UPLOAD": "false", "ONCEONLY_LOG_LEVEL": "WARNING"}
    return subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _end(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(10)


def _get_healthz(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: onceonly\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        assert chunk, "connection closed"
        answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_each_server_process_has_its_own_socket_and_a_burst_of_connections_reaches_both(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port)
    try:
        listeners = _two_listening(port)
        assert all(count == 1 for count in listeners.values()), listeners  # one socket each, not one shared
        assert server.pid not in listeners  # the supervisor itself holds none

        # 60 keep-alive clients connecting at once, as a load balancer's pool or wrk does
        clients = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(60)]
        try:
            assert {_get_healthz(c) for c in clients} == {b"HTTP/1.1 200 OK"}
            held: dict[int, int] = {}
            for pid in _owners(_sockets(port, ESTABLISHED)).values():
                held[pid] = held.get(pid, 0) + 1
            assert set(held) == set(listeners), (held, listeners)
            assert min(held.values()) >= 12, held  # the kernel spreads them; a shared socket gave 17/83
        finally:
            for c in clients:
                c.close()
    finally:
        _end(server)


def test_a_killed_server_process_is_replaced_while_the_other_answers_and_sigterm_ends_all(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port)
    try:
        first = _two_listening(port)
        victim, survivor = sorted(first)
        os.kill(victim, signal.SIGKILL)
        # its socket closes when its last thread has exited, which can be after the process shows as a zombie
        _wait(lambda: not _alive(victim) and victim not in _listeners(port), 10, "the killed process and its socket gone")
        for _ in range(30):  # new connections, each: none may reach the dead socket
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
        after = _two_listening(port, but_not=victim)  # a replacement beside the survivor
        assert survivor in after

        server.send_signal(signal.SIGTERM)  # the supervisor alone, as a service manager does
        assert server.wait(45) == 0
        assert not any(_alive(pid) for pid in after), after
        assert not _listeners(port)
    finally:
        _end(server)


def test_server_processes_end_when_their_supervisor_is_killed(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port)
    try:
        children = _two_listening(port)
        os.kill(server.pid, signal.SIGKILL)  # the supervisor only, not its process group
        server.wait(10)
        _wait(lambda: not any(_alive(pid) for pid in children), 45, "the orphaned server processes gone")
        assert not _listeners(port)
    finally:
        _end(server)


def test_serve_refuses_a_port_another_program_listens_on(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = _serve(tmp_path, port)
        try:
            assert server.wait(60) == 1
            assert b"already in use" in server.stderr.read()
            assert _listeners(port) == {os.getpid(): 1}  # nobody joined the other program's port
        finally:
            _end(server)
