"""Field extraction: printed labels -> values, normalised, with confidence, page, box and checks.

A label is recognised at the start of a line (spaces between its characters ignored, one misread
character tolerated in labels of four or more characters) or mid-line after a space or before a
colon. Its value is the rest of the line, else the next cell of the same row, else the line just
below; multi-line values take the following lines of the same column until the next label.
A value that does not parse is reported as ``None`` with its raw text — never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr import normalise as nz
from ocr.doctypes import DocType, FieldSpec
from ocr.identifiers import check_as_read, check_id_card
from ocr.layout import Row, group_rows
from ocr.refine import joined_cells, prose_value, valid_alternative
from ocr.types import Box, Field, Line, Page, box_bounds
from ocr.values import (
    COMMON_STOP_LABELS,
    check_registration_number,
    cut_at_stop,
    looks_like,
    repair_month_day,
    strip_label_tail,
    strip_leading_label,
)

LOW_CONFIDENCE = 0.85
"""A field read with a lower score is flagged ``low_confidence`` (here and in intake's pre-fill)."""
_COLON = "：:"


@dataclass
class _Hit:
    key: str
    raw: str
    score: float
    page: int
    box: Box | None
    row_rest: str = ""  # the cells after the label on its row, joined (for split date boxes)


def _hamming_le1(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _match_at(text: str, pos: int, label: str) -> int:
    """End index of ``label`` at ``text[pos:]`` (exact, or one wrong character if long), else -1."""
    if text.startswith(label, pos):
        return pos + len(label)
    if len(label) >= 4 and _hamming_le1(text[pos : pos + len(label)], label):
        return pos + len(label)
    return -1


def _sub_box(line: Line, start: int, end: int, length: int) -> Box:
    """The part of a line's box covering characters ``start:end`` (proportional estimate)."""
    if length <= 0 or (start <= 0 and end >= length):
        return line.box
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.box
    a, b = start / length, end / length

    def lerp(p: tuple[float, float], q: tuple[float, float], t: float) -> tuple[float, float]:
        return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)

    return (lerp((x0, y0), (x1, y1), a), lerp((x0, y0), (x1, y1), b),
            lerp((x3, y3), (x2, y2), b), lerp((x3, y3), (x2, y2), a))


def _label_spans(text: str, raw: str, labels: Sequence[str], inline: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, label) of labels in a compact line: at its start, mid-line before a colon or
    after a space, or anywhere for labels declared ``inline`` (``性别男民族汉``)."""
    spans: list[tuple[int, int, str]] = []
    ordered = sorted(set(labels), key=len, reverse=True)
    pos = 0
    while pos < len(text):
        found = None
        for label in ordered:
            end = _match_at(text, pos, label) if pos == 0 else (
                pos + len(label) if text.startswith(label, pos) else -1)
            if end < 0:
                continue
            followed_by_colon = end < len(text) and text[end] in _COLON
            if pos == 0 or followed_by_colon or label in inline or _space_before(raw, text, pos):
                found = (pos, end, label)
                break
        if found:
            spans.append(found)
            pos = found[1]
        else:
            pos += 1
    return spans


def _space_before(raw: str, compact: str, pos: int) -> bool:
    """Whether the raw line had whitespace before the character at ``compact[pos]``."""
    seen = 0
    for i, ch in enumerate(raw):
        if ch.isspace():
            continue
        if seen == pos:
            return i > 0 and raw[i - 1].isspace()
        seen += 1
    return False


_ROLE = re.compile(r"^[（(][^）)]{1,6}[）)][：:]?")


def _clean_value(text: str) -> str:
    """The value part after a label: leading colons and a role note like ``（甲方）：`` removed."""
    text = text.strip().lstrip(_COLON).strip()
    return _ROLE.sub("", text).strip()


def merge_split_labels(lines: list[Line], labels: Sequence[str]) -> list[Line]:
    """Join cells of a row that together spell a label (``名　　称`` is often read as two boxes)."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = nz.to_simplified(nz.strip_all_space(line.text))
        if i == 0 and len(text) == 1 and len(lines) >= 2:
            owners = [x for x in labels if len(x) == 2 and text in x]
            nxt_text = nz.strip_all_space(lines[1].text)
            if len(owners) == 1 and not (len(nxt_text) <= 2 and nxt_text in owners[0]) \
                    and not any(nxt_text.startswith(x) for x in labels):
                # "类　　型" with one character lost by the detector: the other one names the label
                out.append(Line(owners[0], line.box, line.score))
                i += 1
                continue
        if len(text) <= 2 and i + 1 < len(lines):
            nxt = lines[i + 1]
            joined = text + nz.strip_all_space(nxt.text)
            spaced = [x for x in labels if len(x) == 2 and x[0] == text]
            if i == 0 and len(text) == 1 and len(spaced) == 1 and len(nz.strip_all_space(nxt.text)) <= 2 \
                    and i + 2 < len(lines):
                joined = spaced[0]  # "编　　号": the second character misread on its own
            if any(joined.startswith(label) and len(label) > len(text) for label in labels):
                x0, y0, _, _ = box_bounds(line.box)
                _, _, x1, y1 = box_bounds(nxt.box)
                out.append(Line(joined, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), min(line.score, nxt.score)))
                i += 2
                continue
        out.append(line)
        i += 1
    return out


def find_labelled(pages: Sequence[Page], doctype: DocType) -> dict[str, _Hit]:
    """First hit of every field of ``doctype`` that is found by its label."""
    label_to_key = {label: spec.key for spec in doctype.fields for label in spec.labels}
    specs = {spec.key: spec for spec in doctype.fields}
    all_labels = list(label_to_key)
    inline = frozenset(label for spec in doctype.fields if spec.inline for label in spec.labels)
    hits: dict[str, _Hit] = {}
    for page in pages:
        rows = group_rows(page.lines, page.skew)
        for row in rows:
            row.lines = merge_split_labels(row.lines, all_labels)
        for r, row in enumerate(rows):
            for c, line in enumerate(row.lines):
                text = nz.strip_all_space(line.text)
                simple = nz.to_simplified(text)  # labels are matched in simplified characters
                spans = _label_spans(simple if len(simple) == len(text) else text, nz.fold(line.text),
                                     all_labels, inline)
                for s, (start, end, label) in enumerate(spans):
                    key = label_to_key[label]
                    if key in hits:
                        continue
                    stop = spans[s + 1][0] if s + 1 < len(spans) else len(text)
                    value = _clean_value(text[end:stop])
                    if value:
                        vstart = end + len(text[end:stop]) - len(text[end:stop].lstrip(_COLON + " "))
                        hit = _Hit(key, value, line.score, page.index, _sub_box(line, vstart, stop, len(text)))
                    elif s + 1 < len(spans):
                        continue  # label followed directly by another label: no value here
                    else:
                        hit = _next_value(rows, r, c, key, page.index, all_labels)
                        if hit is None:
                            continue
                    spec = specs[key]
                    if spec.type in ("date", "date_range"):
                        hit.row_rest = _clean_value(text[end:stop]) + joined_cells(row.lines, c + 1, all_labels)
                    if spec.multiline:
                        _extend_multiline(hit, rows, r, line, spec, all_labels)
                    elif spec.kind in ("name", "address"):
                        _extend_multiline(hit, rows, r, line, spec, all_labels, aligned=True)
                    hits[key] = hit
    return hits


def _is_label(text: str, labels: Sequence[str]) -> bool:
    compact = nz.to_simplified(nz.strip_all_space(text))
    return any(_match_at(compact, 0, label) >= 0 for label in labels)


def _next_value(rows: list[Row], r: int, c: int, key: str, page: int, labels: Sequence[str]) -> _Hit | None:
    row = rows[r]
    if c + 1 < len(row.lines) and not _is_label(row.lines[c + 1].text, labels):
        nxt = row.lines[c + 1]
        return _Hit(key, _clean_value(nz.compact(nxt.text)), nxt.score, page, nxt.box)
    if r + 1 < len(rows):
        label_line = row.lines[c]
        lx0, _, lx1, _ = box_bounds(label_line.box)
        for cand in rows[r + 1].lines:
            cx0, _, cx1, _ = box_bounds(cand.box)
            if cx1 >= lx0 and cx0 <= lx1 + (lx1 - lx0) and not _is_label(cand.text, labels):
                return _Hit(key, _clean_value(nz.compact(cand.text)), cand.score, page, cand.box)
    return None


def _extend_multiline(hit: _Hit, rows: list[Row], r: int, line: Line, spec: FieldSpec, labels: Sequence[str],
                      *, aligned: bool = False) -> None:
    """Add the following lines of the value's column (a value wrapped in its cell).

    ``aligned``: only lines starting where the value starts (names and addresses, which are not
    declared multi-line but wrap in narrow table cells).
    """
    if hit.box is None:
        return
    vx0, _, _, vy1 = box_bounds(hit.box)
    height = max(1.0, rows[r].height)
    taken = 1
    for row in rows[r + 1 :]:
        if taken >= spec.max_lines or not row.lines:
            break
        first = row.lines[0]
        fx0, fy0, _, fy1 = box_bounds(first.box)
        if fy0 - vy1 > 0.9 * height or _is_label(first.text, labels):
            break
        cands = [ln for ln in row.lines if box_bounds(ln.box)[0] >= vx0 - 1.5 * height]
        if aligned:
            cands = [ln for ln in cands if abs(box_bounds(ln.box)[0] - vx0) <= 1.0 * height]
        if not cands or _is_label(cands[0].text, labels):
            break
        if aligned and fy0 - vy1 > 0.6 * height:
            break
        cont_height = box_bounds(cands[0].box)[3] - box_bounds(cands[0].box)[1]
        if not 0.6 * height <= cont_height <= 1.6 * height:
            break  # a watermark or a heading, not the value's next line
        cont = cands[0]
        hit.raw += _clean_value(nz.compact(cont.text))
        hit.score = min(hit.score, cont.score)
        bx0, by0, bx1, by1 = box_bounds(hit.box)
        cx0, cy0, cx1, cy1 = box_bounds(cont.box)
        hit.box = ((min(bx0, cx0), by0), (max(bx1, cx1), by0), (max(bx1, cx1), cy1), (min(bx0, cx0), cy1))
        vy1 = cy1
        taken += 1


def _pattern_hit(pages: Sequence[Page], spec: FieldSpec) -> _Hit | None:
    assert spec.pattern is not None
    for page in pages:
        for line in page.lines:
            compact = nz.strip_all_space(line.text).upper()
            match = spec.pattern.search(compact)
            if match:
                box = _sub_box(line, match.start(), match.end(), len(compact))
                return _Hit(spec.key, match.group(0), line.score, page.index, box)
    return None


def _normalise(spec: FieldSpec, raw: str) -> tuple[object, bool | None, list[str]]:
    """(value, valid, flags) for a raw value: parsed by its type, then checked against its kind."""
    value, valid, flags = _parse(spec, raw)
    if spec.key == "注册号" and isinstance(value, str):
        valid = check_registration_number(value)
        if not valid:
            flags.append("check_mismatch")
    elif isinstance(value, str) and spec.kind in ("name", "authority", "address") and not looks_like(spec.kind, value):
        return None, None, [f"invalid_{spec.kind}"]
    if value is None and spec.type in ("date", "date_range") and (fixed := repair_month_day(raw)):
        again, _, _ = _parse(spec, fixed)
        if again is not None:
            return again, None, ["repaired_digit"]
    return value, valid, flags


def _parse(spec: FieldSpec, raw: str) -> tuple[object, bool | None, list[str]]:
    kind = spec.type
    if kind == "name":
        value = nz.normalise_name(raw)
        return (value or None), None, ([] if value else ["unparsed"])
    if kind in ("uscc", "id_card"):
        check = check_as_read(kind, raw)  # type: ignore[arg-type]
        return check.value, check.valid, ([] if check.valid else [check.reason or "invalid"])
    parser = {
        "scope": nz.normalise_scope,
        "date": nz.parse_date,
        "date_range": nz.parse_date_range,
        "money": nz.parse_money,
        "sex": nz.normalise_sex,
        "integer": lambda t: int(m.group(0)) if (m := re.search(r"\d+", nz.fold(t))) else None,
        "code": nz.normalise_doc_number,
    }.get(kind)
    if parser is None:
        value = nz.compact(raw)
        if value.count("（") == value.count("）") + 1 and not value.endswith("）") and "（" in value[-16:]:
            return value + "）", None, ["completed_bracket"]  # 有限责任公司（自然人独资 lost its ）
        return (value or None), None, ([] if value else ["unparsed"])
    parsed = parser(raw)
    return parsed, None, ([] if parsed is not None else ["unparsed"])


def extract_fields(pages: Sequence[Page], doctype: DocType) -> dict[str, Field]:
    """Fields of ``doctype`` found on the pages (a field not found is absent, never invented)."""
    hits = find_labelled(pages, doctype)
    fields: dict[str, Field] = {}
    for spec in doctype.fields:
        hit = hits.get(spec.key)
        if hit is not None:
            stops = [x for x in (*doctype.labels, *doctype.stop_labels, *COMMON_STOP_LABELS)
                     if x not in spec.labels and not any(x in own for own in spec.labels)]
            raw = strip_leading_label(hit.raw, doctype.labels)
            for label in spec.labels:
                raw = strip_label_tail(raw, label)
            hit.raw = cut_at_stop(raw, stops) or raw
        if spec.pattern is not None:
            if hit is not None:
                compact = nz.strip_all_space(hit.raw).upper()
                match = spec.pattern.search(compact)
                if match:
                    hit.raw = match.group(0)
            else:
                hit = _pattern_hit(pages, spec)
        if hit is not None and hit.row_rest and _parse(spec, hit.raw)[0] is None and _parse(spec, hit.row_rest)[0] is not None:
            hit.raw = hit.row_rest  # 1987 | 年 | 12 | 月 | 13 | 日 in separate boxes
        if spec.prose and (hit is None or _normalise(spec, hit.raw)[0] is None):
            found = prose_value(pages, spec)
            if found is not None and _normalise(spec, found[0])[0] is not None:
                hit = _Hit(spec.key, found[0], found[2], found[1], None)
        if hit is None:
            continue
        value, valid, flags = _normalise(spec, hit.raw)
        if valid is False and (other := valid_alternative(pages, hit.page, hit.box, spec)):
            hit.raw = other
            value, valid, flags = _normalise(spec, other)
        if spec.key == "注册号" and not valid and spec.key not in hits:
            continue  # fifteen digits found without their label and failing the check: not it
        confidence = hit.score
        if valid is False or "unparsed" in flags:
            confidence *= 0.5
        if hit.score < LOW_CONFIDENCE:
            flags.append("low_confidence")
        fields[spec.key] = Field(value, hit.raw, confidence, hit.page, hit.box, valid, flags)
    cross_check_id(fields)
    return fields


def cross_check_id(fields: dict[str, Field]) -> None:
    """An ID number must agree with the printed 出生 and 性别: disagreement makes it not valid."""
    id_field = fields.get("公民身份号码") or fields.get("身份证号")
    if id_field is None or not isinstance(id_field.value, str):
        return
    check = check_id_card(id_field.value)
    born, sex = fields.get("出生"), fields.get("性别")
    problems = []
    if born is not None and born.value and check.birth_date and born.value != check.birth_date.isoformat():
        problems.append("birth_date_mismatch")
    expected_sex = {"male": "男", "female": "女"}.get(check.sex or "")
    if sex is not None and sex.value and expected_sex and sex.value != expected_sex:
        problems.append("sex_mismatch")
    if problems:
        id_field.valid = False
        id_field.confidence *= 0.5
        id_field.flags.extend(problems)
