"""OCR intake: bytes of a scan in -> pages, text lines, document type, validated fields.

A pure library: it reads no settings and touches no database. Engines are plugins
(``ocr.engines``); document types and their fields are data (``templates/doctypes/*.yaml``).
"""

from __future__ import annotations

from ocr.errors import (
    CorruptInputError,
    EmptyInputError,
    EncryptedPdfError,
    EngineFailedError,
    EngineUnavailableError,
    ImageTooLargeError,
    OcrError,
    TemplateError,
    TooManyPagesError,
    UnsupportedInputError,
)
from ocr.engines import Engine, EngineConfig, available_engines, create_engine, register_engine
from ocr.fields import LOW_CONFIDENCE
from ocr.identifiers import (
    IdentifierCheck,
    check_id_card,
    check_org_code,
    check_uscc,
    classify_owner_code,
    mask_id_card,
    normalise_code,
)
from ocr.pages import InputLimits, count_pages, sniff
from ocr.pipeline import OcrConfig, Reader, read_document
from ocr.types import DocumentResult, Field, Line, Page

__all__ = [
    "DocumentResult",
    "Engine",
    "EngineConfig",
    "Field",
    "InputLimits",
    "LOW_CONFIDENCE",
    "Line",
    "OcrConfig",
    "Page",
    "Reader",
    "available_engines",
    "count_pages",
    "create_engine",
    "read_document",
    "register_engine",
    "sniff",
    "CorruptInputError",
    "EmptyInputError",
    "EncryptedPdfError",
    "EngineFailedError",
    "EngineUnavailableError",
    "IdentifierCheck",
    "ImageTooLargeError",
    "OcrError",
    "TemplateError",
    "TooManyPagesError",
    "UnsupportedInputError",
    "check_id_card",
    "check_org_code",
    "check_uscc",
    "classify_owner_code",
    "mask_id_card",
    "normalise_code",
]
