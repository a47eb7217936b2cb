"""Label layouts are data: ``templates/labels/<size>.yaml``, validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from certgen.errors import LabelLayoutError, LabelSizeError
from standards import TEMPLATES_DIR

DEFAULT_TEMPLATE_DIR = TEMPLATES_DIR / "labels"
SIZES: tuple[str, ...] = ("100x150", "76x130")
ZONES: tuple[str, ...] = (
    "header", "code", "destination", "recipient", "sender", "contents", "qr", "signature",
)


@dataclass(frozen=True)
class Zone:
    """A rectangle in mm measured from the page's top-left corner."""

    name: str
    x: float
    y: float
    width: float
    height: float
    font_size: float
    bar_height_mm: float = 0.0


@dataclass(frozen=True)
class Layout:
    name: str
    width_mm: float
    height_mm: float
    padding_mm: float
    zones: dict[str, Zone]

    def zone(self, name: str) -> Zone:
        return self.zones[name]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise LabelLayoutError(f"{where} must be a non-negative number, got {value!r}")
    return float(value)


def parse_layout(data: Any, source: str) -> Layout:
    """Validate a layout mapping; errors name the file and the key."""
    if not isinstance(data, dict):
        raise LabelLayoutError(f"{source}: the layout must be a mapping")
    page = data.get("page")
    if not isinstance(page, dict):
        raise LabelLayoutError(f"{source}: key 'page' is missing")
    width = _number(page.get("width_mm"), f"{source}: page.width_mm")
    height = _number(page.get("height_mm"), f"{source}: page.height_mm")
    padding = _number(data.get("padding_mm", 2), f"{source}: padding_mm")
    raw_zones = data.get("zones")
    if not isinstance(raw_zones, dict):
        raise LabelLayoutError(f"{source}: key 'zones' is missing")
    zones: dict[str, Zone] = {}
    for name in ZONES:
        raw = raw_zones.get(name)
        where = f"{source}: zones.{name}"
        if not isinstance(raw, dict) or not isinstance(raw.get("box"), list) or len(raw["box"]) != 4:
            raise LabelLayoutError(f"{where}.box must be [x, y, width, height]")
        x, y, w, h = (_number(v, f"{where}.box") for v in raw["box"])
        if w <= 0 or h <= 0 or x + w > width + 1e-6 or y + h > height + 1e-6:
            raise LabelLayoutError(f"{where}.box {raw['box']} lies outside the {width}x{height} mm page")
        font = _number(raw.get("font_size"), f"{where}.font_size")
        bar = _number(raw.get("bar_height_mm", 0), f"{where}.bar_height_mm")
        zones[name] = Zone(name, x, y, w, h, font, bar)
    unknown = set(raw_zones) - set(ZONES)
    if unknown:
        raise LabelLayoutError(f"{source}: unknown zones {sorted(unknown)}")
    if zones["code"].bar_height_mm <= 0:
        raise LabelLayoutError(f"{source}: zones.code.bar_height_mm is required")
    return Layout(str(data.get("name", source)), width, height, padding, zones)


@lru_cache(maxsize=16)
def load_layout(size: str, template_dir: Path | None = None) -> Layout:
    """The layout of a label size (``100x150`` or ``76x130``)."""
    if size not in SIZES:
        raise LabelSizeError(
            f"unknown label size {size!r}; use one of {', '.join(SIZES)}",
            message_zh=f"不支持的面单尺寸 {size}，可选 {'、'.join(SIZES)}",
        )
    path = (template_dir or DEFAULT_TEMPLATE_DIR) / f"{size}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelLayoutError(f"{path}: cannot be read: {exc}") from exc
    return parse_layout(data, str(path))
