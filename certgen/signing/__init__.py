"""PAdES signing (B-B/B-T/B-LT/B-LTA, visible seal) with keys loaded once, and strict verification."""

from certgen.errors import (
    EncryptedPdfError, KeyLoadError, NotAPdfError, SigningFailedError, TimestampUnavailableError,
)
from certgen.signing.keys import CachedKeySigner, load_key_file, open_pkcs11_signer
from certgen.signing.signer import PADES_LEVELS, Signer, TrustMaterial, sign_pdf
from certgen.signing.reports import DocTimestampReport, SignatureReport, TimestampReport, VerificationReport
from certgen.signing.verify import verify_pdf

__all__ = [
    "PADES_LEVELS", "CachedKeySigner", "DocTimestampReport", "EncryptedPdfError", "KeyLoadError", "NotAPdfError", "SignatureReport", "Signer",
    "SigningFailedError", "TimestampReport", "TimestampUnavailableError", "TrustMaterial",
    "VerificationReport", "load_key_file", "open_pkcs11_signer", "sign_pdf", "verify_pdf",
]
