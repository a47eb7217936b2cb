"""Licence templates as data: the fields a licence carries and where they go on the page.

A template (YAML in ``templates/licences/``) is loaded and validated into ``LicenceTemplate``;
load errors name the file and the key. Positions are millimetres from the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from certgen.identifiers import NumberFormat

FIELD_KINDS = ("text", "multiline", "date", "uscc", "id_card", "phone", "choice", "money", "permits")
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
SPECIAL_ROWS = ("number", "validity", "authority_name", "issue_date", "identifier")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    choices: tuple[str, ...] = ()
    example: str = ""


@dataclass(frozen=True)
class PermitKind:
    """One kind of permit a merged licence can carry (its own number format and validity)."""

    key: str
    label: str
    number: NumberFormat
    number_parts: tuple[str, ...]
    validity_years: int | None
    scope_label: str = "经营范围"


@dataclass(frozen=True)
class TextItem:
    text: str  # str.format over the licence's values (e.g. "发证机关：{authority_name}")
    x: float
    y: float
    size: float = 12.0
    align: str = "left"  # left | centre | right


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class BodyLayout:
    x: float
    y: float
    width: float
    bottom: float  # lowest y (mm from top) body text may reach on the first page
    label_width: float
    size: float = 11.0
    leading: float = 16.0  # points between lines


@dataclass(frozen=True)
class Layout:
    page: str
    landscape: bool
    title: TextItem
    body: BodyLayout
    rows: tuple[str, ...]
    qr: Box
    seal: Box
    texts: tuple[TextItem, ...] = ()
    frame: bool = True
    labels: tuple[tuple[str, str], ...] = ()  # label overrides for special rows, e.g. number -> 备案编号

    @property
    def size_mm(self) -> tuple[float, float]:
        w, h = PAGE_SIZES_MM[self.page]
        return (h, w) if self.landscape else (w, h)


@dataclass(frozen=True)
class LicenceTemplate:
    id: str
    name: str
    type_code: str  # 证照类型代码: the defining ministry's USCC + 3 digits
    number: NumberFormat
    number_parts: tuple[str, ...]  # field keys the number pattern uses
    number_scope: tuple[str, ...]  # field keys that make a separate sequence (e.g. region)
    validity_years: int | None  # None: no expiry (e.g. a filing)
    fields: tuple[FieldSpec, ...]
    layout: Layout
    holder_code_kind: str = "uscc"  # uscc | id_card
    permit_kinds: tuple[PermitKind, ...] = ()
    source: str = ""

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def merged(self) -> bool:
        return bool(self.permit_kinds)

    def permit_kind(self, key: str) -> PermitKind | None:
        return next((p for p in self.permit_kinds if p.key == key), None)


@dataclass(frozen=True)
class Permit:
    """One block of a merged licence, with its own number and validity."""

    kind: str
    label: str
    number: str
    scope: str
    valid_until: date | None


@dataclass(frozen=True)
class LicenceContent:
    """Everything printed on (and attached to) one licence."""

    template: LicenceTemplate
    values: dict[str, str]  # validated field values
    number: str
    identifier: str
    authority_name: str
    authority_code: str
    issue_date: date
    valid_from: date
    valid_until: date | None
    verify_url: str
    permits: tuple[Permit, ...] = ()
    related: tuple[str, ...] = ()  # identifiers this licence replaces (关联证照标识)
    region_code: str = ""
    extra: dict[str, str] = field(default_factory=dict)
