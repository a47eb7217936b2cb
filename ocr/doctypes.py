"""Document types as data: ``templates/doctypes/*.yaml`` loaded, validated, and used to classify.

A template gives keywords (with weights), regexes, layout cues (a text found in the top of a page
as a title) and the fields to extract. Load errors name the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ocr.errors import TemplateError
from ocr.normalise import strip_all_space
from ocr.types import Page
from standards import TEMPLATES_DIR
from ocr.values import KINDS

DEFAULT_TEMPLATE_DIR = TEMPLATES_DIR / "doctypes"
FIELD_TYPES = frozenset(
    {"text", "name", "date", "date_range", "money", "uscc", "id_card", "code", "sex", "integer", "scope"}
)
OTHER = "other"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    labels: tuple[str, ...]
    type: str = "text"
    pattern: re.Pattern[str] | None = None
    multiline: bool = False
    max_lines: int = 3
    inline: bool = False
    kind: str = "text"
    #: Regexes over the page's reading-order text, each with a named group ``value``, for
    #: values printed in running prose (``租赁期限自…起至…止``); tried when no label gives one.
    prose: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class LayoutCue:
    text: str
    region: str  # "top": within the top quarter of a page
    weight: float


@dataclass(frozen=True)
class DocType:
    name: str
    name_zh: str
    min_score: float
    keywords: dict[str, float]
    regexes: tuple[tuple[re.Pattern[str], float], ...]
    layout: tuple[LayoutCue, ...]
    fields: tuple[FieldSpec, ...]
    pairs_as_fields: bool = False
    source: str = ""
    stop_labels: tuple[str, ...] = ()

    @property
    def labels(self) -> list[str]:
        return [label for spec in self.fields for label in spec.labels]


@dataclass(frozen=True)
class Classification:
    doc_type: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


def _err(path: Path, key: str, problem: str) -> TemplateError:
    return TemplateError(
        f"{path.name}: {key}: {problem}",
        message_zh=f"文档类型模板 {path.name} 的 {key} 无效：{problem}",
        file=str(path),
        key=key,
    )


def _regex(path: Path, key: str, pattern: object) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise _err(path, key, "must be a string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _err(path, key, f"bad regular expression ({exc})") from exc


def load_doctype(path: Path) -> DocType:
    """Parse and validate one template file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _err(path, "(file)", f"cannot be read as YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise _err(path, "(root)", "must be a mapping")
    name = data.get("doc_type")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise _err(path, "doc_type", "must be a snake_case name")
    cls = data.get("classify")
    if not isinstance(cls, dict):
        raise _err(path, "classify", "must be a mapping")
    keywords = cls.get("keywords") or {}
    if not isinstance(keywords, dict) or not all(
        isinstance(k, str) and isinstance(v, int | float) for k, v in keywords.items()
    ):
        raise _err(path, "classify.keywords", "must map text to a number")
    regexes = []
    for i, item in enumerate(cls.get("regexes") or []):
        if not isinstance(item, dict) or not isinstance(item.get("weight", 1), int | float):
            raise _err(path, f"classify.regexes[{i}]", "must be {pattern, weight}")
        regexes.append((_regex(path, f"classify.regexes[{i}].pattern", item.get("pattern")), float(item.get("weight", 1))))
    layout = []
    for i, item in enumerate(cls.get("layout") or []):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or item.get("region", "top") != "top":
            raise _err(path, f"classify.layout[{i}]", "must be {text, region: top, weight}")
        layout.append(LayoutCue(item["text"], "top", float(item.get("weight", 1))))
    min_score = cls.get("min_score", 5)
    if not isinstance(min_score, int | float) or min_score <= 0:
        raise _err(path, "classify.min_score", "must be a positive number")
    fields: list[FieldSpec] = []
    for i, item in enumerate(data.get("fields") or []):
        where = f"fields[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise _err(path, where, "must be a mapping with a key")
        labels = item.get("labels") or [item["key"]]
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise _err(path, f"{where}.labels", "must be a list of texts")
        ftype = item.get("type", "text")
        if ftype not in FIELD_TYPES:
            raise _err(path, f"{where}.type", f"must be one of {sorted(FIELD_TYPES)}")
        pattern = _regex(path, f"{where}.pattern", item["pattern"]) if "pattern" in item else None
        kind = item.get("kind")
        if kind not in KINDS:
            raise _err(path, f"{where}.kind", f"must be one of {sorted(KINDS)}")
        prose = []
        for j, rx in enumerate(item.get("prose") or []):
            compiled = _regex(path, f"{where}.prose[{j}]", rx)
            if "value" not in compiled.groupindex:
                raise _err(path, f"{where}.prose[{j}]", "needs a named group (?P<value>...)")
            prose.append(compiled)
        fields.append(
            FieldSpec(
                item["key"],
                tuple(strip_all_space(x) for x in labels),
                ftype,
                pattern,
                bool(item.get("multiline", False)),
                int(item.get("max_lines", 3)),
                bool(item.get("inline", False)),
                kind,
                tuple(prose),
            )
        )
    return DocType(
        name=name,
        name_zh=str(data.get("name_zh", name)),
        min_score=float(min_score),
        keywords={strip_all_space(k): float(v) for k, v in keywords.items()},
        regexes=tuple(regexes),
        layout=tuple(layout),
        fields=tuple(fields),
        pairs_as_fields=bool(data.get("pairs_as_fields", False)),
        source=str(path),
        stop_labels=tuple(strip_all_space(x) for x in data.get("stop_labels") or [] if isinstance(x, str)),
    )


def load_doctypes(directory: Path | str | None = None) -> list[DocType]:
    """All templates in ``directory`` (default: the repository's ``templates/doctypes``)."""
    folder = Path(directory) if directory else DEFAULT_TEMPLATE_DIR
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise TemplateError(f"No document-type templates in {folder}.", file=str(folder), key="(dir)")
    types = [load_doctype(p) for p in files]
    seen: set[str] = set()
    for t in types:
        if t.name in seen:
            raise _err(Path(t.source), "doc_type", f"duplicate name {t.name!r}")
        seen.add(t.name)
    return types


def _top_texts(pages: Sequence[Page]) -> str:
    out = []
    for page in pages[:2]:
        limit = page.height * 0.25
        out.extend(line.text for line in page.lines if max(p[1] for p in line.box) <= limit)
    return strip_all_space("".join(out))


def score_doctype(doctype: DocType, text: str, top_text: str) -> float:
    """The evidence for ``doctype`` in a document's compact text (each keyword counts once)."""
    score = sum(w for k, w in doctype.keywords.items() if k in text)
    score += sum(w for rx, w in doctype.regexes if rx.search(text))
    score += sum(cue.weight for cue in doctype.layout if strip_all_space(cue.text) in top_text)
    return score


def classify(pages: Sequence[Page], doctypes: Sequence[DocType]) -> Classification:
    """The best-scoring type, or ``other`` when none reaches its ``min_score``.

    Confidence is the winner's share of the evidence against the runner-up, scaled down when
    the winner barely passes its threshold.
    """
    text = strip_all_space("".join(line.text for page in pages for line in page.lines))
    top = _top_texts(pages)
    scores = {t.name: score_doctype(t, text, top) for t in doctypes}
    passing = {t.name: scores[t.name] / t.min_score for t in doctypes if scores[t.name] >= t.min_score}
    if not passing:
        best = max(scores.values(), default=0.0)
        threshold = min((t.min_score for t in doctypes), default=1.0)
        return Classification(OTHER, round(1.0 - min(best / threshold, 1.0) * 0.5, 4), scores)
    ranked = sorted(passing.items(), key=lambda kv: -kv[1])
    name, ratio = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    margin = ratio / (ratio + runner)
    strength = min(1.0, 0.5 + ratio / 4)
    return Classification(name, round(margin * strength, 4), scores)
