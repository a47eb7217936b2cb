"""安全性: what a file could do if opened carelessly, and what it pretends to be.

PDF active content (JavaScript, launch/URI/submit/import actions, embedded files, XFA, rich media)
is *flagged* for the clerk and never executed: the archive only ever parses. Polyglots (a file that
is two formats at once) and a filename extension contradicting the content are *refused*.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from archive.checks.usability import unusable

_EXTENSIONS = {
    "pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg",
    "jfif": "image/jpeg", "png": "image/png", "tif": "image/tiff", "tiff": "image/tiff",
    "heic": "image/heic", "heif": "image/heic", "ofd": "application/ofd",
}
_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/URI": "uri", "/SubmitForm": "submit_form",
            "/ImportData": "import_data", "/GoToR": "remote_goto", "/GoToE": "embedded_goto",
            "/RichMediaExecute": "rich_media"}
_SCAN_OBJECTS = 200_000


OFD = "application/ofd"  # GB/T 33190: a ZIP package by definition


def check_type(data: bytes, media_type: str, filename: str | None) -> dict[str, Any]:
    """Refuse a file whose extension names another type, or which is also a ZIP or carries a PDF."""
    claimed = _claimed_type(filename)
    if claimed is not None and claimed != media_type:
        raise unusable("type_mismatch", f"the file name says {claimed} but the content is {media_type}",
                       "文件扩展名与文件内容类型不一致，请检查后重新上传", claimed=claimed, detected=media_type)
    if media_type != OFD and zipfile.is_zipfile(io.BytesIO(data)):
        raise unusable("polyglot", f"the {media_type} file is also a ZIP archive",
                       "文件同时是压缩包（多格式混合文件），已拒收", detected=media_type)
    if media_type != "application/pdf" and b"%PDF-" in data:
        raise unusable("polyglot", f"the {media_type} file also carries a PDF",
                       "图像文件中夹带 PDF（多格式混合文件），已拒收", detected=media_type)
    return {"claimed_type": claimed, "detected_type": media_type, "polyglot": False}


def _claimed_type(filename: str | None) -> str | None:
    if not filename or "." not in filename:
        return None
    return _EXTENSIONS.get(filename.rsplit(".", 1)[-1].strip().lower())


def scan_pdf(pdf: Any) -> dict[str, Any]:
    """Active content and signatures of an open ``pikepdf.Pdf`` (flags, never refusals), by walking
    every object."""
    import pikepdf

    found: set[str] = set()
    signatures = 0
    root = pdf.Root
    acro = root.get("/AcroForm")
    if isinstance(acro, pikepdf.Dictionary) and "/XFA" in acro:
        found.add("xfa")
    if "/OpenAction" in root:
        found.add("open_action")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.add("javascript")
        if "/EmbeddedFiles" in names:
            found.add("embedded_files")
    budget = [_SCAN_OBJECTS]
    for obj in pdf.objects:
        signatures += _walk(obj, found, budget, 0)
        if budget[0] <= 0:
            found.add("too_many_objects_scanned")
            break
    return {"active_content": sorted(found), "flagged": bool(found), "signatures": signatures}


def _walk(obj: Any, found: set[str], budget: list[int], depth: int) -> int:
    """Inspect ``obj`` and the direct objects nested in it (indirect ones are visited on their own)."""
    import pikepdf

    budget[0] -= 1
    if budget[0] <= 0 or depth > 32:
        return 0
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        signatures = _inspect(obj, found)
        children = [v for _, v in obj.items()]
    elif isinstance(obj, pikepdf.Array):
        signatures, children = 0, list(obj)
    else:
        return 0
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
            signatures += _walk(child, found, budget, depth + 1)
    return signatures


def _inspect(obj: Any, found: set[str]) -> int:
    """Add the flags one dictionary raises; return 1 if it is a signature value."""
    kind = _name(obj.get("/Type"))
    action = _name(obj.get("/S"))
    if action in _ACTIONS:
        found.add(_ACTIONS[action])
    if "/JS" in obj:
        found.add("javascript")
    if "/AA" in obj:
        found.add("additional_actions")
    if kind == "/EmbeddedFile" or ("/EF" in obj and kind in ("/Filespec", None)):
        found.add("embedded_files")
    if kind in ("/RichMedia",) or _name(obj.get("/Subtype")) in ("/RichMedia", "/Movie", "/Sound", "/Screen"):
        found.add("rich_media")
    if "/ByteRange" in obj and "/Contents" in obj and kind in ("/Sig", "/DocTimeStamp", None):
        return 1
    return 0


def _name(value: Any) -> str | None:
    try:
        return str(value) if value is not None else None
    except Exception:  # noqa: BLE001 - a malformed value is simply not a name
        return None
