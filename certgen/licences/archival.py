"""Licences as archival PDFs (PDF/A-3 style): XMP with GB/T 36903 metadata, an sRGB OutputIntent, PDF 1.7.

Applied after the JSON attachment and before signing (a signed PDF is never rewritten). The XMP
packet mirrors the document information dictionary (title, author, subject, producer, dates) as
PDF/A requires, declares ``pdfaid:part=3``, and carries the licence metadata under its own
namespace, described by a PDF/A extension schema so a validator knows the properties. The header
says 1.7 because associated files (``/AF``) and ``/AFRelationship`` are PDF 1.7 / PDF/A-3 features.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any
from xml.sax.saxutils import escape

import pikepdf

from certgen.licences.attachment import embed_json

NS = "http://onceonly.invalid/ns/gbt36903/1.0/"
PREFIX = "elic"
PDF_VERSION = "1.7"
# XMP property -> (key in licence_json()["metadata"], description)
PROPERTIES = (
    ("Identifier", "证照标识", "licence identifier (GB/T 36904)"),
    ("Name", "证照名称", "licence name"),
    ("TypeCode", "证照类型代码", "licence type code"),
    ("Number", "证照编号", "licence number"),
    ("Issuer", "颁发机构", "issuing authority"),
    ("IssuerCode", "颁发机构代码", "issuing authority's USCC"),
    ("IssueDate", "颁发日期", "date of issue"),
    ("Holder", "持证主体", "licence holder"),
    ("HolderCode", "持证主体代码", "holder's USCC or ID number"),
    ("HolderCodeType", "持证主体代码类型", "111 ID card, 001 USCC"),
    ("ValidFrom", "有效期起始", "valid from"),
    ("ValidUntil", "有效期截止", "valid until (empty: no expiry)"),
    ("RegionCode", "管辖属地编码", "jurisdiction region code"),
)


@functools.lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS through Pillow (no file needed; made once per process)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_archival(pdf: bytes, data: dict[str, Any]) -> bytes:
    """``pdf`` with XMP metadata (PDF/A-3 id + ``data["metadata"]``), an sRGB OutputIntent, saved as 1.7."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _make_archival(doc, data)
        return _save(doc)


def archival_licence_pdf(pdf: bytes, data: dict[str, Any]) -> bytes:
    """``make_archival(attach_json(pdf, data), data)`` in one parse and one save of the PDF."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        embed_json(doc, data)
        _make_archival(doc, data)
        return _save(doc)


def _make_archival(doc: pikepdf.Pdf, data: dict[str, Any]) -> None:
    metadata = data.get("metadata") or {}
    info = {str(k): str(v) for k, v in doc.docinfo.items()}
    xmp = xmp_packet(info, metadata).encode("utf-8")
    stream = doc.make_stream(xmp)
    stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    doc.Root.Metadata = stream
    icc = doc.make_stream(srgb_profile())
    icc.N = 3
    doc.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"), Info=pikepdf.String("sRGB"),
        DestOutputProfile=icc,
    )])
    if "/MarkInfo" not in doc.Root:
        doc.Root.MarkInfo = pikepdf.Dictionary(Marked=False)


def _save(doc: pikepdf.Pdf) -> bytes:
    """Saved as 1.7 with our XMP packet as written: it has no ``pdf:PDFVersion`` for pikepdf to fix, and
    the fix would only parse and re-serialise it (~0.5 ms)."""
    out = io.BytesIO()
    doc.save(out, compress_streams=True, min_version=PDF_VERSION, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
             fix_metadata_version=False)
    return out.getvalue()


def xmp_packet(info: dict[str, str], metadata: dict[str, Any]) -> str:
    """The XMP packet: Dublin Core / XMP / PDF properties from ``info``, pdfaid, and the licence fields."""
    e = escape
    title, author, subject = info.get("/Title", ""), info.get("/Author", ""), info.get("/Subject", "")
    created, modified = _xmp_date(info.get("/CreationDate")), _xmp_date(info.get("/ModDate"))
    licence = "".join(
        f"<{PREFIX}:{prop}>{e(_text(metadata.get(key)))}</{PREFIX}:{prop}>" for prop, key, _ in PROPERTIES
    )
    schema = "".join(
        "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>{}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>"
        "<pdfaProperty:description>{}</pdfaProperty:description></rdf:li>".format(prop, e(desc))
        for prop, _, desc in PROPERTIES
    )
    dates = (f"<xmp:CreateDate>{created}</xmp:CreateDate>" if created else "") + (
        f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>" if modified else "")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#" '
        f'xmlns:{PREFIX}="{NS}">'
        '<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>'
        f'<dc:format>application/pdf</dc:format>'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt></dc:description>'
        f'<xmp:CreatorTool>{e(info.get("/Creator", ""))}</xmp:CreatorTool>{dates}'
        f'<pdf:Producer>{e(info.get("/Producer", ""))}</pdf:Producer>'
        f'{licence}'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        '<pdfaSchema:schema>GB/T 36903 e-licence metadata</pdfaSchema:schema>'
        f'<pdfaSchema:namespaceURI>{NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>'
        f'<pdfaSchema:property><rdf:Seq>{schema}</rdf:Seq></pdfaSchema:property>'
        '</rdf:li></rdf:Bag></pdfaExtension:schemas>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>'
        + " " * 512 + '<?xpacket end="w"?>'
    )


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+\-])?(\d{2})?'?(\d{2})?'?")


def _xmp_date(value: str | None) -> str | None:
    """A PDF date ``D:YYYYMMDDHHmmSS+hh'mm'`` as XMP (ISO 8601), the same instant."""
    match = _PDF_DATE.match(value or "")
    if not match:
        return None
    y, mo, d, h, mi, s, sign, tzh, tzm = match.groups()
    text = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if sign in ("Z", "z") or (sign in ("+", "-") and not tzh):
        return text + "Z"
    if sign in ("+", "-"):
        return f"{text}{sign}{tzh}:{tzm or '00'}"
    return text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)
