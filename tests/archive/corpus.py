"""A corpus of broken and odd files, built at test time (nothing downloaded, nothing committed).

Each sample says what the intake checks must do with it: ``refuse`` (422 ``document_unusable`` with
a reason), ``accept`` (stored, usable, perhaps flagged) or ``either`` (fuzzed input whose fate is not
fixed — but if accepted it must be usable). Every generator is deterministic.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable

import pikepdf
from PIL import Image, ImageDraw


@dataclass(frozen=True)
class Sample:
    name: str
    filename: str
    data: bytes
    expect: str  # refuse | accept | either
    reason: str | None = None  # the refusal reason, when fixed
    flags: tuple[str, ...] = field(default_factory=tuple)  # active-content flags an accepted PDF must carry
    repaired: bool = False


# --- clean originals ------------------------------------------------------------------------------

def page_image(width: int = 620, height: int = 877) -> Image.Image:
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, width - 20, height - 20), outline=0, width=3)
    for row in range(10):
        draw.line((60, 80 + row * 50, width - 60, 80 + row * 50), fill=40, width=2)
    return image


def png() -> bytes:
    out = io.BytesIO()
    page_image().save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    page_image().convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def tiff(frames: int = 1, compression: str = "raw") -> bytes:
    out = io.BytesIO()
    images = [page_image(300, 420) for _ in range(frames)]
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression=compression)
    return out.getvalue()


def heic() -> bytes | None:
    """A HEIC photo of the page (None when pillow-heif, the optional extra, is not installed)."""
    try:
        import pillow_heif  # type: ignore[import-not-found]
    except ImportError:
        return None
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    page_image().convert("RGB").save(out, "HEIF", quality=70)
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=0)
    for n in range(pages):
        canvas.drawString(72, 720, f"Lease contract, page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def note_pdf(note: str) -> bytes:
    """A small valid one-page PDF whose bytes differ per ``note`` (for tests that need distinct documents)."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(300, 200), pageCompression=0, invariant=1)
    canvas.drawString(20, 100, note.encode("ascii", "replace").decode("ascii"))
    canvas.setTitle(note)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _edit_pdf(edit: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(pdf())) as doc:
        edit(doc)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


# --- crafted damage -------------------------------------------------------------------------------

def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width``×``height`` pixels over a few bytes of data (a bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 4096, 9))
            + _chunk(b"IEND", b""))


def jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(jpeg())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def tiff_declaring(width: int, height: int) -> bytes:
    """A little-endian TIFF whose one IFD declares a huge grey image backed by 16 bytes."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8 + 2 + 12 * 9 + 4), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) if kind == 4 else struct.pack("<HHIHH", tag, kind, count, value, 0)
        for tag, kind, count, value in entries) + struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * 16


def fuzz(data: bytes, seed: int, start: int, stop: int, flips: int = 6) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(start, min(stop, len(out)))] = rng.randrange(256)
    return bytes(out)


def broken_xref() -> bytes:
    """A PDF whose startxref points into nowhere and whose xref offsets are wrong: qpdf repairs it."""
    data = pdf()
    tail = data.rindex(b"startxref")
    head, rest = data[:tail], data[tail:]
    return head.replace(b"0000000", b"0000001", 3) + rest.replace(rest.split(b"\n")[1], b"99999", 1)


def gigapixel_page() -> bytes:
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(600, 800))
    doc.pages[0].obj.MediaBox = pikepdf.Array([0, 0, 32_000, 32_000])  # 4.4 gigapixels at 150 dpi
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_image_bomb() -> bytes:
    """An A4 page drawing a 20000×20000 grey image whose Flate stream is a few hundred kB of zeros."""
    doc = pikepdf.new()
    doc.add_blank_page(page_size=(595, 842))
    image = doc.make_stream(zlib.compress(b"\x00" * 4_000_000, 9))
    for key, value in (("/Type", pikepdf.Name.XObject), ("/Subtype", pikepdf.Name.Image), ("/Width", 20_000),
                       ("/Height", 20_000), ("/ColorSpace", pikepdf.Name.DeviceGray), ("/BitsPerComponent", 8),
                       ("/Filter", pikepdf.Name.FlateDecode)):
        image[key] = value
    page = doc.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.obj.Contents = doc.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def encrypted(user: str) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf())) as doc:
        doc.save(out, encryption=pikepdf.Encryption(owner="owner-secret", user=user, R=6))
    return out.getvalue()


def with_zip(data: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.txt", "hello")
    return data + archive.getvalue()


def _javascript(doc: pikepdf.Pdf) -> None:
    doc.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')"))


def _link(action: pikepdf.Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def edit(doc: pikepdf.Pdf) -> None:
        annot = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                     Rect=[72, 700, 300, 730], A=action))
        doc.pages[0].obj.Annots = pikepdf.Array([annot])
    return edit


def _submit(doc: pikepdf.Pdf) -> None:
    widget = doc.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Btn, T=pikepdf.String("send"),
        Rect=[72, 600, 200, 630], Ff=65536, P=doc.pages[0].obj,
        A=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("http://example.invalid/collect"))))
    doc.pages[0].obj.Annots = pikepdf.Array([widget])
    doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))


def _embedded(doc: pikepdf.Pdf) -> None:
    doc.attachments["notes.txt"] = pikepdf.AttachedFileSpec(doc, b"not part of the scan", mime_type="text/plain")


def _xfa(doc: pikepdf.Pdf) -> None:
    xfa = doc.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><template/></xdp:xdp>")
    doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa)


def samples() -> list[Sample]:
    """The whole corpus, in a fixed order."""
    clean_png, clean_jpeg, clean_pdf, three_frames = png(), jpeg(), pdf(), tiff(3)
    rng = random.Random(7)
    out = [
        Sample("png", "scan.png", clean_png, "accept"),
        Sample("jpeg", "scan.jpg", clean_jpeg, "accept"),
        Sample("pdf_3_pages", "lease.pdf", pdf(3), "accept"),
        Sample("tiff_3_frames", "scan.tif", three_frames, "accept"),
        Sample("tiff_lzw", "scan.tiff", tiff(1, "tiff_lzw"), "accept"),
        Sample("no_extension", "scan", clean_png, "accept"),
        # truncated
        Sample("png_truncated", "scan.png", clean_png[: len(clean_png) * 6 // 10], "refuse", "damaged"),
        Sample("jpeg_truncated", "scan.jpg", clean_jpeg[: len(clean_jpeg) // 2], "refuse", "damaged"),
        Sample("pdf_truncated_head", "lease.pdf", clean_pdf[:120], "refuse", "damaged"),
        Sample("pdf_truncated_half", "lease.pdf", clean_pdf[: len(clean_pdf) // 2], "either"),
        Sample("tiff_broken_last_frame", "scan.tif", three_frames[:-300], "refuse"),
        Sample("tiff_frame_data_cut", "scan.tif", three_frames[: len(three_frames) // 2], "refuse"),
        # bombs
        Sample("png_bomb_10_gigapixels", "scan.png", png_declaring(100_000, 100_000), "refuse", "too_large"),
        Sample("png_over_our_limit", "scan.png", png_declaring(8_000, 8_000), "refuse", "too_large"),
        Sample("jpeg_bomb", "scan.jpg", jpeg_declaring(65_000, 65_000), "refuse", "too_large"),
        Sample("tiff_bomb", "scan.tif", tiff_declaring(100_000, 100_000), "refuse", "too_large"),
        Sample("pdf_gigapixel_page", "big.pdf", gigapixel_page(), "refuse", "too_large"),
        Sample("pdf_image_bomb", "scan.pdf", pdf_image_bomb(), "refuse", "too_large"),
        # structure
        Sample("random_after_pdf_header", "x.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)),
               "refuse", "damaged"),
        Sample("pdf_encrypted_with_password", "lease.pdf", encrypted("secret"), "refuse", "encrypted"),
        Sample("pdf_encrypted_without_password", "lease.pdf", encrypted(""), "accept"),
        Sample("pdf_broken_xref", "lease.pdf", broken_xref(), "accept", repaired=True),
        # polyglots and mismatches
        Sample("pdf_plus_zip", "lease.pdf", with_zip(clean_pdf), "refuse", "polyglot"),
        Sample("png_plus_zip", "scan.png", with_zip(clean_png), "refuse", "polyglot"),
        Sample("jpeg_with_appended_pdf", "scan.jpg", clean_jpeg + clean_pdf, "refuse", "polyglot"),
        Sample("png_named_pdf", "licence.pdf", clean_png, "refuse", "type_mismatch"),
        Sample("pdf_named_jpg", "photo.jpg", clean_pdf, "refuse", "type_mismatch"),
        # active content: accepted, flagged, never executed
        Sample("pdf_javascript", "form.pdf", _edit_pdf(_javascript), "accept", flags=("javascript", "open_action")),
        Sample("pdf_launch", "form.pdf", _edit_pdf(_link(pikepdf.Dictionary(
            S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))), "accept", flags=("launch",)),
        Sample("pdf_uri", "form.pdf", _edit_pdf(_link(pikepdf.Dictionary(
            S=pikepdf.Name.URI, URI=pikepdf.String("http://example.invalid/")))), "accept", flags=("uri",)),
        Sample("pdf_submit_form", "form.pdf", _edit_pdf(_submit), "accept", flags=("submit_form",)),
        Sample("pdf_embedded_file", "form.pdf", _edit_pdf(_embedded), "accept", flags=("embedded_files",)),
        Sample("pdf_xfa", "form.pdf", _edit_pdf(_xfa), "accept", flags=("xfa",)),
    ]
    photo = heic()
    if photo is not None:
        out += [Sample("heic", "photo.heic", photo, "accept"),
                Sample("heic_truncated", "photo.heic", photo[: len(photo) // 2], "refuse", "damaged")]
    clean_tiff = tiff(1)
    for seed in range(6):
        out.append(Sample(f"tiff_fuzzed_{seed}", "scan.tif", fuzz(clean_tiff, seed, 0, 256), "either"))
    for seed in range(4):
        out.append(Sample(f"pdf_fuzzed_{seed}", "lease.pdf", fuzz(clean_pdf, seed, 9, len(clean_pdf), 12), "either"))
    for seed in range(3):
        out.append(Sample(f"png_fuzzed_{seed}", "scan.png", fuzz(clean_png, seed, 8, len(clean_png), 4), "either"))
    return out
