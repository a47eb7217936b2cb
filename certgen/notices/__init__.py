"""Notices to applicants: 一次性告知书（补正材料通知书） and 容缺受理通知书, as PDF."""

from certgen.notices.model import TITLES, NoticeData, NoticeDataError, NoticeItem, NoticeKind
from certgen.notices.render import UNSIGNED_MARK, SealSpot, render_notice, render_notice_layout

__all__ = [
    "TITLES",
    "UNSIGNED_MARK",
    "NoticeData",
    "NoticeDataError",
    "NoticeItem",
    "NoticeKind",
    "SealSpot",
    "render_notice",
    "render_notice_layout",
]
