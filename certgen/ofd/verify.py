"""Verify a sealed OFD: every referenced SM3 digest, dataHash, both SM2 signatures, the chain to an SM2 root.

The answer is the same typed report PDFs get (``certgen.signing.VerificationReport``), one
``SignatureReport`` per seal: ``intact`` (dataHash = SM3 of Signature.xml), ``valid`` (the SM2
signature over TBS_Sign and the seal maker's over the seal), ``trusted`` (signer and maker chain
to a configured SM2 root, within their validity, and the signer's certificate is one the seal
names), ``modified`` (a referenced file differs, is missing or damaged, or a file no signature
protects was added).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

from asn1crypto import x509

from certgen.ofd.document import q
from certgen.errors import NotAnOfdError
from certgen.ofd.package import Package, normalise, read_package
from certgen.ofd.seal import SEAL_VERSION, SesSignature, tbs_seal_bytes
from certgen.pki.sm2 import SM2_WITH_SM3_OID, SM3_OID, certificate_public_key, issued_by, load_certificate, sm3
from certgen.signing.verify import SignatureReport, VerificationReport

SEAL_LEVEL = "GB/T 38540 v4"


@dataclass(frozen=True)
class Sm2Trust:
    """SM2 root certificates a verifier trusts (parsed once)."""

    roots: tuple[x509.Certificate, ...]

    @classmethod
    def from_files(cls, paths: tuple[Path, ...]) -> "Sm2Trust":
        return cls(tuple(load_certificate(Path(p).read_bytes()) for p in paths if Path(p).exists()))


def _xml(package: Package, path: str) -> ET.Element:
    data = package.files.get(path)
    if data is None:
        raise NotAnOfdError(f"the package has no {path}")
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data:
        raise NotAnOfdError(f"{path}: DTDs and entities are not allowed")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise NotAnOfdError(f"{path}: not well-formed XML: {exc}") from exc


def verify_ofd(data: bytes, trust: Sm2Trust, *, now: datetime | None = None) -> VerificationReport:
    """Check every seal of the OFD in ``data``; raises ``NotAnOfdError`` only if it is no OFD at all."""
    package = read_package(data)
    root = _xml(package, "OFD.xml")
    if root.tag != q("OFD"):
        raise NotAnOfdError("OFD.xml is not in the OFD namespace http://www.ofdspec.org/2016")
    signature_paths: list[str] = []
    list_paths: set[str] = set()
    for body in root.findall(q("DocBody")):
        location = body.findtext(q("Signatures"))
        path = normalise(location.strip()) if location else None
        if path is None or path not in package.files:
            continue
        list_paths.add(path)
        for entry in _xml(package, path).findall(q("Signature")):
            target = normalise(entry.get("BaseLoc", ""), posixpath.dirname(path))
            if target is not None:
                signature_paths.append(target)
    own = set(list_paths)
    for path in signature_paths:
        own.add(path)
        own.add(_signed_value_path(package, path) or "")
    reports = tuple(_check(package, path, trust, own, now or datetime.now(timezone.utc)) for path in signature_paths)
    return VerificationReport(hashlib.sha256(data).hexdigest(), len(data), reports)


def _signed_value_path(package: Package, signature_path: str) -> str | None:
    try:
        text = _xml(package, signature_path).findtext(q("SignedValue")) or ""
    except NotAnOfdError:
        return None
    return normalise(text.strip(), posixpath.dirname(signature_path))


def _failed(path: str, problem: str) -> SignatureReport:
    return SignatureReport(path, "", "", False, False, False, False, "UNCLEAR", "UNKNOWN", True, None, None,
                           SEAL_LEVEL, (problem,))


def _check(package: Package, path: str, trust: Sm2Trust, own: set[str], now: datetime) -> SignatureReport:
    problems: list[str] = []
    if path in package.damaged or path not in package.files:
        return _failed(path, "Signature.xml missing or damaged")
    try:
        signature_xml = _xml(package, path)
    except NotAnOfdError as exc:
        return _failed(path, str(exc))
    value_path = _signed_value_path(package, path)
    raw = package.files.get(value_path or "")
    if not raw or value_path in package.damaged:
        return _failed(path, "SignedValue.dat missing or damaged")
    try:
        signature = SesSignature.load(raw)
        signature.native  # parse every field now: a malformed structure is a report, not a crash
        tbs = signature["toSign"]
        seal = tbs["eseal"]
        signer_der = signature["cert"].native
        signer_cert = x509.Certificate.load(signer_der)
        signer_key = certificate_public_key(signer_cert)
        maker_cert = x509.Certificate.load(seal["cert"].native)
        maker_key = certificate_public_key(maker_cert)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        return _failed(path, f"SignedValue.dat is not a GB/T 38540 SES_Signature: {exc}")
    signing_time = tbs["timeInfo"].native
    intact = tbs["dataHash"].native == sm3(package.files[path])
    if not intact:
        problems.append("dataHash is not the SM3 digest of Signature.xml")
    if tbs["version"].native != SEAL_VERSION or seal["eSealInfo"]["header"]["version"].native != SEAL_VERSION:
        problems.append("not a version 4 seal")
    algorithms_ok = signature["signatureAlgID"].dotted == SM2_WITH_SM3_OID and seal["signAlgID"].dotted == SM2_WITH_SM3_OID
    signed_ok = algorithms_ok and signer_key.verify(tbs.dump(), signature["signature"].native)
    seal_ok = algorithms_ok and maker_key.verify(tbs_seal_bytes(seal), seal["signedValue"].native)
    if not signed_ok:
        problems.append("SM2 signature over TBS_Sign invalid")
    if not seal_ok:
        problems.append("the seal maker's SM2 signature over the seal invalid")
    trusted = _chains(signer_cert, trust, signing_time) and _chains(maker_cert, trust, signing_time)
    if not trusted:
        problems.append("certificate not issued by a trusted SM2 root or not valid at signing time")
    prop = seal["eSealInfo"]["property"]
    if signer_der not in [c.native for c in prop["certList"]]:
        trusted = False
        problems.append("the signer's certificate is not one the seal names")
    if not prop["validStart"].native <= signing_time <= prop["validEnd"].native:
        trusted = False
        problems.append("the seal was not valid at signing time")
    modified_files = _modified(package, signature_xml, path, own, problems)
    return SignatureReport(
        field_name=posixpath.dirname(path).rsplit("/", 1)[-1], signer=signer_cert.subject.human_friendly,
        signer_cert_sha256=hashlib.sha256(signer_der).hexdigest(), intact=intact, valid=signed_ok and seal_ok,
        trusted=trusted, revoked=False, coverage="ENTIRE_FILE" if not modified_files else "PARTIAL",
        modification="NONE" if not modified_files else "OTHER", modified=bool(modified_files),
        signing_time=signing_time, timestamp=None, pades_level=SEAL_LEVEL, problems=tuple(problems),
    )


def _chains(cert: x509.Certificate, trust: Sm2Trust, at: datetime) -> bool:
    validity = cert["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= at <= validity["not_after"].native:
        return False
    for root in trust.roots:
        if cert.dump() == root.dump():
            return True
        if issued_by(cert, root):
            return True
    return False


def _modified(package: Package, signature_xml: ET.Element, path: str, own: set[str], problems: list[str]) -> list[str]:
    """Referenced files that differ, are missing or damaged, and files no reference covers."""
    references = signature_xml.find(f"{q('SignedInfo')}/{q('References')}")
    if references is None or references.get("CheckMethod", SM3_OID) not in (SM3_OID, "SM3"):
        problems.append("References missing or not checked with SM3")
        return [path]
    changed: list[str] = []
    covered: set[str] = set()
    for reference in references.findall(q("Reference")):
        target = normalise(reference.get("FileRef", "").strip(), posixpath.dirname(path))
        try:
            expected = base64.b64decode(reference.findtext(q("CheckValue")) or "", validate=True)
        except ValueError:
            expected = b""
        if target is None:
            changed.append(reference.get("FileRef", ""))
            continue
        covered.add(target)
        content = package.files.get(target)
        if content is None or target in package.damaged or sm3(content) != expected:
            changed.append(target)
    added = sorted(set(package.files) - covered - own)
    if changed:
        problems.append(f"changed after sealing: {', '.join(changed[:10])}")
    if added:
        problems.append(f"not protected by the seal: {', '.join(added[:10])}")
    return changed + added
