"""The optional paddleocr engine reads pages offline from local model directories.

Paddle cannot share the test venv (it pins numpy<2.4 and installs opencv-contrib beside our
opencv-headless), so ``scripts/install-paddle.sh`` (run by ``scripts/install.sh --test``) builds
``.venv-paddle`` and these tests run ``tests/ocr/paddle_worker.py`` there on generated pages.
``ONCEONLY_TEST_PADDLE_PYTHON`` points elsewhere; without that venv the tests skip, and with
CI=true a skip fails the run (marker ``paddle``).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = Path(os.environ.get("ONCEONLY_TEST_PADDLE_PYTHON", ROOT / ".venv-paddle" / "bin" / "python"))
WORKER = Path(__file__).with_name("paddle_worker.py")
pytestmark = pytest.mark.paddle

PAGES = [("id_card", 3, None), ("business_licence", 4, "rot180"), ("lease_contract", 5, "saltpepper")]


def _worker(*args: str) -> list[dict]:
    if not PYTHON.is_file():
        pytest.skip(f"no PaddleOCR venv at {PYTHON} (scripts/install-paddle.sh)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PADDLE_PDX_CACHE_HOME": str(ROOT / "var" / "paddlex")}
    done = subprocess.run([str(PYTHON), str(WORKER), *args], capture_output=True, text=True, timeout=900, env=env,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


@pytest.fixture(scope="module")
def paddle_results(render: Callable, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    folder = tmp_path_factory.mktemp("paddle")
    truths, files = {}, []
    for kind, seed, condition in PAGES:
        data, rendered = render(kind, seed, font=seed, condition=condition)
        path = folder / f"{kind}.png"
        path.write_bytes(data)
        truths[str(path)] = rendered.fields
        files.append(str(path))
    results = _worker(str(folder / "models"), *files)
    assert [r["file"] for r in results] == files
    return {r["doc_type"]: (r, truths[r["file"]]) for r in results}


@pytest.mark.parametrize(("kind", "condition"), [(k, c) for k, _, c in PAGES])
def test_paddle_reads_type_and_fields(paddle_results: dict, kind: str, condition: str | None) -> None:
    assert kind in paddle_results, f"doc type not recognised: {sorted(paddle_results)}"
    result, truth = paddle_results[kind]
    assert result["engine"] == "paddleocr"
    if condition == "rot180":
        assert result["pages"][0]["rotation"] == 180
    fields = result["fields"]
    wrong = {k: (v, fields.get(k, {}).get("value")) for k, v in truth.items() if fields.get(k, {}).get("value") != v}
    assert len(wrong) <= 1, wrong


def test_paddle_without_local_models_refuses_instead_of_downloading() -> None:
    [answer] = _worker("--no-models")
    assert answer["error"] == "ocr_engine_unavailable", answer
