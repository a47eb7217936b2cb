"""The public verification pages (HTML, Chinese first): the upload form, a result, an error page.

Pure rendering; every value is escaped. The routes live in ``api/routes/verify.py``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["upload_page", "result_page", "error_page"]

_STYLE = """body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
th{text-align:left;padding-right:1rem;vertical-align:top}td{word-break:break-all}
.status{font-size:1.5rem}.ok{color:#1a7f37}.bad{color:#b42318}form{margin:1.5rem 0}"""

_FORM = """<form method="post" action="/verify" enctype="multipart/form-data">
<p><label>上传证照PDF文件核验签名与文件完整性 / Upload the licence PDF:
<input type="file" name="file" accept="application/pdf" required></label></p>
<p><button type="submit">核验 Verify</button></p></form>"""


def _page(title: str, body: str) -> str:
    e = html.escape
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{e(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>电子证照核验 Licence verification</h1>
{body}</body></html>"""


def upload_page() -> str:
    return _page("电子证照核验", "<p>请上传电子证照PDF文件，或扫描证照上的二维码。</p>" + _FORM)


def result_page(title: str, status: str, status_zh: str, rows: Sequence[tuple[str, str]], extra: str = "") -> str:
    """A verdict and its facts; ``extra`` is trusted HTML made by the caller (already escaped)."""
    e = html.escape
    good = "ok" if status == "valid" else "bad"
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    body = (f'<p class="status {good}" data-status="{e(status)}">{e(status_zh)} · {e(status)}</p>'
            f"{extra}<table>{table}</table>{_FORM}")
    return _page(title, body)


def error_page(message_zh: str, message_en: str, code: str) -> str:
    e = html.escape
    body = (f'<p class="status bad" data-code="{e(code)}">{e(message_zh)}</p><p>{e(message_en)}</p>'
            '<p>请核对证照上的证照标识或二维码，或上传证照PDF文件核验。</p>' + _FORM)
    return _page("核验失败", body)
