"""``onceonly serve --workers N`` on Linux: N server processes, each on a listening socket of its own.

uvicorn's own supervisor binds one socket and shares it. Every process is woken by a new
connection, and uvloop accepts all the pending ones at once, so a burst of long-lived (keep-alive)
connections lands unevenly: 100 wrk connections were split 17/83 to 50/50 between two processes
(bench/fetch.py), and the clients of the busier process wait longer. Here every process binds its
own socket with ``SO_REUSEPORT``, and the kernel spreads new connections over the sockets by their
addresses (44/56 to 50/50 in the same runs).

The supervisor (this module, in the parent process) starts the processes, pings each through a
pipe, replaces one that dies or stops answering, and stops them all on SIGTERM or SIGINT. A process
that dies takes its socket with it, so new connections go to the others until its replacement has
bound its own. A process that cannot start (the app fails to import, the port is taken) stops the
whole service with exit status 1, as uvicorn's supervisor does. A process whose supervisor is
gone (killed -9) shuts itself down.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

STARTUP_FAILURE = 3  # uvicorn's exit status for a server process that could not start
PING_SECONDS = 5.0  # how often each process is asked whether it still answers
STOP_SECONDS = 30.0  # how long a process may take to finish its requests on SIGTERM

log = logging.getLogger("onceonly.serve")


def supported() -> bool:
    """Only Linux spreads connections over ``SO_REUSEPORT`` sockets (BSD and macOS give them all to one)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> int:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def port_taken(host: str, port: int) -> bool:
    """True when anything listens on ``host:port``: a plain bind (no ``SO_REUSEPORT``) fails then,
    whether the listener is another program or another ``onceonly serve``."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def bind_shared(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT``: one member of the service's group."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _answer_pings(pings: Connection, server: Any) -> None:
    """In a server process: answer the supervisor (``up`` once serving); when it is gone, shut down."""
    while True:
        try:
            pings.recv()
            pings.send(b"up" if server.started else b"starting")
        except (EOFError, OSError):
            os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown
            return


def _server_process(app: str, host: str, port: int, options: dict[str, Any], pings: Connection) -> None:
    """The body of one server process: bind its own socket, run uvicorn on it."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, **options))
    threading.Thread(target=_answer_pings, args=(pings, server), name="supervisor-pings", daemon=True).start()
    try:
        sock = bind_shared(host, port)
    except OSError as exc:
        print(f"onceonly serve: cannot listen on {host}:{port}: {exc}", file=sys.stderr, flush=True)
        sys.exit(STARTUP_FAILURE)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    pings: Connection
    asked_at: float | None = None  # when the unanswered ping was sent
    next_ping: float = field(default_factory=lambda: time.monotonic() + PING_SECONDS)


class Supervisor:
    """Starts ``workers`` server processes of ``app`` (an import string) and keeps them running."""

    def __init__(self, app: str, host: str, port: int, workers: int, options: dict[str, Any],
                 healthcheck_seconds: float) -> None:
        self.app, self.host, self.port, self.workers = app, host, port, workers
        self.options = options
        self.healthcheck_seconds = healthcheck_seconds
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self.slots: list[_Slot] = []

    def run(self) -> int:
        """Serve until SIGTERM or SIGINT (0), or until a process cannot start (1)."""
        if port_taken(self.host, self.port):
            print(f"onceonly serve: {self.host}:{self.port} is already in use", file=sys.stderr, flush=True)
            return 1
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self._stop.set())
        # the first process alone until it serves: it creates or upgrades the database schema,
        # which several processes doing it at once on a new database would trip over
        self.slots = [self._start()]
        if not self._started(self.slots[0]):
            self._stop_all()
            return 0 if self._stop.is_set() else 1
        self.slots += [self._start() for _ in range(self.workers - 1)]
        log.info("serving", extra={"pids": [s.process.pid for s in self.slots], "port": self.port})
        status = 0
        while not self._stop.wait(0.5):
            if not self.keep_alive():
                status = 1
                break
        self._stop_all()
        return status

    def _start(self) -> _Slot:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_server_process, name="onceonly-serve",
                                        args=(self.app, self.host, self.port, self.options, theirs))
        process.start()
        theirs.close()
        return _Slot(process, ours)

    def _started(self, slot: _Slot) -> bool:
        """Wait until the process serves (True), or it ended or we are told to stop (False)."""
        while not self._stop.is_set() and slot.process.is_alive():
            try:
                slot.pings.send(b"ping")
                while not slot.pings.poll(1.0):  # one ping at a time: no stale answers left behind
                    if self._stop.is_set() or not slot.process.is_alive():
                        return False
                if slot.pings.recv() == b"up":
                    return True
            except (EOFError, OSError):
                return False
            self._stop.wait(0.2)
        return False

    def keep_alive(self) -> bool:
        """Replace every process that died or stopped answering; False when one could not start."""
        now = time.monotonic()
        for index, slot in enumerate(self.slots):
            if slot.process.is_alive() and not self._hung(slot, now):
                continue
            if slot.process.exitcode == STARTUP_FAILURE:
                log.error("a server process could not start; stopping", extra={"pid": slot.process.pid})
                return False
            log.warning("server process gone, starting another",
                        extra={"pid": slot.process.pid, "exitcode": slot.process.exitcode})
            self._end(slot)
            self.slots[index] = self._start()
        return True

    def _hung(self, slot: _Slot, now: float) -> bool:
        try:
            if slot.asked_at is not None and slot.pings.poll():
                slot.pings.recv()
                slot.asked_at, slot.next_ping = None, now + PING_SECONDS
            if slot.asked_at is None and now >= slot.next_ping:
                slot.pings.send(b"ping")
                slot.asked_at = now
        except (EOFError, OSError):
            return not slot.process.is_alive()
        return slot.asked_at is not None and now - slot.asked_at > self.healthcheck_seconds

    def _stop_all(self) -> None:
        for slot in self.slots:
            if slot.process.is_alive() and slot.process.pid:
                os.kill(slot.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for slot in self.slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            self._end(slot)

    @staticmethod
    def _end(slot: _Slot) -> None:
        """Kill the process if it still runs, reap it, close its pipe."""
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(5)
        slot.pings.close()
