"""Fixtures for licence issuance tests: independent checks and helpers around the real app."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

_path = Path(__file__).resolve().parents[1] / "certgen" / "independent.py"
_spec = importlib.util.spec_from_file_location("licence_independent_checks", _path)
independent = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(independent)  # type: ignore[union-attr]

logging.getLogger("pyhanko").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def checks():  # type: ignore[no-untyped-def]
    return independent


@pytest.fixture
def approver(make_key, bearer):  # type: ignore[no-untyped-def]
    return bearer(make_key("approver"))


@pytest.fixture
def clerk(make_key, bearer):  # type: ignore[no-untyped-def]
    return bearer(make_key("clerk"))


@pytest.fixture
def issue(app_client, approver):  # type: ignore[no-untyped-def]
    """POST /api/v1/licences with the template's example data (overridable); returns the JSON body."""

    def do(template_id: str = "food_business", *, expect: int = 201, **changes):  # type: ignore[no-untyped-def]
        data = app_client.get(f"/api/v1/licences/types/{template_id}/example").json()
        data.update(changes.pop("data", {}))
        response = app_client.post("/api/v1/licences", headers=approver,
                                   json={"type": template_id, "data": data, **changes})
        assert response.status_code == expect, response.text
        return response.json()

    return do


@pytest.fixture
def root_pem(container) -> Path:  # type: ignore[no-untyped-def]
    return container.licences.config.pki_dir / "root.pem"
