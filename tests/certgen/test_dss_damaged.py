"""A damaged certificate in a PDF's document security store is left out, not a crash (a 500 of
/api/v1/verify found by tests/licences/test_verifier_claims.py's random byte flips)."""

from __future__ import annotations

import pytest
from asn1crypto import x509

from certgen.signing.dss import _parsed

SKI = bytes.fromhex("0603551d0e")  # the OID of subjectKeyIdentifier


def test_a_certificate_whose_inner_length_lies_is_left_out(dev_pki) -> None:  # type: ignore[no-untyped-def]
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = cx509.load_pem_x509_certificate(dev_pki.issuing_cert.read_bytes()).public_bytes(Encoding.DER)
    at = der.index(SKI) + len(SKI)
    assert der[at] == 0x04 and der[at + 2:at + 4] == b"\x04\x14"  # OCTET STRING { OCTET STRING (20) }
    damaged = der[:at + 3] + b"\x7b" + der[at + 4:]  # the key id claims 123 bytes; 20 follow
    good, bad = x509.Certificate.load(der), x509.Certificate.load(damaged)  # both load: parsing is lazy
    with pytest.raises(ValueError):
        bad.key_identifier  # noqa: B018 - what the validation context read, and the verifier raised
    assert _parsed((good, bad)) == (good,)
