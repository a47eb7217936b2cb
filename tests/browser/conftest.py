"""The desk in real headless Chromium (Debian's ``chromium``, driven by Playwright for Python).

Each test gets the real service on a free loopback port (uvicorn, embedded default: SQLite and a
local archive folder), one key per role, and a page that writes a screenshot per step to
``var/desk-screenshots/<test>/``. Marker ``browser``: with ``CI=true`` these tests may not skip.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.conftest import free_port

CHROMIUM = os.environ.get("ONCEONLY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "desk-screenshots"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

pytestmark = pytest.mark.browser


@dataclass
class Desk:
    base: str
    keys: dict[str, str]
    container: Any
    shots: Path
    page: Any = None
    step: int = 0
    widths: tuple[int, ...] = (1280, 800)
    dialogs: list[str] = field(default_factory=list)

    def login(self, key: str, role: str | None = None) -> None:
        """Sign in with ``keys[key]`` (a role name, or another key's name with its ``role``)."""
        self.page.goto(f"{self.base}/desk/#/key")
        self.page.fill("#key-input", self.keys[key])
        self.page.click("#key-save")
        self.page.wait_for_function("r => document.body.dataset.role === r", arg=role or key)

    def shot(self, name: str, *, toast: bool = False) -> None:
        self.step += 1
        if not toast:  # the toast is transient and fixed: keep it out of full-page pictures
            self.page.evaluate("document.getElementById('toast').style.display = 'none'")
        for width in self.widths:
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}-{width}.png"), full_page=True)
        self.page.set_viewport_size({"width": self.widths[0], "height": 900})

    def open_case(self, case_id: str) -> None:
        self.page.evaluate("delete document.body.dataset.caseReady")
        self.page.goto(f"{self.base}/desk/#/case/{case_id}")
        self.wait_case(case_id)

    def wait_case(self, case_id: str) -> None:
        self.page.wait_for_function("id => document.body.dataset.caseReady === id", arg=case_id)

    def refreshed(self, action: Callable[[], None]) -> None:
        """Run ``action`` (a click that re-renders the case) and wait for the new rendering."""
        self.page.evaluate("delete document.body.dataset.caseReady")
        action()
        self.page.wait_for_function("() => !!document.body.dataset.caseReady")


def _serve(container: Any, port: int) -> tuple[Any, threading.Thread]:
    import uvicorn

    from api.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(container=container), host="127.0.0.1", port=port,
                                           log_config=None, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            return server, thread
        time.sleep(0.05)
    raise RuntimeError("the service did not start")


@pytest.fixture(scope="module")  # a live sync_playwright holds an event loop: end it with the module
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def _desk(request: pytest.FixtureRequest, tmp_path: Path, chromium: Any, *, ocr: bool) -> Iterator[Desk]:
    from api.container import build_container
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{tmp_path / 'catalog.db'}",
                        max_upload_bytes=8 * 1024 * 1024, ocr_on_upload=ocr)
    container = build_container(settings)
    names = {"clerk": "王小红", "approver": "李审批", "courier": "赵快递", "admin": "钱管理"}
    keys = {role: container.archive.keys.create(name=f"{role} key", role=role, display_name=shown)[0]
            for role, shown in names.items()}
    port = free_port()
    server, thread = _serve(container, port)
    shots = SHOTS / re.sub(r"[^A-Za-z0-9_-]+", "_", request.node.name)
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    desk = Desk(base=f"http://127.0.0.1:{port}", keys=keys, container=container, shots=shots, page=page)
    page.on("dialog", lambda d: (desk.dialogs.append(d.message), d.accept("同意放行：已核对原件" if d.type == "prompt" else None)))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield desk
    finally:
        page.screenshot(path=str(shots / "last.png"), full_page=True)
        context.close()
        server.should_exit = True
        thread.join(timeout=10)
        container.close()
    assert not errors, f"the desk raised in the browser: {errors}"


@pytest.fixture
def desk(request: pytest.FixtureRequest, tmp_path: Path, chromium: Any) -> Iterator[Desk]:
    yield from _desk(request, tmp_path, chromium, ocr=False)


@pytest.fixture
def desk_with_ocr(request: pytest.FixtureRequest, tmp_path: Path, chromium: Any) -> Iterator[Desk]:
    yield from _desk(request, tmp_path, chromium, ocr=True)


def scan(text: str, size: tuple[int, int] = (600, 400)) -> bytes:
    """A PNG "scan" with ``text`` on it (each text gives different bytes, so a different document)."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 28) if Path(FONT).exists() else None
    draw.rectangle((10, 10, size[0] - 10, size[1] - 10), outline="black", width=3)
    draw.text((40, 40), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf_bundle(pages: list[str]) -> bytes:
    """A multi-page PDF bundle, one rendered page per text."""
    images = [Image.open(io.BytesIO(scan(t))).convert("RGB") for t in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return out.getvalue()


class Api:
    """The same service over HTTP, for setting up what a test does not click through."""

    def __init__(self, desk: Desk) -> None:
        import httpx

        self.desk = desk
        self.http = httpx.Client(base_url=desk.base, timeout=60)

    def __call__(self, method: str, path: str, role: str = "clerk", **kwargs: Any) -> Any:
        answer = self.http.request(method, path, headers={"Authorization": f"Bearer {self.desk.keys[role]}"}, **kwargs)
        assert answer.status_code < 300, (path, answer.status_code, answer.text)
        return answer.json()

    def upload(self, case: dict[str, Any], doc_type: str, text: str) -> str:
        doc = self("POST", "/api/v1/documents", files={"file": (f"{doc_type}.png", scan(text), "image/png")},
                   data={"owner_code": case["owner_code"], "doc_type": doc_type, "case_ref": case["id"]})
        self("POST", f"/api/v1/cases/{case['id']}/documents", json={"doc_id": doc["id"]})
        return str(doc["id"])


@pytest.fixture
def http(desk: Desk) -> Iterator[Api]:
    client = Api(desk)
    yield client
    client.http.close()
