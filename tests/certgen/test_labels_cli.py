"""``onceonly label``: the example input renders to a real label; bad input fails cleanly."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass

import pytest

from api.cli import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def onceonly(capsys):
    """Run ``onceonly label ARGS`` in-process (the same ``main`` the console script calls)."""

    def run(*args: str) -> Result:
        code = main(["label", *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def test_example_renders_as_pdf_and_zpl(tmp_path, onceonly):
    example = onceonly("--example")
    assert example.returncode == 0
    data = json.loads(example.stdout)
    assert data["recipient"]["phone"] == "13155551907"  # the input has the full phone...
    source = tmp_path / "label.json"
    source.write_text(example.stdout, encoding="utf-8")

    pdf = tmp_path / "label.pdf"
    done = onceonly("--data", str(source), "--out", str(pdf), "--size", "76x130")
    assert done.returncode == 0, done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "215.433 x 368.504 pts" in info  # 76 x 130 mm
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "131****1907" in text and "13155551907" not in text  # ...the label never does

    zpl = tmp_path / "label.zpl"
    assert onceonly("--data", str(source), "--out", str(zpl), "--zpl").returncode == 0
    assert zpl.read_text().startswith("^XA^CI28^PW800^LL1200")


def test_bad_input_exits_with_a_clear_message_and_writes_nothing(tmp_path, onceonly):
    source = tmp_path / "bad.json"
    source.write_text('{"waybill": "EA123456785CN", "contents": []}', encoding="utf-8")
    out = tmp_path / "out.pdf"
    failed = onceonly("--data", str(source), "--out", str(out))
    assert failed.returncode == 8
    assert "label_data_invalid" in failed.stderr and "contents" in failed.stderr
    assert not out.exists() and not list(tmp_path.glob("*.part"))

    source.write_text("{not json", encoding="utf-8")
    assert onceonly("--data", str(source), "--out", str(out)).returncode == 8
    assert onceonly("--data", str(tmp_path / "missing.json"), "--out", str(out)).returncode == 8
    assert onceonly("--out", str(out)).returncode == 2
    assert not out.exists()


def test_a_list_of_labels_prints_as_one_batch(tmp_path, onceonly):
    from certgen.labels import EXAMPLE

    batch = [EXAMPLE, {**EXAMPLE, "waybill": "EA000000014CN"}]
    source = tmp_path / "batch.json"
    source.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "batch.pdf"
    assert onceonly("--data", str(source), "--out", str(pdf)).returncode == 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info
