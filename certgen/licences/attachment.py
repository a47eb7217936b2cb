"""The machine-readable licence data, embedded as a JSON file (``AFRelationship /Data``) before signing.

``licence_json(content)`` builds the document (all fields + GB/T 36903 metadata); ``attach_json``
embeds it with pikepdf (also listed in the catalog's ``/AF`` array, as PDF/A-3 expects);
``read_json`` reads it back from any PDF, signed or not, without modifying it.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pikepdf

from certgen.licences.model import LicenceContent
from certgen.errors import NotAPdfError

ATTACHMENT_NAME = "licence.json"
SCHEMA = "onceonly/licence/v1"


def licence_json(content: LicenceContent) -> dict[str, Any]:
    """All fields of the licence plus GB/T 36903 metadata (Chinese keys as platforms use them)."""
    template = content.template
    holder_kind = "111" if template.holder_code_kind == "id_card" else "001"
    return {
        "schema": SCHEMA,
        "template": template.id,
        "metadata": {
            "证照标识": content.identifier,
            "证照名称": template.name,
            "证照类型代码": template.type_code,
            "证照编号": content.number,
            "颁发机构": content.authority_name,
            "颁发机构代码": content.authority_code,
            "颁发日期": content.issue_date.isoformat(),
            "持证主体": content.values.get("holder_name", ""),
            "持证主体代码": content.values.get("holder_code", ""),
            "持证主体代码类型": holder_kind,
            "有效期起始": content.valid_from.isoformat(),
            "有效期截止": content.valid_until.isoformat() if content.valid_until else None,
            "关联证照标识": list(content.related),
            "管辖属地编码": content.region_code,
        },
        "fields": dict(content.values),
        "permits": [
            {"kind": p.kind, "label": p.label, "number": p.number, "scope": p.scope,
             "valid_until": p.valid_until.isoformat() if p.valid_until else None}
            for p in content.permits
        ],
        "verify_url": content.verify_url,
    }


def attach_json(pdf: bytes, data: dict[str, Any], *, name: str = ATTACHMENT_NAME) -> bytes:
    """Return ``pdf`` with ``data`` embedded as ``name`` (UTF-8 JSON, relationship /Data)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        embed_json(doc, data, name=name)
        out = io.BytesIO()
        doc.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def embed_json(doc: pikepdf.Pdf, data: dict[str, Any], *, name: str = ATTACHMENT_NAME) -> None:
    """Embed ``data`` into the open ``doc`` as ``name`` (what ``attach_json`` does, without open and save)."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    spec = pikepdf.AttachedFileSpec(doc, payload, description="证照结构化数据 licence data (JSON)",
                                    filename=name, mime_type="application/json",
                                    relationship=pikepdf.Name.Data)
    doc.attachments[name] = spec
    if "/AF" not in doc.Root:  # PDF/A-3 associated files (newer pikepdf adds it itself)
        doc.Root.AF = pikepdf.Array([doc.attachments[name].obj])


def read_json(pdf: bytes, *, name: str = ATTACHMENT_NAME) -> dict[str, Any] | None:
    """The embedded licence data, or ``None`` if the PDF carries none."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            if name not in doc.attachments:
                return None
            raw = doc.attachments[name].get_file().read_bytes()
    except pikepdf.PdfError as exc:
        raise NotAPdfError(f"cannot read PDF: {exc}") from exc
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
