"""The embedded default adapter: worker threads in this process, fed by an in-memory queue.

No broker. Each worker thread takes a loaded reader from the process's pool (models load once per
process); ``start()`` warms them before the first upload. The jobs in memory are held under this
process's lease, so another replica takes them over only if this one dies.
"""

from __future__ import annotations

import queue
import threading

from intake.jobs.runner import READERS, OcrRunner, ReaderFactory
from ocr import Reader

_STOP = object()


class InProcessQueue:
    runs_locally = True

    def __init__(self, runner: OcrRunner, factory: ReaderFactory, *, workers: int = 1) -> None:
        self.runner = runner
        self.factory = factory
        self.workers = max(1, workers)
        self._queue: queue.Queue[object] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._warm = False

    def publish(self, job_id: str) -> None:
        self.start()
        self._queue.put(job_id)

    def submit_with_data(self, job_id: str, data: bytes) -> None:
        """Run a job on bytes the caller already has (CLI, tests); not through the outbox."""
        self.start()
        self._queue.put((job_id, data))

    def start(self, warm: bool = False) -> None:
        with self._lock:
            self._warm = self._warm or warm
            if self._threads or self.runner.stopping.is_set():
                return
            for n in range(self.workers):
                thread = threading.Thread(target=self._work, name=f"ocr-worker-{n}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def close(self, timeout: float = 30.0) -> None:
        self.runner.stopping.set()
        for _ in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def _work(self) -> None:
        held: list[Reader] = []

        def reader() -> Reader:
            if not held:
                held.append(READERS.acquire(self.runner.config, self.factory))
            return held[0]

        try:
            if self._warm and not self.runner.stopping.is_set():
                reader()
            while True:
                item = self._queue.get()
                if item is _STOP or self.runner.stopping.is_set():
                    return
                job_id, data = item if isinstance(item, tuple) else (item, None)
                self.runner.run(job_id, reader, data)  # type: ignore[arg-type]
        finally:
            for loaded in held:
                READERS.release(self.runner.config, self.factory, loaded)
