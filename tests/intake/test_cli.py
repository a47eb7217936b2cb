"""``onceonly matters check`` and ``onceonly metrics`` as a centre's administrator runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADER = "case_id,matter,department,received_at,completed_at,kind,committed_days,actual_days,visits\n"


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("ONCEONLY_MATTERS_DIR", "ONCEONLY_CALENDAR_DIR", "ONCEONLY_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ONCEONLY_DATA_DIR", str(tmp_path / "data"))


def test_matters_check_passes_on_the_shipped_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matters", "check"]) == 0
    assert "ok: 7 matters" in capsys.readouterr().out


def test_matters_check_names_the_file_and_the_typoed_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "matters"
    shutil.copytree(ROOT / "templates" / "matters", folder)
    path = folder / "foundation-registration.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("legal_basis:", "legal_bassis:"), encoding="utf-8")
    code = main(["matters", "check", "--dir", str(folder)])
    err = capsys.readouterr().err
    assert code != 0
    assert "foundation-registration.yaml:" in err and "legal_bassis" in err and "unknown key" in err


def test_matters_list_shows_the_one_thing_reduction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matters", "list", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["food-drug-business-licence"]["material_reduction"] == "42.86%"


def test_metrics_from_a_csv_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER
                    + "a,food-business-licence,wz-amr,2026-03-02,2026-03-04,promised,5,2,0\n"
                    + "b,food-business-licence,wz-amr,2026-04-01,2026-04-08,promised,5,5,1\n"
                    + "c,food-business-licence,wz-amr,2026-05-01,2026-05-01,immediate,0,0,1\n", encoding="gb18030")
    assert main(["metrics", "--cases", str(path), "--from", "2026-03-01", "--to", "2026-04-30", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["total"] == 2 and figures["early_rate"] == "50.00%" and figures["speedup_rate"] == "30.00%"
    assert figures["average_days"] == "3.50" and figures["zero_visit_rate"] == "50.00%"
    assert main(["metrics", "--cases", str(path)]) == 0
    table = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[-1] for line in table.splitlines() if line.strip()}
    assert rows["提前办结率"] == "50.00%" and rows["即办件占比"] == "33.33%"  # whole file: 1 of 2 early, 1 of 3 即办


def test_metrics_refuses_bad_rows_unless_skip_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(HEADER
                    + "a,food-business-licence,wz-amr,2026-03-02,2026-03-04,promised,5,2,0\n"
                    + "b,food-business-licence,wz-amr,03/02/2026,,promised,5,,1\n"
                    + "c,food-business-licence,wz-amr,2026-03-02,2026-03-03,promised,5,-1,1\n", encoding="utf-8")
    assert main(["metrics", "--cases", str(path), "--json"]) == 8
    err = capsys.readouterr().err
    assert "row 3, received_at" in err and "row 4, actual_days: -1 is negative" in err and "--skip-bad" in err
    assert main(["metrics", "--cases", str(path), "--json", "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["total"] == 1 and "skipped row 3" in captured.err
    assert main(["metrics", "--cases", str(tmp_path / "missing.csv")]) == 8


def test_keys_carry_a_centre_and_applicant_keys_an_owner(capsys: pytest.CaptureFixture[str]) -> None:
    """``onceonly keys create --centre`` / ``--owner-code``; ``keys centre`` moves a key; listed as JSON."""
    assert main(["keys", "create", "--role", "clerk", "--centre", "WZ-Lucheng", "--name", "鹿城 窗口 3"]) == 0
    assert "centre wz-lucheng" in capsys.readouterr().out
    assert main(["keys", "create", "--role", "applicant", "--owner-code", "91350100m000100y43", "--name", "某公司"]) == 0
    assert "owner 91350100M000100Y43" in capsys.readouterr().out
    assert main(["keys", "create", "--role", "applicant", "--name", "无代码"]) != 0  # an applicant needs its owner
    assert main(["keys", "create", "--role", "clerk", "--centre", "鹿城", "--name", "bad"]) != 0
    capsys.readouterr()
    assert main(["keys", "list"]) == 0
    keys = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    clerk = next(k for k in keys if k["role"] == "clerk")
    assert clerk["centre"] == "wz-lucheng" and clerk["owner_code"] is None
    assert next(k for k in keys if k["role"] == "applicant")["owner_code"] == "91350100M000100Y43"
    assert len(keys) == 2
    assert main(["keys", "centre", clerk["id"], "wz-ouhai"]) == 0
    assert "centre wz-ouhai" in capsys.readouterr().out
