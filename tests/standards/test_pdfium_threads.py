"""pdfium is not thread-safe: one process's archive checks, OCR and desk page images share one lock.

Before the lock, two licences' 四性检测 rendering side by side killed a `serve` worker (segfault, or
glibc's "corrupted size vs. prev_size"), and every request in flight on it was lost. The threads run in
a child process so that a crash fails this test instead of killing pytest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_checks_ocr_and_page_images_on_threads_at_once_do_not_crash_the_process() -> None:
    run = subprocess.run([sys.executable, str(Path(__file__).with_name("pdfium_threads.py")), "4"],
                         cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])
    assert "errors: []" in run.stdout
