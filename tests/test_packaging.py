"""The deployable pieces: the Dockerfile passes hadolint, the compose file is a real stack."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    run = subprocess.run([hadolint, "--config", str(ROOT / ".hadolint.yaml"), str(ROOT / "Dockerfile")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    text = (ROOT / "Dockerfile").read_text()
    assert "HEALTHCHECK" in text and "\nUSER 10001" in text


def test_compose_runs_api_on_postgres_and_s3():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["api"]["environment"]
    assert env["ONCEONLY_STORE"] == "s3" and env["ONCEONLY_DATABASE_URL"].startswith("postgresql")
    assert {"postgres", "minio"} <= set(compose["services"])


def test_readme_opens_with_the_two_commands_ci_uses():
    readme = (ROOT / "README.md").read_text().splitlines()
    commands = [line for line in readme[:40] if line.startswith("bash scripts/")]
    assert commands[:2] == ["bash scripts/serve.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
