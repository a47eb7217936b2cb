"""``onceonly ocr``: JSON per document for scripts, bilingual errors with stable exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from api.cli import main
from tests.ocr.ocr_helpers import born_digital_pdf


def test_json_output_for_two_files(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(born_digital_pdf(1))
    second.write_bytes(born_digital_pdf(2))
    assert main(["ocr", str(first), str(second), "--json", "--threads", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [doc["file"] for doc in out] == [str(first), str(second)]
    assert [len(doc["pages"]) for doc in out] == [1, 2]
    fields = out[0]["fields"]
    assert out[0]["doc_type"] == "business_licence"
    assert fields["统一社会信用代码"] == fields["统一社会信用代码"] | {"value": "91350200776049653A", "valid": True}
    assert set(out[0]["pages"][0]) >= {"width", "height", "rotation", "quality", "lines"}


def test_bad_file_exits_with_the_mapped_code_and_a_bilingual_message(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    assert main(["ocr", str(empty), "--threads", "1"]) == 8  # 422
    err = capsys.readouterr().err
    assert "ocr_empty_input" in err and "文件为空" in err
