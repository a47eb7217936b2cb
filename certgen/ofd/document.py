"""Write an OFD document (GB/T 33190-2016): OFD.xml, Document.xml, resources, pages, attachments.

The model is small and fixed-layout: a page holds text objects (one font, every glyph's advance
given in ``DeltaX``), stroked paths and images. Coordinates are millimetres from the page's
top-left corner, as OFD has them. ``OfdDocument.files()`` returns the package as ``{path: bytes}``
(unsigned); ``certgen.ofd.sign`` adds the seal and ``certgen.ofd.package`` zips it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree as ET

from certgen.ofd.fonts import cjk_font_names, subset_cjk_font

NS = "http://www.ofdspec.org/2016"
ET.register_namespace("ofd", NS)

DOC = "Doc_0"
SIGNATURES_PATH = f"{DOC}/Signs/Signatures.xml"


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def xml_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, q(tag), {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


@dataclass(frozen=True)
class Text:
    x: float  # start of the baseline, mm
    baseline: float  # mm from the top
    size: float  # mm
    text: str
    advances: tuple[float, ...]  # mm per character (DeltaX); len == len(text)
    colour: tuple[int, int, int] = (26, 26, 26)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    line_width: float  # mm
    colour: tuple[int, int, int]


@dataclass(frozen=True)
class Image:
    resource: str  # key into OfdDocument.images
    x: float
    y: float
    width: float
    height: float


@dataclass
class Page:
    width: float
    height: float
    items: list[Text | Rect | Image] = field(default_factory=list)


@dataclass
class OfdDocument:
    """Everything one OFD document carries before it is sealed."""

    title: str
    author: str
    subject: str
    creation_date: date
    custom_data: list[tuple[str, str]] = field(default_factory=list)  # DocInfo CustomDatas (GB/T 36903)
    pages: list[Page] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)  # name -> PNG
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)  # (file name, bytes, format)
    doc_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def page_path(self, index: int) -> str:
        return f"{DOC}/Pages/Page_{index}/Content.xml"

    def files(self) -> tuple[dict[str, bytes], dict[int, str]]:
        """The package's files, and the ID of each page (index -> ID) for stamp annotations."""
        ids = _Ids()
        font_id = ids.next()
        image_ids = {name: ids.next() for name in self.images}
        page_ids = {i: ids.next() for i in range(len(self.pages))}
        out: dict[str, bytes] = {}
        text = "".join(item.text for page in self.pages for item in page.items if isinstance(item, Text))
        out[f"{DOC}/Res/font_{font_id}.ttf"] = subset_cjk_font(text)
        for name, data in self.images.items():
            out[f"{DOC}/Res/image_{image_ids[name]}.png"] = data
        for index, page in enumerate(self.pages):
            out[self.page_path(index)] = _page_xml(page, ids, font_id, image_ids)
        attachment_ids = [ids.next() for _ in self.attachments]
        for name, data, _ in self.attachments:
            out[f"{DOC}/Attachs/{name}"] = data
        if self.attachments:
            out[f"{DOC}/Attachs/Attachments.xml"] = self._attachments_xml(attachment_ids)
        out[f"{DOC}/PublicRes.xml"] = _public_res(font_id)
        out[f"{DOC}/DocumentRes.xml"] = _document_res(image_ids)
        out[f"{DOC}/Document.xml"] = self._document_xml(ids.max, page_ids)
        out["OFD.xml"] = self._ofd_xml()
        return out, page_ids

    def _ofd_xml(self) -> bytes:
        root = ET.Element(q("OFD"), {"Version": "1.0", "DocType": "OFD"})
        body = sub(root, "DocBody")
        info = sub(body, "DocInfo")
        sub(info, "DocID", self.doc_id)
        sub(info, "Title", self.title)
        sub(info, "Author", self.author)
        sub(info, "Subject", self.subject)
        sub(info, "CreationDate", self.creation_date.isoformat())
        sub(info, "Creator", "OnceOnly certgen")
        sub(info, "CreatorVersion", "1.0")
        if self.custom_data:
            custom = sub(info, "CustomDatas")
            for name, value in self.custom_data:
                sub(custom, "CustomData", value, Name=name)
        sub(body, "DocRoot", f"{DOC}/Document.xml")
        sub(body, "Signatures", SIGNATURES_PATH)
        return xml_bytes(root)

    def _document_xml(self, max_id: int, page_ids: dict[int, str]) -> bytes:
        root = ET.Element(q("Document"))
        common = sub(root, "CommonData")
        sub(common, "MaxUnitID", str(max_id))
        area = sub(common, "PageArea")
        first = self.pages[0]
        sub(area, "PhysicalBox", f"0 0 {num(first.width)} {num(first.height)}")
        sub(common, "PublicRes", "PublicRes.xml")
        sub(common, "DocumentRes", "DocumentRes.xml")
        pages = sub(root, "Pages")
        for index in range(len(self.pages)):
            sub(pages, "Page", ID=page_ids[index], BaseLoc=f"Pages/Page_{index}/Content.xml")
        if self.attachments:
            sub(root, "Attachments", "Attachs/Attachments.xml")
        return xml_bytes(root)

    def _attachments_xml(self, ids: list[str]) -> bytes:
        root = ET.Element(q("Attachments"))
        for attachment_id, (name, data, fmt) in zip(ids, self.attachments):
            element = sub(root, "Attachment", ID=attachment_id, Name=name, Format=fmt,
                          CreationDate=self.creation_date.isoformat(), Size=num(len(data) / 1024), Visible="false")
            sub(element, "FileLoc", name)
        return xml_bytes(root)


class _Ids:
    def __init__(self) -> None:
        self.max = 0

    def next(self) -> str:
        self.max += 1
        return str(self.max)


def _colour(rgb: tuple[int, int, int]) -> str:
    return " ".join(str(c) for c in rgb)


def _page_xml(page: Page, ids: _Ids, font_id: str, image_ids: dict[str, str]) -> bytes:
    root = ET.Element(q("Page"))
    area = sub(root, "Area")
    sub(area, "PhysicalBox", f"0 0 {num(page.width)} {num(page.height)}")
    layer = sub(sub(root, "Content"), "Layer", ID=ids.next(), Type="Body")
    for item in page.items:
        if isinstance(item, Text):
            width = sum(item.advances)
            top = item.baseline - item.size
            obj = sub(layer, "TextObject", ID=ids.next(),
                      Boundary=f"{num(item.x)} {num(top)} {num(width + item.size)} {num(item.size * 1.4)}",
                      Font=font_id, Size=num(item.size))
            sub(obj, "FillColor", Value=_colour(item.colour))
            gaps = {"DeltaX": " ".join(num(a) for a in item.advances[:-1])} if len(item.text) > 1 else {}
            sub(obj, "TextCode", item.text, X="0", Y=num(item.size), **gaps)
        elif isinstance(item, Rect):
            half = item.line_width / 2
            obj = sub(layer, "PathObject", ID=ids.next(),
                      Boundary=f"{num(item.x - half)} {num(item.y - half)} {num(item.width + item.line_width)} "
                               f"{num(item.height + item.line_width)}",
                      LineWidth=num(item.line_width), Stroke="true", Fill="false")
            sub(obj, "FillColor", Value=_colour(item.colour))  # some readers stroke with the fill colour
            sub(obj, "StrokeColor", Value=_colour(item.colour))
            w, h = item.width, item.height
            sub(obj, "AbbreviatedData", f"M {num(half)} {num(half)} L {num(w + half)} {num(half)} "
                                        f"L {num(w + half)} {num(h + half)} L {num(half)} {num(h + half)} C")
        else:
            sub(layer, "ImageObject", ID=ids.next(), ResourceID=image_ids[item.resource],
                Boundary=f"{num(item.x)} {num(item.y)} {num(item.width)} {num(item.height)}",
                CTM=f"{num(item.width)} 0 0 {num(item.height)} 0 0")
    return xml_bytes(root)


def _public_res(font_id: str) -> bytes:
    root = ET.Element(q("Res"), {"BaseLoc": "Res"})
    fonts = sub(root, "Fonts")
    name, family = cjk_font_names()
    font = sub(fonts, "Font", ID=font_id, FontName=name, FamilyName=family)
    sub(font, "FontFile", f"font_{font_id}.ttf")
    return xml_bytes(root)


def _document_res(image_ids: dict[str, str]) -> bytes:
    root = ET.Element(q("Res"), {"BaseLoc": "Res"})
    if image_ids:
        media = sub(root, "MultiMedias")
        for image_id in image_ids.values():
            element = sub(media, "MultiMedia", ID=image_id, Type="Image", Format="PNG")
            sub(element, "MediaFile", f"image_{image_id}.png")
    return xml_bytes(root)
