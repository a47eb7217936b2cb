"""Load and validate the matter catalog from ``templates/matters/*.yaml``.

Every error names the file, the key path and the line, e.g.
``food-business-licence.yaml:23: materials[1].kidn: unknown key``.
Composite matters (一件事) list their component matter ids under ``composite``; their materials and
form fields are merged from the components, so a material two components share is asked once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from intake.errors import CatalogError, UnknownMatterError
from intake.matters.model import FormField, Material, Matter, Reuse

__all__ = ["Catalog", "load_catalog"]

_COMPOSITE_OWN_KEYS = {"materials", "fields"}


def _to_python(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    """Turn a composed YAML node into Python values, remembering the line of every key path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise CatalogError(f"line {key_node.start_mark.line + 1}: duplicate key '{key}'")
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _key_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top)"


def _line_of(loc: tuple, lines: Mapping[tuple, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _fail(path: Path, loc: tuple, message: str, lines: Mapping[tuple, int]) -> CatalogError:
    line = _line_of(loc, lines)
    where = f"{path.name}:{line}" if line else path.name
    key = _key_path(loc)
    return CatalogError(
        f"{where}: {key}: {message}",
        message_zh=f"事项配置文件 {where} 的字段 {key} 有误：{message}",
        file=str(path),
        key=key,
        line=line,
    )


def _read(path: Path) -> tuple[dict, dict[tuple, int]]:
    lines: dict[tuple, int] = {}
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _fail(path, (), f"not valid YAML: {exc}", lines) from exc
    except CatalogError as exc:
        raise CatalogError(f"{path.name}: {exc}", message_zh=f"事项配置文件 {path.name} 有误：{exc}") from exc
    if node is None or not isinstance(node, yaml.MappingNode):
        raise _fail(path, (), "expected a mapping at the top", lines)
    try:
        return _to_python(node, (), lines), lines
    except ValueError as exc:  # e.g. an impossible date
        raise _fail(path, (), f"bad value: {exc}", lines) from exc


def _validate(path: Path, raw: dict, lines: dict[tuple, int]) -> Matter:
    try:
        return Matter.model_validate(raw)
    except ValidationError as exc:
        # a typo'd key also makes the intended key "missing": report the typo, it is the cause
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        loc = tuple(first["loc"])
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        raise _fail(path, loc, message, lines) from exc


def _merge_reuse(a: Reuse, b: Reuse) -> Reuse:
    """Two components share a material: reuse only what both would accept."""
    if not (a.allowed and b.allowed):
        return Reuse()
    ages = [x for x in (a.max_age_days, b.max_age_days) if x is not None]
    return Reuse(
        allowed=True,
        until_expiry=a.until_expiry or b.until_expiry,
        max_age_days=min(ages) if ages else None,
    )


def _merge_materials(components: list[Matter]) -> tuple[Material, ...]:
    merged: dict[str, Material] = {}
    for component in components:
        for material in component.materials:
            seen = merged.get(material.id)
            if seen is None:
                merged[material.id] = material.model_copy(update={"used_by": (component.id,)})
                continue
            merged[material.id] = seen.model_copy(
                update={
                    "kind": "main" if "main" in (seen.kind, material.kind) else "secondary",
                    "doc_types": tuple(dict.fromkeys(seen.doc_types + material.doc_types)),
                    "reuse": _merge_reuse(seen.reuse, material.reuse),
                    "person": seen.person or material.person,
                    "max_age_days": min((a for a in (seen.max_age_days, material.max_age_days) if a), default=None),
                    "used_by": seen.used_by + (component.id,),
                }
            )
    return tuple(merged.values())


def _merge_fields(components: list[Matter]) -> tuple[FormField, ...]:
    merged: dict[str, FormField] = {}
    for component in components:
        for form_field in component.fields:
            seen = merged.get(form_field.name)
            if seen is None:
                merged[form_field.name] = form_field
            else:
                merged[form_field.name] = seen.model_copy(
                    update={
                        "required": seen.required or form_field.required,
                        "sources": tuple(dict.fromkeys(seen.sources + form_field.sources)),
                    }
                )
    return tuple(merged.values())


class Catalog:
    """All matters by id, composites already merged."""

    def __init__(self, matters: Mapping[str, Matter], files: Mapping[str, Path] | None = None) -> None:
        self._matters = dict(matters)
        self._files = dict(files or {})

    def __iter__(self):
        return iter(self._matters.values())

    def __len__(self) -> int:
        return len(self._matters)

    def __contains__(self, matter_id: object) -> bool:
        return matter_id in self._matters

    def get(self, matter_id: str) -> Matter:
        try:
            return self._matters[matter_id]
        except KeyError:
            raise UnknownMatterError(
                f"unknown matter '{matter_id}'", message_zh=f"事项 '{matter_id}' 不存在", matter=matter_id
            ) from None

    def components(self, matter_id: str) -> list[Matter]:
        return [self.get(c) for c in self.get(matter_id).composite]

    def material_counts(self, matter_id: str) -> tuple[int, int]:
        """(materials before, materials now): for a composite, before = the components' sum."""
        matter = self.get(matter_id)
        before = matter.materials_before if matter.materials_before is not None else len(matter.materials)
        return before, len(matter.materials)


def load_catalog(folder: Path) -> Catalog:
    """Read every ``*.yaml`` under ``folder``; raise ``CatalogError`` naming file, key and line."""
    raw_by_id: dict[str, tuple[Path, dict, dict[tuple, int]]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        raw, lines = _read(path)
        matter_id = raw.get("id")
        if isinstance(matter_id, str) and matter_id in raw_by_id:
            other = raw_by_id[matter_id][0].name
            raise _fail(path, ("id",), f"duplicate matter id '{matter_id}' (also in {other})", lines)
        raw_by_id[str(matter_id)] = (path, raw, lines)

    simple: dict[str, Matter] = {}
    files: dict[str, Path] = {}
    for matter_id, (path, raw, lines) in raw_by_id.items():
        if not raw.get("composite"):
            simple[matter_id] = _validate(path, raw, lines)
            files[matter_id] = path

    matters = dict(simple)
    for matter_id, (path, raw, lines) in raw_by_id.items():
        if not raw.get("composite"):
            continue
        for key in _COMPOSITE_OWN_KEYS & set(raw):
            raise _fail(path, (key,), "a composite matter takes its materials and fields from its components", lines)
        base = _validate(path, raw, lines)
        components = []
        for index, component_id in enumerate(base.composite):
            if component_id not in simple:
                raise _fail(path, ("composite", index), f"unknown component matter '{component_id}'", lines)
            components.append(simple[component_id])
        materials = _merge_materials(components)
        before = base.materials_before
        if before is None:
            before = sum(len(c.materials) for c in components)
        matters[matter_id] = base.model_copy(
            update={"materials": materials, "fields": _merge_fields(components), "materials_before": before}
        )
        files[matter_id] = path
    return Catalog(matters, files)
