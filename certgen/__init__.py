"""certgen: data + template in, PDF bytes out — licences, notices, labels, seals, PAdES signing.

Signing PDFs (for every feature that issues documents, e.g. notices)::

    from certgen import Signer, sign_pdf, load_key_file, TrustMaterial, verify_pdf

    signer = Signer(load_key_file(Path("seal.p12"), passphrase=None),   # key parsed ONCE per process
                    level="B-T",                                        # B-B | B-T | B-LT | B-LTA
                    tsa_url="http://tsa.example/tsa",                   # or timestamper=InProcessTimeStamper(...)
                    trust=TrustMaterial.from_files((root_pem,), others=(issuing_pem,), crls=crl_paths),
                    seal=seal_image("温州市鹿城区市场监督管理局"))        # PIL image: the visible red seal
    signed: bytes = sign_pdf(pdf_bytes, signer, field_name="Seal",
                             seal_box=(x1, y1, x2, y2), page=0,          # PDF points; None = invisible
                             reason="...", location="...")

``sign_pdf`` is thread-safe for file keys (PKCS#11 signers are serialised), builds the result in
memory and raises ``SigningFailedError`` / ``TimestampUnavailableError`` without returning
anything on failure. ``open_pkcs11_signer(module, token_label, pin, key_label=...)`` gives an HSM
key. ``verify_pdf(data, trust) -> VerificationReport`` checks integrity, trust (revocation data
required), timestamp and modifications after signing. The dev PKI and an RFC 3161 TSA live in
``certgen.pki``; licence rendering in ``certgen.licences``; identifiers in ``certgen.identifiers``.
"""

from certgen.errors import CertgenError
from certgen.fonts import CjkFont, register_cjk_font, use_cjk_font
from certgen.seal import seal_image, seal_png
from certgen.signing import (
    PADES_LEVELS, KeyLoadError, NotAPdfError, SignatureReport, Signer, SigningFailedError, TimestampReport,
    TimestampUnavailableError, TrustMaterial, VerificationReport, load_key_file, open_pkcs11_signer, sign_pdf,
    verify_pdf,
)

__all__ = [
    "PADES_LEVELS", "CertgenError", "CjkFont", "KeyLoadError", "NotAPdfError", "SignatureReport", "Signer",
    "SigningFailedError", "TimestampReport", "TimestampUnavailableError", "TrustMaterial",
    "VerificationReport", "load_key_file", "open_pkcs11_signer", "seal_image", "seal_png", "sign_pdf",
    "register_cjk_font", "use_cjk_font", "verify_pdf",
]
