"""Fixtures of the intake tests; the archive, catalog, calendar, clock and case service are shared
ones from tests/conftest.py (real local store + SQLite/PostgreSQL)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import archive
from archive import Actor
from ocr.identifiers import uscc_check_char
from intake.cases import CaseService


CLERK = Actor(name="王窗口", role="clerk", key_id="k-clerk")
APPROVER = Actor(name="李审批", role="approver", key_id="k-approver")

LEGAL_REP_ID = "440524188001010014"  # DOMAIN.md §1 test vector
COMPANY = "91330302MA2AB1C2D" + uscc_check_char("91330302MA2AB1C2D")  # a USCC that passes its check


@dataclass(frozen=True)
class People:
    """Who acts in the stories (test files take this fixture instead of importing conftest)."""

    clerk: Actor = CLERK
    approver: Actor = APPROVER
    company: str = COMPANY
    legal_rep_id: str = LEGAL_REP_ID


@pytest.fixture(scope="session")
def people() -> People:
    return People()


@pytest.fixture
def scan() -> Callable[[str], bytes]:
    """A distinct small PNG per label (so each upload is its own archived document)."""
    import io

    from PIL import Image, ImageDraw

    def make(label: str) -> bytes:
        image = Image.new("L", (300, 420), 255)
        draw = ImageDraw.Draw(image)
        draw.text((20, 20), label, fill=0)
        draw.rectangle((10, 10, 290, 410), outline=0)
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    return make


# -- archiving scans and reading PDFs independently --------------------------------------------------
def _archive_scan(
    the_archive: archive.Archive,
    data: bytes,
    *,
    owner_code: str,
    doc_type: str,
    actor: Actor,
    case_ref: str | None = None,
    ocr_fields: dict[str, str] | None = None,
) -> str:
    """Store a scan as the upload path does and, when given, the OCR fields it would have yielded."""
    result = the_archive.ingest(
        data, owner_code=owner_code, owner_code_type="uscc" if not owner_code[:17].isdigit() else "id_card",
        doc_type=doc_type, actor=actor, filename=f"{doc_type}.png", case_ref=case_ref,
    )
    if ocr_fields is not None:
        the_archive.put_derived(result.record.id, "ocr", {
            "doc_type": doc_type,
            "fields": {
                label: {"value": value, "raw": value, "confidence": 0.97, "page": 1, "box": [0, 0, 10, 10],
                        "valid": None}
                for label, value in ocr_fields.items()
            },
        })
    return result.record.id


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler reads it, with all whitespace removed (table cells wrap)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return "".join(out.split())


def _pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


class Tools:
    archive_scan = staticmethod(_archive_scan)
    pdf_text = staticmethod(_pdf_text)
    pdf_fonts = staticmethod(_pdf_fonts)
    pdf_pages = staticmethod(_pdf_pages)


@pytest.fixture(scope="session")
def tools() -> type[Tools]:
    """``archive_scan`` (store a scan + its OCR result), ``pdf_text``/``pdf_fonts``/``pdf_pages`` (poppler)."""
    return Tools


@pytest.fixture
def hand_in(cases: CaseService, the_archive: archive.Archive, scan, people):  # type: ignore[no-untyped-def]
    """``hand_in(case_id, material_ids)``: the applicant hands in a scan for each material at the window."""

    def give(case_id: str, material_ids: list[str]) -> None:
        case = cases.get(case_id)
        for material_id in material_ids:
            material = case.material(material_id)
            assert material is not None
            doc = _archive_scan(the_archive, scan(f"{case_id}-{material_id}"), owner_code=case.owner_code,
                                doc_type=material.doc_types[0], actor=people.clerk, case_ref=case_id)
            cases.attach_document(case_id, material_id, doc, people.clerk)

    return give


@pytest.fixture
def actions_for(engine, the_archive: archive.Archive):  # type: ignore[no-untyped-def]
    """``actions_for(cases)``: the clerk's and approver's decisions, notices unsigned."""
    from intake.cases import CaseActions
    from intake.notices import NoticeService

    return lambda cases: CaseActions(cases, NoticeService(engine, the_archive))


_TYPED = {"text": "窗口录入", "uscc": COMPANY, "id_card": LEGAL_REP_ID, "phone": "13100001907", "date": "2026-01-05",
          "number": "100"}


@pytest.fixture
def fill_form(cases: CaseService, people):  # type: ignore[no-untyped-def]
    """``fill_form(case_id)``: the clerk types every required field the documents left empty."""
    from intake.cases import FormService

    forms = FormService(cases)

    def fill(case_id: str) -> None:
        empty = {f.name: _TYPED[f.type] for f in forms.form(case_id) if f.required and not f.value and not f.conflict}
        if empty:
            forms.set_values(case_id, empty, people.clerk)

    return fill


def api_fill_form(client, case_id: str, headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The same through the API (``PUT …/form``)."""
    fields = client.get(f"/api/v1/cases/{case_id}/form", headers=headers).json()["fields"]
    empty = {f["name"]: _TYPED[f["type"]] for f in fields if f["required"] and not f["value"] and not f["conflict"]}
    if empty:
        response = client.put(f"/api/v1/cases/{case_id}/form", headers=headers, json={"values": empty})
        assert response.status_code == 200, response.text


@pytest.fixture(scope="session")
def api_form_filler():  # type: ignore[no-untyped-def]
    return api_fill_form
