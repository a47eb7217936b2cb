"""Normalisation of field values: ISO dates and intervals, yuan amounts, codes, names.

Every parser returns ``None`` when the text does not parse: a value is never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}（）：])\s+|\s+(?=[{_CJK}（）：])")

_DIGIT = {"零": 0, "〇": 0, "○": 0, "O": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3,
          "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
          "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


def fold(text: str) -> str:
    """NFKC (full-width -> half-width) except that Chinese punctuation used in labels is kept."""
    text = unicodedata.normalize("NFKC", text or "")
    return text.replace(":", "：").replace("(", "（").replace(")", "）")


def compact(text: str) -> str:
    """Folded text with whitespace next to Chinese characters removed and other runs collapsed."""
    text = _SPACE_BETWEEN_CJK.sub("", fold(text))
    return re.sub(r"\s+", " ", text).strip()


def strip_all_space(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters -> simplified (OpenCC t2s)."""
    return str(_t2s().convert(text))


def normalise_name(text: str) -> str:
    """A person's or organisation's name: simplified characters, no spaces, trailing punctuation off."""
    return to_simplified(strip_all_space(text)).strip("：:，,。.;；")


def chinese_number(text: str) -> float | None:
    """Parse Chinese numerals (``壹佰贰拾万``, ``一百二十``, ``二〇二三``); None if not a number."""
    text = text.strip()
    if not text or any(ch not in _DIGIT and ch not in _UNIT and ch not in _BIG for ch in text):
        return None
    if all(ch in _DIGIT for ch in text):  # digit-by-digit, like years: 二〇二三
        return float(int("".join(str(_DIGIT[ch]) for ch in text)))
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in _DIGIT:
            number = _DIGIT[ch]
        elif ch in _UNIT:
            section += (number or 1) * _UNIT[ch]
            number = 0
        else:
            section += number
            total += (section or 1) * _BIG[ch]
            section, number = 0, 0
    return float(total + section + number)


def _small_chinese_int(text: str) -> int | None:
    value = chinese_number(text)
    return int(value) if value is not None else None


_DATE_NUMERIC = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_DATE_CHINESE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2015年3月12日``, ``2015.03.12``, ``二〇一五年三月十二日``)."""
    folded = fold(text)
    for pattern, conv in ((_DATE_NUMERIC, int), (_DATE_CHINESE, _small_chinese_int), (_DATE_COMPACT, int)):
        match = pattern.search(folded)
        if match:
            try:
                parts = [conv(g) for g in match.groups()]
                if None in parts:
                    continue
                return dt.date(*parts).isoformat()  # type: ignore[arg-type]
            except ValueError:
                continue
    return None


_OPEN_END = ("长期", "長期", "永久", "无固定期限", "不约定期限")


def parse_date_range(text: str) -> str | None:
    """A validity period as an ISO 8601 interval: ``2015-03-12/2035-03-11``; open end -> ``/..``."""
    folded = fold(text)
    match = re.search(r"至|到|~|～", folded)
    if match:
        first, second = folded[: match.start()], folded[match.end() :]
    else:
        dates = list(_DATE_NUMERIC.finditer(folded))
        if not dates:
            return None
        first, second = folded[: dates[0].end()], folded[dates[0].end() :]
    start = parse_date(first)
    if start is None:
        return None
    if any(word in second for word in _OPEN_END):
        return f"{start}/.."
    end = parse_date(second)
    return f"{start}/{end}" if end else None


_MONEY_UNITS = {"元": 1, "万元": 10_000, "万": 10_000, "亿元": 100_000_000, "亿": 100_000_000}
_MONEY_ARABIC = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|万|亿|元)?")
_MONEY_CHINESE = re.compile(r"([零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两]+)\s*(元|圆)")


def parse_money(text: str) -> float | None:
    """An amount in yuan as a number: ``100万元`` -> 1000000.0, ``人民币伍拾万元整`` -> 500000.0."""
    folded = fold(text).replace("￥", "").replace("¥", "")
    match = _MONEY_ARABIC.search(folded)
    if match:
        number = float(match.group(1).replace(",", ""))
        return round(number * _MONEY_UNITS.get(match.group(2) or "元", 1), 2)
    match = _MONEY_CHINESE.search(folded)
    if match:
        value = chinese_number(match.group(1))
        return round(value, 2) if value is not None else None
    return None


# Characters outside the USCC charset that OCR confuses with characters inside it. Only these
# are mapped (a substitution *into* an impossible character is unambiguous); a code is never
# "repaired" to make its check character pass.
_USCC_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "Z": "2", "S": "5", "V": "U"})
_ID_CONFUSIONS = str.maketrans({"O": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
                                "B": "8", "G": "6", "×": "X", "x": "X"})


def normalise_uscc(text: str) -> str:
    code = re.sub(r"[^0-9A-Za-z]", "", fold(text)).upper()
    return code.translate(_USCC_CONFUSIONS)


def normalise_id_number(text: str) -> str:
    raw = re.sub(r"[^0-9A-Za-z×]", "", fold(text))
    code = raw.translate(_ID_CONFUSIONS).upper()
    if len(code) == 18 and not code[:17].isdigit():
        return code  # left as read: the check will fail, never guessed
    return code


def normalise_sex(text: str) -> str | None:
    t = strip_all_space(text)
    if t.startswith("男"):
        return "男"
    if t.startswith("女"):
        return "女"
    return None


def normalise_scope(text: str) -> str | None:
    """A list of business items (经营范围): compact, items separated by ``;`` whichever of
    ``；，：`` was printed or read (OCR confuses them on noisy scans)."""
    value = re.sub(r"[;；:：,，]", ";", compact(text)).rstrip("。.")
    return value or None


_OPENING = str.maketrans({c: "〔" for c in "［[【（(〈"})
_CLOSING = str.maketrans({c: "〕" for c in "］]】）)〉"})


def normalise_doc_number(text: str) -> str | None:
    """A document or licence number: no spaces, upper case, and the year brackets of 文号
    (``〔2021〕``, typed or read as ``[2021]``, ``（2021）``, ``〔2021）``) written one way."""
    value = re.sub(r"\s+", "", fold(text)).upper().translate(_OPENING).translate(_CLOSING)
    return value or None
