"""``/openapi.json`` tells a client what every operation answers: its 2xx body and its problems."""

from __future__ import annotations

from typing import Any

import pytest

PUBLIC = {  # no key needed: the rest must declare 401 and 403
    "/healthz", "/readyz", "/metrics", "/api/v1/licences/types", "/api/v1/licences/types/{template_id}/example",
    "/api/v1/verify", "/api/v1/verify/{identifier}", "/verify", "/verify/{identifier}", "/pki/{name}.crl",
    "/api/v1/handover", "/api/v1/handover/download",
}
REPORTS = {("/readyz", "503")}  # readiness answers 503 with its own report (for load balancers), not a problem
# the public verification pages are for people: their errors are Chinese HTML pages, not problem+json
REPORTS |= {("/verify", "413"), ("/verify", "422"), ("/verify/{identifier}", "404"), ("/verify/{identifier}", "422")}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("openapi"), ocr_on_upload=False)
    with TestClient(create_app(settings)) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def _described(schema: dict[str, Any]) -> bool:
    return bool(schema) and any(k in schema for k in ("$ref", "type", "properties", "anyOf", "oneOf", "items"))


def test_every_operation_is_there(spec: dict[str, Any]) -> None:
    assert len(_operations(spec)) >= 55


def test_every_operation_describes_its_success_body(spec: dict[str, Any]) -> None:
    bare = []
    for method, path, op in _operations(spec):
        ok = {code: r for code, r in op["responses"].items() if code.startswith("2")}
        contents = [c for r in ok.values() for c in (r.get("content") or {}).values()]
        if not contents or not all(_described(c.get("schema", {})) for c in contents):
            bare.append(f"{method} {path}")
    assert not bare, "operations without a described 2xx body:\n" + "\n".join(bare)


def test_json_bodies_are_named_models(spec: dict[str, Any]) -> None:
    """A JSON success body is a schema with properties (a model), not an anonymous object."""
    schemas = spec["components"]["schemas"]
    loose = []
    for method, path, op in _operations(spec):
        for code, response in op["responses"].items():
            schema = (response.get("content") or {}).get("application/json", {}).get("schema")
            if not code.startswith("2") or schema is None:
                continue
            ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
            if ref is None and schema.get("additionalProperties") is None:
                loose.append(f"{method} {path} {code}")
            elif ref is not None and not schemas[ref.rsplit("/", 1)[1]].get("properties"):
                loose.append(f"{method} {path} {code}")
    assert not loose, "JSON bodies without a model:\n" + "\n".join(loose)


def test_every_operation_declares_its_problems_as_problem_json(spec: dict[str, Any]) -> None:
    wrong = []
    for method, path, op in _operations(spec):
        errors = {code: r for code, r in op["responses"].items() if code[0] in "45"}
        if "422" not in errors or "500" not in errors:
            wrong.append(f"{method} {path}: no 422/500")
        if path not in PUBLIC and not {"401", "403"} <= set(errors):
            wrong.append(f"{method} {path}: no 401/403")
        for code, response in errors.items():
            if (path, code) in REPORTS:
                continue
            content = response.get("content") or {}
            schema = content.get("application/problem+json", {}).get("schema", {})
            if set(content) != {"application/problem+json"} or "code" not in schema.get("properties", {}):
                wrong.append(f"{method} {path} {code}: not problem+json")
    assert not wrong, "\n".join(wrong)


def test_a_declared_problem_is_what_the_service_answers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The schema is not decoration: a real 404 and a real 401 have the declared shape."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.schemas import Problem
    from api.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path, ocr_on_upload=False))) as client:
        missing = client.get("/api/v1/verify/1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0")
        anonymous = client.get("/api/v1/cases")
    for response, status in ((missing, 404), (anonymous, 401)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
        assert Problem.model_validate(response.json()).status == status
