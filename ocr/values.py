"""What a field's value may look like: its kind, the labels that end it, prose patterns, checks.

Every field of a document type declares a *kind* (``name``, ``code``, ``date``, ``interval``,
``money``, ``address``, ``authority``, ``text``); a value that does not look like its kind is
reported ``None`` with its raw text and the flag ``invalid_<kind>`` — a sentence below the label
is never taken for an authority, a label is never part of a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ocr import normalise as nz

KINDS = frozenset({"name", "code", "date", "interval", "money", "address", "authority", "text"})

#: Labels printed on many documents that end any value before them, whatever the document type.
COMMON_STOP_LABELS = (
    "身份证号码", "身份证号", "公民身份号码", "统一社会信用代码", "联系电话", "电话", "手机", "地址", "住所",
    "住址", "法定代表人", "签字", "签章", "盖章", "日期", "邮编", "传真", "开户行", "账号", "委托代理人",
)
#: Party roles that precede a name in contracts (``甲方：唐秀英``): never part of the value.
ROLE_WORDS = ("甲方", "乙方", "丙方", "出租方", "承租方", "出租人", "承租人", "买方", "卖方")

_LEADING_LABEL = re.compile(r"^([\u4e00-\u9fff（）()]{1,10})[：:](.+)$")
_ADDRESS_HINT = re.compile(r"[省市区县镇乡村路街道巷弄号楼室幢栋园]")
_AUTHORITY_END = re.compile(r"(局|委员会|委|厅|政府|公安局|分局|派出所|管理所|中心|办公室|部)$")
_SENTENCE = re.compile(r"[。，；,;]|年度报告|公示系统|应当|网址|http|www", re.IGNORECASE)
_NAME_BAD = re.compile(r"[：:。，]")


def strip_leading_label(value: str, labels: Iterable[str]) -> str:
    """``甲方：唐秀英`` -> ``唐秀英`` when the part before the colon is a role or a known label."""
    match = _LEADING_LABEL.match(value)
    if not match:
        return value
    head = nz.to_simplified(match.group(1))
    known = set(labels) | set(ROLE_WORDS)
    if head in known or _ROLE_NOTE.fullmatch(head):
        return match.group(2).strip()
    return value


_ROLE_NOTE = re.compile(r"[（(]?(甲方|乙方|丙方)[）)]?")


def strip_label_tail(value: str, label: str) -> str:
    """The last characters of the field's own label read into its value (``称上海…`` for 名称,
    after the detector split ``名　称``) are not part of it."""
    for k in range(min(len(label) - 1, 3), 0, -1):
        tail = label[-k:]
        if value.startswith(tail) and len(value) > k + 1:
            return value[k:].lstrip("：: ")
    return value


def cut_at_stop(value: str, stops: Iterable[str]) -> str:
    """The value up to the first other label printed after it (``唐秀英 身份证号：…``)."""
    cut = len(value)
    for stop in stops:
        if not stop:
            continue
        for match in re.finditer(re.escape(stop), value):
            start, end = match.start(), match.end()
            followed = end < len(value) and value[end] in "：:"
            if start > 0 and (followed or (len(stop) >= 4 and end == len(value))):
                cut = min(cut, start)
                break
    return value[:cut].rstrip(" ，,；;")


def looks_like(kind: str, value: str) -> bool:
    """Whether a normalised text value has the shape of its kind (dates, money: by parsing)."""
    compact = nz.strip_all_space(value)
    if not compact:
        return False
    if kind == "name":
        return 2 <= len(compact) <= 60 and not _NAME_BAD.search(compact) and not _SENTENCE.search(compact)
    if kind == "authority":
        return len(compact) <= 30 and not _SENTENCE.search(compact) and bool(_AUTHORITY_END.search(compact))
    if kind == "address":
        return 4 <= len(compact) <= 120 and bool(_ADDRESS_HINT.search(compact)) and "年度报告" not in compact
    if kind == "code":
        return bool(re.fullmatch(r"[0-9A-Z〔〕\-（）()第号字]+", compact.upper())) or bool(re.search(r"\d{4,}", compact))
    return True


_ZERO_LIKE = str.maketrans({"6": "0", "8": "0", "9": "0", "O": "0", "o": "0", "D": "0"})


def repair_month_day(text: str) -> str | None:
    """A date whose month or day cannot exist because a leading 0 was read as 6/8/9/O
    (``2016年64月25日``): the text with that one digit as 0, or None when nothing applies.

    Only a value that is impossible as read is touched, and the field is flagged.
    """
    folded = nz.fold(text)

    def fix(match: re.Match[str]) -> str:
        number, unit = match.group(1), match.group(2)
        limit = 12 if unit == "月" else 31
        if len(number) == 2 and int(number) > limit:
            fixed = number[0].translate(_ZERO_LIKE) + number[1]
            if fixed.isdigit() and 1 <= int(fixed) <= limit:
                return fixed + unit
        return match.group(0)

    repaired = re.sub(r"([0-9OoD]{2})\s*([月日])", fix, folded)
    return repaired if repaired != folded else None


def check_registration_number(code: str) -> bool:
    """The old 15-digit 注册号 (工商注册号): ISO 7064 MOD 11,10 over its first 14 digits."""
    if not re.fullmatch(r"\d{15}", code):
        return False
    p = 10
    for ch in code[:14]:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return (11 - p) % 10 == int(code[14])
