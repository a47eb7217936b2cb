"""Seal an OFD document (GB/T 33190 §18, GB/T 38540): Signature.xml, SignedValue.dat, Signatures.xml.

``Signature.xml`` lists every file of the package with its SM3 digest (``References``,
``CheckMethod`` = SM3) and the stamp annotation (page and box where the seal shows). The
``SES_Signature`` in ``SignedValue.dat`` signs ``dataHash`` = SM3(Signature.xml). Only
``Signatures.xml`` (the list of signatures, which grows when another seal is added) and the
signature's own two files are outside the references.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from asn1crypto import x509

from certgen.ofd.document import DOC, SIGNATURES_PATH, num, q, sub, xml_bytes
from certgen.ofd.package import write_package
from certgen.ofd.seal import SESeal, sign_seal
from certgen.pki.sm2 import SM2_WITH_SM3_OID, SM3_OID, Sm2PrivateKey, sm3

SIGN_DIR = f"{DOC}/Signs/Sign_0"
SIGNATURE_PATH = f"{SIGN_DIR}/Signature.xml"
SIGNED_VALUE_PATH = f"{SIGN_DIR}/SignedValue.dat"


@dataclass(frozen=True)
class OfdSealer:
    """A long-lived SM2 sealer: the signer's key and certificate, and its electronic seal (made once)."""

    key: Sm2PrivateKey
    cert: x509.Certificate
    seal: SESeal
    provider: str = "OnceOnly"


@dataclass(frozen=True)
class Stamp:
    page_id: str
    x: float  # mm from the top-left corner
    y: float
    size: float


def seal_package(files: dict[str, bytes], sealer: OfdSealer, stamp: Stamp, *,
                 when: datetime | None = None) -> bytes:
    """Return the zipped OFD with one seal over every file in ``files``."""
    when = (when or datetime.now(timezone.utc)).replace(microsecond=0)
    signature_xml = _signature_xml(files, stamp, when, sealer.provider)
    signed = sign_seal(seal=sealer.seal, data_hash=sm3(signature_xml), property_info=f"/{SIGNATURE_PATH}",
                       key=sealer.key, cert=sealer.cert, when=when)
    out = dict(files)
    out[SIGNATURE_PATH] = signature_xml
    out[SIGNED_VALUE_PATH] = signed.dump()
    out[SIGNATURES_PATH] = _signatures_xml()
    return write_package(out)


def _signature_xml(files: dict[str, bytes], stamp: Stamp, when: datetime, provider: str) -> bytes:
    root = ET.Element(q("Signature"))
    info = sub(root, "SignedInfo")
    sub(info, "Provider", ProviderName=provider, Version="1.0", Company=provider)
    sub(info, "SignatureMethod", SM2_WITH_SM3_OID)
    sub(info, "SignatureDateTime", when.strftime("%Y%m%d%H%M%SZ"))
    references = sub(info, "References", CheckMethod=SM3_OID)
    for path in sorted(files):
        reference = sub(references, "Reference", FileRef=f"/{path}")
        sub(reference, "CheckValue", base64.b64encode(sm3(files[path])).decode("ascii"))
    sub(info, "StampAnnot", ID="1", PageRef=stamp.page_id,
        Boundary=f"{num(stamp.x)} {num(stamp.y)} {num(stamp.size)} {num(stamp.size)}")
    sub(root, "SignedValue", f"/{SIGNED_VALUE_PATH}")
    return xml_bytes(root)


def _signatures_xml() -> bytes:
    root = ET.Element(q("Signatures"))
    sub(root, "MaxSignId", "1")
    sub(root, "Signature", ID="1", Type="Seal", BaseLoc=f"/{SIGNATURE_PATH}")
    return xml_bytes(root)
