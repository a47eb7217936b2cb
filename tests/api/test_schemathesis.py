"""Issue 16 Done-when: schemathesis against the app, bounded, with keys for two roles (clerk, system).

0 server errors; every status code and content type it sees is documented in /openapi.json.
Bounded to a few examples per operation (``ONCEONLY_SCHEMATHESIS_EXAMPLES``, default 8) so the
run takes a few minutes at most.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from api.app import create_app  # noqa: E402
from api.container import build_container  # noqa: E402
from api.settings import Settings  # noqa: E402

_DATA = Path(tempfile.mkdtemp(prefix="oo-schemathesis-"))
_CONTAINER = build_container(Settings(data_dir=_DATA / "data", database_url=f"sqlite:///{_DATA / 'c.db'}",
                                      max_upload_bytes=1024 * 1024, public_base_url="http://testserver",
                                      ocr_on_upload=False))
_APP = create_app(container=_CONTAINER)
KEYS = {
    "clerk": _CONTAINER.archive.keys.create(name="fuzz-clerk", role="clerk")[0],
    "system": _CONTAINER.archive.keys.create(name="fuzz-system", role="system", scopes=("business_licence",))[0],
}
EXAMPLES = int(os.environ.get("ONCEONLY_SCHEMATHESIS_EXAMPLES", "8"))

schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


@pytest.mark.timeout(600)
@pytest.mark.parametrize("role", sorted(KEYS))
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_only_documented_answers(case, role: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {KEYS[role]}", "X-Case-Ref": "ZJ-FUZZ-1",
               "X-Purpose": quote("模糊测试")}
    case.call_and_validate(headers=headers, checks=[
        schemathesis.checks.not_a_server_error,
        schemathesis.specs.openapi.checks.status_code_conformance,
        schemathesis.specs.openapi.checks.content_type_conformance,
    ])
