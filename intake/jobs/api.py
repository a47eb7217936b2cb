"""The job port: where a published job goes. Adapters: ``inprocess`` (default) and ``celery_app``."""

from __future__ import annotations

from typing import Protocol


class JobQueue(Protocol):
    """Hands a job id to whoever runs it. ``publish`` raises when the job could not be handed over
    (the broker is down): the outbox keeps the job unpublished and retries."""

    runs_locally: bool
    """True when this process runs the jobs it publishes (their leases are held from publishing)."""

    def publish(self, job_id: str) -> None: ...

    def start(self) -> None: ...

    def close(self, timeout: float = 30.0) -> None: ...
