"""An issued licence is an archival PDF (PDF/A-3 style) and its signature stays valid.

Checked with tools other than the code that wrote it: pikepdf/qpdf read the XMP and the
OutputIntent, LittleCMS (Pillow) loads the ICC profile, poppler's pdfsig and pyHanko's strict
validation check the signature, openssl the CMS.
"""

from __future__ import annotations

import io
import subprocess

import pikepdf
from PIL import ImageCms

NS = "{http://onceonly.invalid/ns/gbt36903/1.0/}"


def test_an_issued_licence_carries_pdfa3_metadata_and_stays_signed(app_client, approver, issue, root_pem, tmp_path,
                                                                   checks) -> None:  # type: ignore[no-untyped-def]
    body = issue("food_business")
    pdf = app_client.get(f"/api/v1/licences/{body['identifier']}/content", headers=approver).content
    assert pdf.startswith(b"%PDF-1.7\n")  # /AF and /AFRelationship are PDF 1.7 (PDF/A-3) features
    path = tmp_path / "licence.pdf"
    path.write_bytes(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.pdf_version == "1.7" and "/AF" in doc.Root
        meta = doc.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
        assert meta[f"{NS}Identifier"] == body["identifier"]
        assert meta[f"{NS}Number"] == body["number"]
        assert meta[f"{NS}Holder"] == body["holder"]["name"]
        assert meta[f"{NS}HolderCode"] == body["holder"]["code"]
        assert meta[f"{NS}Issuer"] == body["authority"]["name"]
        assert meta[f"{NS}ValidFrom"] == body["valid_from"]
        assert meta[f"{NS}IssueDate"] == body["issue_date"]
        assert meta[f"{NS}ValidUntil"] == (body["valid_until"] or "")
        assert "GB/T 36903" in doc.Root.Metadata.read_bytes().decode("utf-8")  # extension schema declared
        [intent] = doc.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
        icc = intent.DestOutputProfile.read_bytes()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    assert "sRGB" in ImageCms.getProfileDescription(profile)
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in pdfsig and "Total document signed" in pdfsig
    assert checks.openssl_verify(pdf, root_pem, tmp_path).returncode == 0
    verdict = app_client.post("/api/v1/verify", content=pdf, headers={"content-type": "application/pdf"}).json()
    assert verdict["verdict"] == "valid" and verdict["report"]["ok"]  # pyHanko, strict (revocation data required)
