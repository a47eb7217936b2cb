"""The command line: list types, print an example, issue to a file, export the root, verify a file."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from api.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ONCEONLY_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("ONCEONLY_DATABASE_URL", raising=False)
    return tmp_path


def test_issue_a_licence_from_json_and_verify_it(env: Path, capsys, checks) -> None:  # type: ignore[no-untyped-def]
    assert main(["licence", "types"]) == 0
    assert "food_drug_business" in capsys.readouterr().out
    assert main(["licence", "example", "--type", "private_non_enterprise"]) == 0
    example = json.loads(capsys.readouterr().out)
    (env / "data.json").write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    out = env / "licence.pdf"
    assert main(["licence", "issue", "--type", "private_non_enterprise", "--data", str(env / "data.json"),
                 "--out", str(out)]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert out.read_bytes().startswith(b"%PDF-")
    assert main(["pki", "root", "--out", str(env / "root.pem")]) == 0
    capsys.readouterr()
    assert checks.openssl_verify(out.read_bytes(), env / "root.pem", env).returncode == 0
    assert main(["verify", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "valid" and report["licence"]["identifier"] == issued["identifier"]
    tampered = env / "tampered.pdf"
    tampered.write_bytes(checks.flip_byte(out.read_bytes()))
    assert main(["verify", str(tampered)]) == 1
    assert "invalid" in capsys.readouterr().out


def test_bad_input_and_tsa_outage_leave_no_output_file(env: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (env / "bad.json").write_text("{}", encoding="utf-8")
    out = env / "never.pdf"
    assert main(["licence", "issue", "--type", "food_business", "--data", str(env / "bad.json"),
                 "--out", str(out)]) == 8
    assert "licence_data_invalid" in capsys.readouterr().err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setenv("ONCEONLY_LICENCE_TSA_URL", f"http://127.0.0.1:{sock.getsockname()[1]}/tsa")
    assert main(["licence", "example", "--type", "food_business"]) == 0
    (env / "good.json").write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["licence", "issue", "--type", "food_business", "--data", str(env / "good.json"),
                 "--out", str(out)]) == 9
    assert "timestamp_unavailable" in capsys.readouterr().err
    assert not out.exists() and not list(env.glob("*.part"))
