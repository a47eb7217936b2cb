"""Configuration the agency controls: PAdES level (B-LTA with embedded revocation data) and its own seal image."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from archive import Actor


def _service(tmp_path: Path, sqlite_url: str, **settings):  # type: ignore[no-untyped-def]
    from api.container import build_container
    from api.settings import Settings

    return build_container(Settings(data_dir=tmp_path / "d", database_url=sqlite_url,
                                    public_base_url="http://testserver", **settings))


def test_b_lta_licences_carry_their_own_validation_data(tmp_path, sqlite_url, checks) -> None:  # type: ignore[no-untyped-def]
    from certgen import TrustMaterial, verify_pdf
    from intake.licences import check_licence_pdf

    container = _service(tmp_path, sqlite_url, licence_pades_level="B-LTA")
    try:
        service = container.licences
        actor = Actor("approver-1", "approver")
        lic = service.issue("medical_device_filing", service.example("medical_device_filing"), actor=actor)
        pdf = service.content(lic.identifier, actor=actor)
        check = check_licence_pdf(service, pdf)
        assert check.verdict == "valid" and check.report.signatures[0].pades_level == "B-LTA"
        pki = service.config.pki_dir
        # the CRLs travel inside the file: a verifier with only the root still finds revocation data
        only_root = TrustMaterial.from_files((pki / "root.pem",))
        assert verify_pdf(pdf, only_root).ok
        assert checks.openssl_verify(pdf, pki / "root.pem", tmp_path).returncode == 0
    finally:
        container.close()


def test_a_configured_seal_image_is_used(tmp_path, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    from certgen.licences import seal_box

    seals = tmp_path / "seals"
    seals.mkdir()
    Image.new("RGBA", (200, 200), (20, 60, 220, 255)).save(seals / "11330302MB01234564.png")
    container = _service(tmp_path, sqlite_url, licence_seal_dir=seals)
    try:
        service = container.licences
        actor = Actor("approver-1", "approver")
        lic = service.issue("food_business", service.example("food_business"), actor=actor)
        path = tmp_path / "l.pdf"
        path.write_bytes(service.content(lic.identifier, actor=actor))
    finally:
        container.close()
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    x1, y1, x2, y2 = seal_box(service.templates.get("food_business"))
    centre = page.getpixel((int((x1 + x2) / 2), int(page.height - (y1 + y2) / 2)))
    assert centre[2] > 180 and centre[0] < 60  # the configured blue image, not the drawn red seal
