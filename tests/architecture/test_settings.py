"""Settings are honest: each has one default, each is in the README, and the font one is obeyed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from api.container import build_container, build_ocr_config, delivery_config, handover_config
from api.settings import Settings
from intake import DeliveryConfig, HandoverConfig
from ocr import OcrConfig

ROOT = Path(__file__).resolve().parents[2]
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `ONCEONLY_")]
    missing = [name for name in Settings.model_fields if f"`ONCEONLY_{name.upper()}`" not in "\n".join(rows)]
    assert not missing, f"settings not documented in the README table: {missing}"


def test_the_domain_defaults_are_the_settings_defaults(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert delivery_config(settings) == DeliveryConfig()
    assert handover_config(settings) == HandoverConfig()
    assert build_ocr_config(settings) == OcrConfig()


@pytest.mark.skipif(not UMING.is_file(), reason="fonts-arphic-uming is not installed")
def test_the_cjk_font_comes_from_the_settings(tmp_path: Path) -> None:
    from certgen import use_cjk_font
    from certgen.labels import EXAMPLE, LabelData, render_label_pdf

    container = build_container(Settings(data_dir=tmp_path, cjk_font=UMING, ocr_on_upload=False))
    try:
        pdf = tmp_path / "label.pdf"
        pdf.write_bytes(render_label_pdf(LabelData.from_dict(EXAMPLE)))
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all("UMing" in row and "yes" in row.split() for row in rows), fonts  # embedded
    finally:
        container.close()
        use_cjk_font(None)
