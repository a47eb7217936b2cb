"""Load and validate licence templates (YAML) into ``LicenceTemplate``; errors name file and key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from certgen.identifiers import CHECK_DIGITS, NumberFormat
from certgen.errors import TemplateError, UnknownTemplateError
from certgen.licences.model import (
    FIELD_KINDS, PAGE_SIZES_MM, SPECIAL_ROWS, BodyLayout, Box, FieldSpec, Layout, LicenceTemplate, PermitKind,
    TextItem,
)

_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
_TYPE_CODE = re.compile(r"^[0-9A-Z]{18}[0-9]{3}$")


class _Reader:
    """Typed access to a YAML mapping that reports ``file: key`` on every problem."""

    def __init__(self, source: str, data: Any, path: str = "") -> None:
        self.source, self.path = source, path
        if not isinstance(data, dict):
            self.fail("must be a mapping")
        self.data: dict = data

    def fail(self, message: str, key: str | None = None) -> None:
        where = ".".join(p for p in (self.path, key) if p) or "(top)"
        raise TemplateError(f"{self.source}: {where}: {message}",
                            message_zh=f"证照模板 {self.source} 的 {where} 有误：{message}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                self.fail("is required", key)
            return default
        value = self.data[key]
        if value is None and default is None:
            return None
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            self.fail(f"must be {getattr(kind, '__name__', kind)}", key)
        return value

    def sub(self, key: str, default: Any = ...) -> "_Reader":
        value = self.get(key, dict, default)
        return _Reader(self.source, value, ".".join(p for p in (self.path, key) if p))

    def num(self, key: str, default: Any = ..., *, low: float = 0.0, high: float = 1000.0) -> float:
        value = self.get(key, float, default)
        if value is not None and not low <= value <= high:
            self.fail(f"must be between {low} and {high}", key)
        return value

    def extra_keys(self, allowed: set[str]) -> None:
        unknown = set(self.data) - allowed
        if unknown:
            self.fail(f"unknown keys {sorted(unknown)}")


def _number(r: _Reader, field_keys: set[str], key: str = "number") -> tuple[NumberFormat, tuple[str, ...], tuple[str, ...]]:
    n = r.sub(key)
    n.extra_keys({"pattern", "seq_digits", "check", "scope"})
    pattern = n.get("pattern", str)
    parts = tuple(sorted(set(re.findall(r"{(\w+)}", pattern)) - {"seq", "year"}))
    if "{seq}" not in pattern:
        n.fail("must contain {seq}", "pattern")
    for part in parts:
        if part not in field_keys:
            n.fail(f"uses {{{part}}} which is not a field", "pattern")
    check = n.get("check", str, None)
    if check is not None and check not in CHECK_DIGITS:
        n.fail(f"unknown check-digit rule {check!r}; known: {sorted(CHECK_DIGITS)}", "check")
    scope = tuple(n.get("scope", list, []))
    for part in scope:
        if part not in field_keys:
            n.fail(f"scope {part!r} is not a field", "scope")
    digits = int(n.num("seq_digits", low=1, high=12))
    return NumberFormat(pattern, digits, check), parts, scope


def _field(r: _Reader) -> FieldSpec:
    r.extra_keys({"key", "label", "kind", "required", "max_length", "choices", "example"})
    key = r.get("key", str)
    if not _ID.match(key) or key in SPECIAL_ROWS:
        r.fail(f"key {key!r} must be snake_case and not one of {SPECIAL_ROWS}", "key")
    kind = r.get("kind", str, "text")
    if kind not in FIELD_KINDS:
        r.fail(f"kind must be one of {FIELD_KINDS}", "kind")
    choices = tuple(str(c) for c in r.get("choices", list, []))
    if kind == "choice" and not choices:
        r.fail("a choice field needs choices", "choices")
    return FieldSpec(key, r.get("label", str), kind, r.get("required", bool, True),
                     int(r.num("max_length", 200, low=1, high=10000)), choices, str(r.data.get("example", "")))


def _text(r: _Reader) -> TextItem:
    r.extra_keys({"text", "x", "y", "size", "align"})
    align = r.get("align", str, "left")
    if align not in ("left", "centre", "right"):
        r.fail("align must be left, centre or right", "align")
    return TextItem(r.get("text", str), r.num("x"), r.num("y"), r.num("size", 12.0, low=4, high=80), align)


def _box(r: _Reader) -> Box:
    r.extra_keys({"x", "y", "size"})
    return Box(r.num("x"), r.num("y"), r.num("size", low=10, high=200))


def _layout(r: _Reader, field_keys: set[str]) -> Layout:
    r.extra_keys({"page", "landscape", "title", "body", "rows", "qr", "seal", "texts", "frame", "labels"})
    labels = r.get("labels", dict, {})
    for key, value in labels.items():
        if key not in SPECIAL_ROWS or not isinstance(value, str):
            r.fail(f"label override {key!r} must name one of {SPECIAL_ROWS} with a text", "labels")
    page = r.get("page", str, "A4")
    if page not in PAGE_SIZES_MM:
        r.fail(f"page must be one of {sorted(PAGE_SIZES_MM)}", "page")
    b = r.sub("body")
    b.extra_keys({"x", "y", "width", "bottom", "label_width", "size", "leading"})
    body = BodyLayout(b.num("x"), b.num("y"), b.num("width", low=20), b.num("bottom"), b.num("label_width", low=5),
                      b.num("size", 11.0, low=5, high=40), b.num("leading", 16.0, low=5, high=60))
    rows = tuple(r.get("rows", list))
    for row in rows:
        if row not in field_keys and row not in SPECIAL_ROWS and row != "permits":
            r.fail(f"row {row!r} is neither a field nor one of {SPECIAL_ROWS}", "rows")
    texts = tuple(_text(_Reader(r.source, t, f"{r.path}.texts[{i}]")) for i, t in enumerate(r.get("texts", list, [])))
    layout = Layout(page, r.get("landscape", bool, False), _text(r.sub("title")), body, rows,
                    _box(r.sub("qr")), _box(r.sub("seal")), texts, r.get("frame", bool, True),
                    tuple(sorted(labels.items())))
    width, height = layout.size_mm
    for name, box in (("qr", layout.qr), ("seal", layout.seal)):
        if box.x + box.size > width or box.y + box.size > height:
            r.fail("lies outside the page", name)
    if body.x + body.width > width or not body.y < body.bottom <= height:
        r.fail("body lies outside the page or bottom is above its top", "body")
    return layout


def parse_template(data: Any, source: str) -> LicenceTemplate:
    """Validate one template mapping (``source`` names it in errors)."""
    r = _Reader(source, data)
    r.extra_keys({"id", "name", "type_code", "number", "validity_years", "fields", "layout",
                  "holder_code_kind", "permit_kinds"})
    template_id = r.get("id", str)
    if not _ID.match(template_id):
        r.fail("must be snake_case", "id")
    type_code = str(r.get("type_code", str))
    if not _TYPE_CODE.match(type_code):
        r.fail("must be the ministry's 18-character USCC followed by 3 digits", "type_code")
    fields = tuple(_field(_Reader(source, f, f"fields[{i}]")) for i, f in enumerate(r.get("fields", list)))
    keys = [f.key for f in fields]
    if len(set(keys)) != len(keys):
        r.fail("field keys must be unique", "fields")
    for needed in ("holder_name", "holder_code"):
        if needed not in keys:
            r.fail(f"must define the field {needed!r}", "fields")
    number, parts, scope = _number(r, set(keys))
    permits = []
    for i, raw in enumerate(r.get("permit_kinds", list, [])):
        p = _Reader(source, raw, f"permit_kinds[{i}]")
        p.extra_keys({"key", "label", "number", "validity_years", "scope_label"})
        fmt, p_parts, _ = _number(p, set(keys))
        years = p.get("validity_years", int, None)
        permits.append(PermitKind(p.get("key", str), p.get("label", str), fmt, p_parts, years,
                                  p.get("scope_label", str, "经营范围")))
    if permits and "permits" not in keys:
        r.fail("a merged template with permit_kinds needs a 'permits' field", "fields")
    holder_kind = r.get("holder_code_kind", str, "uscc")
    if holder_kind not in ("uscc", "id_card"):
        r.fail("must be uscc or id_card", "holder_code_kind")
    years = r.get("validity_years", int, None)
    if years is not None and not 0 < years <= 50:
        r.fail("must be 1..50 or null", "validity_years")
    return LicenceTemplate(
        id=template_id, name=r.get("name", str), type_code=type_code, number=number, number_parts=parts,
        number_scope=scope, validity_years=years, fields=fields, layout=_layout(r.sub("layout"), set(keys)),
        holder_code_kind=holder_kind, permit_kinds=tuple(permits), source=source,
    )


def load_template_file(path: Path) -> LicenceTemplate:
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read YAML: {exc}", message_zh=f"证照模板 {path} 无法读取") from exc
    template = parse_template(data, str(path))
    if template.id != Path(path).stem:
        raise TemplateError(f"{path}: id {template.id!r} must equal the file name")
    return template


class TemplateSet:
    """All templates of a directory, loaded once; look up by id."""

    def __init__(self, templates: dict[str, LicenceTemplate]) -> None:
        self._templates = dict(sorted(templates.items()))

    @classmethod
    def load(cls, directory: Path) -> "TemplateSet":
        files = sorted(Path(directory).glob("*.yaml"))
        if not files:
            raise TemplateError(f"no licence templates in {directory}")
        return cls({t.id: t for t in map(load_template_file, files)})

    def ids(self) -> list[str]:
        return list(self._templates)

    def get(self, template_id: str) -> LicenceTemplate:
        try:
            return self._templates[template_id]
        except KeyError:
            raise UnknownTemplateError(f"unknown licence type {template_id!r}; known: {self.ids()}") from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._templates.values())
