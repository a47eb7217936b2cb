"""Fixtures for the licence and signing tests: a dev PKI, its TSA (in-process and on loopback), signers."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Iterator

import pytest

_spec = importlib.util.spec_from_file_location("licence_independent", Path(__file__).with_name("independent.py"))
independent = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(independent)  # type: ignore[union-attr]

AUTHORITY = ("温州市鹿城区市场监督管理局", "11330302MB01234564")

logging.getLogger("pyhanko").setLevel(logging.ERROR)


@pytest.fixture(scope="session")
def checks():  # type: ignore[no-untyped-def]
    """The independent checks (openssl, pdffonts, zbarimg, qpdf)."""
    return independent


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from certgen.pki import AuthoritySpec, init_dev_pki

    return init_dev_pki(tmp_path_factory.mktemp("pki"), [AuthoritySpec(*AUTHORITY)])


@pytest.fixture(scope="session")
def tsa(dev_pki):  # type: ignore[no-untyped-def]
    from certgen.pki import TimestampAuthority

    return TimestampAuthority.from_files(dev_pki.tsa_cert, dev_pki.tsa_key, (dev_pki.issuing_cert,))


@pytest.fixture
def tsa_server(tsa) -> Iterator:  # type: ignore[no-untyped-def]
    from certgen.pki import serve_tsa

    with serve_tsa(tsa) as server:
        yield server


@pytest.fixture(scope="session")
def trust(dev_pki):  # type: ignore[no-untyped-def]
    from certgen.signing import TrustMaterial

    return TrustMaterial.from_files((dev_pki.root_cert,), others=(dev_pki.issuing_cert,), crls=dev_pki.crls)


@pytest.fixture(scope="session")
def seal_key(dev_pki):  # type: ignore[no-untyped-def]
    from certgen.signing import load_key_file

    return load_key_file(dev_pki.seal_p12(AUTHORITY[1]))


@pytest.fixture
def make_signer(seal_key, tsa, trust):  # type: ignore[no-untyped-def]
    from certgen import Signer, seal_image
    from certgen.pki import InProcessTimeStamper

    def make(level: str = "B-T", **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("timestamper", InProcessTimeStamper(tsa) if level != "B-B" else None)
        kwargs.setdefault("trust", trust)
        kwargs.setdefault("seal", seal_image(AUTHORITY[0]))
        return Signer(kwargs.pop("key", seal_key), level=level, **kwargs)

    return make


@pytest.fixture(scope="session")
def plain_pdf() -> bytes:
    """A one-page PDF with Chinese text in the embedded CJK font."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from certgen.fonts import register_cjk_font

    font = register_cjk_font()
    out = io.BytesIO()
    canvas = Canvas(out, initialFontName=font)
    canvas.setFont(font, 18)
    canvas.drawString(72, 720, "一次性告知书 测试文件")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
