"""Checks of sealed OFD files with tools that share no code with ours: openssl (3.x: SM2/SM3), easyofd, zbar.

``openssl asn1parse`` cuts SignedValue.dat into TBS_Sign, the signer's certificate and the signature;
``openssl pkeyutl -rawin -digest sm3 -pkeyopt distid:1234567812345678`` verifies the signature and
``openssl dgst -sm3`` recomputes dataHash. easyofd reads and renders the package.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

SIGNED_VALUE = "Doc_0/Signs/Sign_0/SignedValue.dat"
SIGNATURE_XML = "Doc_0/Signs/Sign_0/Signature.xml"
_LINE = re.compile(r"^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(prim|cons):\s+(\S+(?: \S+)?)")


@dataclass(frozen=True)
class Item:
    offset: int
    depth: int
    header: int
    length: int
    kind: str

    def der(self, data: bytes) -> bytes:
        return data[self.offset:self.offset + self.header + self.length]

    def content(self, data: bytes) -> bytes:
        return data[self.offset + self.header:self.offset + self.header + self.length]


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(args, capture_output=True, timeout=60, **kwargs)


def asn1_items(path: Path) -> list[Item]:
    out = run(["openssl", "asn1parse", "-inform", "DER", "-in", str(path)], check=True).stdout.decode()
    items = []
    for line in out.splitlines():
        match = _LINE.match(line)
        if match:
            o, d, h, n, _, kind = match.groups()
            items.append(Item(int(o), int(d), int(h), int(n), kind.strip()))
    return items


@dataclass(frozen=True)
class SealParts:
    tbs: bytes
    cert_der: bytes
    signature: bytes  # DER SEQUENCE {r, s}
    data_hash: bytes


def seal_parts(ofd: bytes, tmp: Path) -> SealParts:
    """SES_Signature cut up by openssl asn1parse (not by our ASN.1 classes)."""
    value = zipfile.ZipFile(io.BytesIO(ofd)).read(SIGNED_VALUE)
    path = tmp / "SignedValue.dat"
    path.write_bytes(value)
    items = asn1_items(path)
    top = [i for i in items if i.depth == 1]
    tbs, cert, _alg, sig = top[0], top[1], top[2], top[3]
    assert cert.kind.startswith("OCTET STRING") and sig.kind.startswith("BIT STRING")
    inside = [i for i in items if i.depth == 2 and tbs.offset < i.offset < tbs.offset + tbs.header + tbs.length]
    kinds = [i.kind.split()[0] for i in inside]
    assert kinds[:5] == ["INTEGER", "SEQUENCE", "GENERALIZEDTIME", "BIT", "IA5STRING"], kinds
    bit = sig.content(value)
    assert bit[0] == 0  # no unused bits
    return SealParts(tbs.der(value), cert.content(value), bit[1:], inside[3].content(value)[1:])


def openssl_verify_seal(ofd: bytes, tmp: Path) -> subprocess.CompletedProcess:
    """``openssl pkeyutl -verify`` of the SM2 signature over TBS_Sign with the certificate's key."""
    parts = seal_parts(ofd, tmp)
    (tmp / "tbs.der").write_bytes(parts.tbs)
    (tmp / "sig.der").write_bytes(parts.signature)
    (tmp / "signer.der").write_bytes(parts.cert_der)
    pub = run(["openssl", "x509", "-inform", "DER", "-in", str(tmp / "signer.der"), "-pubkey", "-noout"],
              check=True).stdout
    (tmp / "signer.pub.pem").write_bytes(pub)
    return run(["openssl", "pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678",
                "-pubin", "-inkey", str(tmp / "signer.pub.pem"), "-in", str(tmp / "tbs.der"),
                "-sigfile", str(tmp / "sig.der")], text=False)


def openssl_sm3(data: bytes, tmp: Path) -> bytes:
    (tmp / "digest.in").write_bytes(data)
    return run(["openssl", "dgst", "-sm3", "-binary", str(tmp / "digest.in")], check=True).stdout


def easyofd_render(ofd_path: Path, tmp: Path) -> tuple[Path, Path]:
    """easyofd: OFD -> PDF and page 1 -> PNG. Returns (pdf, png).

    easyofd draws every text with a font registered as 宋体 whatever the OFD names; we register
    the font embedded in the package under that name, so its glyphs are what gets drawn.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    package = zipfile.ZipFile(ofd_path)
    font = next(n for n in package.namelist() if n.endswith(".ttf"))
    pdfmetrics.registerFont(TTFont("宋体", io.BytesIO(package.read(font))))
    from loguru import logger

    logger.remove()
    from easyofd.ofd import OFD

    reader = OFD()
    reader.read(str(ofd_path), fmt="path")
    pdf = reader.to_pdf()
    (tmp / "easyofd.pdf").write_bytes(pdf)
    image = reader.pdf2img(pdf)[0]
    image.save(tmp / "easyofd.png")
    return tmp / "easyofd.pdf", tmp / "easyofd.png"


def pdftotext(path: Path) -> str:
    return run(["pdftotext", str(path), "-"], check=True).stdout.decode("utf-8")


def zbar(png: Path) -> list[str]:
    out = run(["zbarimg", "--raw", "-q", str(png)]).stdout.decode()
    return [line for line in out.splitlines() if line.strip()]


def replace_member(ofd: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """A well-formed package with member ``name`` changed by ``change(bytes) -> bytes``."""
    src = zipfile.ZipFile(io.BytesIO(ofd))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


def add_member(ofd: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO(ofd)
    with zipfile.ZipFile(out, "a") as dst:
        dst.writestr(name, data)
    return out.getvalue()
