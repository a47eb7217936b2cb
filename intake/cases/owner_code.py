"""The applicant's code of a case: a 统一社会信用代码 or a 身份证号, checked. Pure."""

from __future__ import annotations

from intake.errors import InvalidInputError
from ocr import check_id_card, check_uscc, classify_owner_code, normalise_code

__all__ = ["check_owner_code"]


def check_owner_code(code: str, code_type: str | None) -> tuple[str, str, str | None]:
    """(canonical code, kind, warning): a wrong check character is a warning, anything else refused."""
    value = normalise_code(code or "")
    # a last character outside the USCC charset is a wrong check character, not a different kind
    kind = code_type or classify_owner_code(value) or ("uscc" if len(value) == 18 else None)
    if kind not in ("uscc", "id_card"):
        raise InvalidInputError(
            f"'{code}' is neither a 统一社会信用代码 nor a 身份证号",
            message_zh="申请人代码应为18位统一社会信用代码或身份证号", owner_code=code,
        )
    check = check_uscc(value) if kind == "uscc" else check_id_card(value)
    if check.valid:
        return check.value, kind, None
    if check.reason == "check_mismatch":
        return check.value, kind, "check_mismatch"
    raise InvalidInputError(
        f"'{code}' is not a valid {kind} ({check.reason})",
        message_zh="申请人代码格式有误", owner_code=code, reason=check.reason,
    )
