"""Licences issued concurrently on the embedded default (one SQLite file, one local store, one data
folder) by three processes: `onceonly serve --workers 2` and a second `onceonly serve`. Every request
succeeds (no 503, no 500, no dropped connection), and numbers never repeat or skip.

Nothing is warmed up beforehand: the processes start on a fresh data folder and the first requests
reach them all at once (first use of the fonts, the seal key and the TSA in each process)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from tests.scaleout.procs import Processes

pytestmark = [pytest.mark.slow]

PER_PROCESS = 12  # licences per serve command
CONCURRENCY = 4  # requests in flight per serve command


@pytest.fixture
def two_replicas(tmp_path: Path) -> Iterator[tuple[list[str], str]]:
    """Two serve commands (one with two workers) sharing one data folder, and an approver key."""
    from api.container import build_container
    from api.settings import Settings

    data = tmp_path / "shared"
    setup = build_container(Settings(data_dir=data, ocr_on_upload=False))
    try:
        key, _ = setup.archive.keys.create(name="审批-concurrent", role="approver")
    finally:
        setup.close()
    processes = Processes(tmp_path, {"ONCEONLY_OCR_ON_UPLOAD": "false", "ONCEONLY_LOG_LEVEL": "WARNING"})
    try:
        bases = [processes.serve("replica-a", workers=2, ONCEONLY_DATA_DIR=str(data)),
                 processes.serve("replica-b", ONCEONLY_DATA_DIR=str(data))]
        yield bases, key
    finally:
        processes.stop_all()


def test_concurrent_issuance_on_two_processes_never_fails(two_replicas: tuple[list[str], str]) -> None:
    bases, key = two_replicas
    headers = {"Authorization": f"Bearer {key}"}
    data = httpx.get(f"{bases[0]}/api/v1/licences/types/food_business/example", timeout=30).json()

    def issue(i: int) -> httpx.Response:
        with httpx.Client(base_url=bases[i % 2], timeout=120) as client:
            return client.post("/api/v1/licences", headers=headers, json={"type": "food_business", "data": data})

    with ThreadPoolExecutor(2 * CONCURRENCY) as pool:
        responses = list(pool.map(issue, range(2 * PER_PROCESS)))

    failures = [(r.status_code, r.text[:300]) for r in responses if r.status_code != 201]
    assert failures == []
    issued = [r.json() for r in responses]
    numbers = [lic["number"] for lic in issued]
    assert len(set(numbers)) == len(numbers)
    sequence = sorted(int(n[-7:-1]) for n in numbers)  # JY + type + region + 6-digit sequence + check digit
    assert sequence == list(range(sequence[0], sequence[0] + len(numbers)))  # consecutive: no gap
    assert len({lic["identifier"] for lic in issued}) == len(issued)
    listed = httpx.get(f"{bases[1]}/api/v1/licences", headers=headers, params={"limit": 100}, timeout=30).json()
    assert sorted(lic["identifier"] for lic in listed) == sorted(lic["identifier"] for lic in issued)
    for lic in issued[:: PER_PROCESS // 2]:  # a few, from both processes: the signed bytes verify
        pdf = httpx.get(f"{bases[0]}/api/v1/licences/{lic['identifier']}/content", headers=headers, timeout=30)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        verified = httpx.post(f"{bases[1]}/api/v1/verify", files={"file": ("l.pdf", pdf.content, "application/pdf")},
                              timeout=60)
        assert verified.status_code == 200, verified.text[:300]
        assert verified.json()["genuine"] is True, verified.text[:500]
