"""What a form value of each field kind may look like — pure, used when the clerk types a value.

* ``phone``: a mainland mobile (``13100001907``, ``+86 131 0000 1907``) or a landline with its area
  code (``0577-88960000``, ``057788960000``, optional extension ``-123``);
* ``uscc`` / ``id_card``: 18 characters of the right alphabet (GB 32100 / GB 11643) with a real birth
  date for ID numbers. A wrong *check character* is let through and flagged by the checks, since some
  registered codes fail it (DOMAIN.md §1); a value that is not a code at all is refused;
* ``date``: ISO ``YYYY-MM-DD``; ``number``: a decimal number; ``text``: anything.
"""

from __future__ import annotations

import datetime as dt
import re

from ocr import check_id_card, check_uscc, normalise_code

__all__ = ["FieldValueProblem", "field_value_problem"]

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


class FieldValueProblem(str):
    """An English reason; :attr:`zh` holds the Chinese one."""

    zh: str

    def __new__(cls, en: str, zh: str) -> "FieldValueProblem":
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj


def field_value_problem(kind: str, text: str) -> FieldValueProblem | None:
    """Why ``text`` cannot be a value of a field of ``kind`` (None when it can). Empty is always fine."""
    if not text:
        return None
    if kind == "phone":
        compact = re.sub(r"[\s()（）]", "", text)
        if not (_MOBILE.match(compact) or _LANDLINE.match(compact)):
            return FieldValueProblem("must be a mobile number or a landline with area code",
                                     "应为手机号码或带区号的固定电话")
    elif kind in ("uscc", "id_card"):
        result = (check_uscc if kind == "uscc" else check_id_card)(normalise_code(text))
        if not result.valid and result.reason != "check_mismatch":
            what = ("must be an 18-character 统一社会信用代码", "应为18位统一社会信用代码") if kind == "uscc" else \
                ("must be an 18-character 身份证号 with a real birth date", "应为18位居民身份证号码")
            return FieldValueProblem(f"{what[0]} ({result.reason})", what[1])
    elif kind == "date":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return FieldValueProblem("must be a date (YYYY-MM-DD)", "应为日期（年-月-日）")
    elif kind == "number":
        try:
            float(text)
        except ValueError:
            return FieldValueProblem("must be a number", "应为数字")
    return None
