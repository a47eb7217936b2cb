"""Checks of signed PDFs with tools that share no code with pyHanko: pikepdf/qpdf, openssl, poppler, zbar.

Loaded by ``tests/certgen/conftest.py`` and ``tests/licences/conftest.py`` (importlib import mode).
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf


def signature_parts(pdf: bytes, field: str = "Seal") -> tuple[bytes, bytes]:
    """(signed bytes, DER CMS) of signature field ``field``, read with qpdf (pikepdf), not pyHanko."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for f in doc.Root.AcroForm.Fields:
            if str(f.get("/T")) == field and "/V" in f:
                value = f.V
                byte_range = [int(x) for x in value.ByteRange]
                contents = bytes(value.Contents)
                break
        else:
            raise AssertionError(f"no signed field {field}")
    a, b, c, d = byte_range
    # the signed revision starts at byte 0; later revisions (DSS, document timestamps) may follow it
    assert a == 0 and a + b == c - len(contents) * 2 - 2 and c + d <= len(pdf)
    # DER length from the header: trailing zero padding is not part of the CMS
    assert contents[0] == 0x30
    if contents[1] & 0x80:
        n = contents[1] & 0x7F
        length = 2 + n + int.from_bytes(contents[2:2 + n], "big")
    else:
        length = 2 + contents[1]
    return pdf[a:a + b] + pdf[c:c + d], contents[:length]


def openssl_verify(pdf: bytes, root_pem: Path, tmp: Path, field: str = "Seal") -> subprocess.CompletedProcess:
    """``openssl cms -verify`` of the detached CMS over the signed byte range, against ``root_pem``."""
    content, cms = signature_parts(pdf, field)
    (tmp / "content.bin").write_bytes(content)
    (tmp / "sig.der").write_bytes(cms)
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp / "sig.der"),
         "-content", str(tmp / "content.bin"), "-CAfile", str(root_pem), "-purpose", "any",
         "-out", str(tmp / "out.bin")],
        capture_output=True, text=True, timeout=60,
    )


def pdffonts_rows(pdf_path: Path) -> list[list[str]]:
    """Font rows of ``pdffonts`` (poppler); each row's ``emb`` column must say yes."""
    out = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True, timeout=60).stdout
    lines = out.splitlines()[2:]
    return [line.split() for line in lines if line.strip()]


def all_fonts_embedded(pdf_path: Path) -> bool:
    rows = pdffonts_rows(pdf_path)
    # columns: name type [type...] encoding emb sub uni object ID -> emb is 5th from the end
    return bool(rows) and all(row[-5] == "yes" for row in rows)


def qr_texts(pdf_path: Path, tmp: Path, dpi: int = 150) -> list[str]:
    """Rasterise page 1 with poppler and decode every QR code on it with zbarimg."""
    prefix = tmp / "page"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(pdf_path), str(prefix)],
                   check=True, timeout=60)
    image = next(tmp.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=60)
    return [line for line in out.stdout.splitlines() if line.strip()]


def qpdf_attachment(pdf_path: Path, name: str) -> bytes:
    """The embedded file ``name`` as extracted by the qpdf command line."""
    return subprocess.run(["qpdf", f"--show-attachment={name}", str(pdf_path)], capture_output=True,
                          check=True, timeout=60).stdout


def swap_page_content(pdf: bytes, text: bytes = b"BT /F1 24 Tf 100 400 Td (FORGED) Tj ET") -> bytes:
    """Append an incremental update that replaces page 1's content stream (the signature stays intact)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=text))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flip_byte(pdf: bytes, marker: bytes = b"stream\n", nth: int = 1) -> bytes:
    """Flip one bit inside the signed bytes (just after the ``nth`` stream keyword)."""
    index = -1
    for _ in range(nth):
        index = pdf.index(marker, index + 1)
    position = index + len(marker) + 5
    data = bytearray(pdf)
    data[position] ^= 0x01
    return bytes(data)
