"""The house is described where a newcomer looks: README links docs/architecture.md, which names every package."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_links_the_architecture_page_and_it_names_every_package() -> None:
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for package in ("api/", "intake/", "ocr/", "certgen/", "archive/", "standards/"):
        assert package in page, package
    for topic in ("upload flows", "Matter", "Document type", "OCR engine", "Template", "Route"):
        assert topic in page, topic
