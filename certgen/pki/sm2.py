"""SM2 keys, SM3 digests and SM2-signed X.509 certificates (GB/T 32918, GB/T 32905, GM/T 0015).

Nothing cryptographic is written here: SM2 signing, verification and the point multiplication
that gives a public key come from ``gmssl`` (pure Python); SM3 comes from OpenSSL through
``hashlib`` when the local OpenSSL has it (OpenSSL 3 does) and from ``gmssl`` otherwise. The
certificates and keys are assembled as ASN.1 with ``asn1crypto``.

Signatures are SM2-with-SM3 with the default signer identifier ``1234567812345678`` (the Z value
of GB/T 32918.2 is computed by gmssl from it) and DER ``SEQUENCE {r, s}`` encoded, which is what
``openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678`` checks.

gmssl draws its nonces with ``random.choice``; we always pass a nonce from ``secrets`` instead.
The implementation is not constant-time: fine for a development PKI, not for production keys
(those belong in an HSM, see docs/licences.md).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from asn1crypto import algos, keys, pem, x509
from gmssl import func as gm_func, sm2 as gm_sm2, sm3 as gm_sm3

SM2_CURVE_OID = "1.2.156.10197.1.301"
SM2_WITH_SM3_OID = "1.2.156.10197.1.501"
SM3_OID = "1.2.156.10197.1.401"
DEFAULT_SIGNER_ID = "1234567812345678"

keys.NamedCurve.register("sm2p256v1", SM2_CURVE_OID, 32)  # so asn1crypto knows its key size

_N = int(gm_sm2.default_ecc_table["n"], 16)
_G = gm_sm2.default_ecc_table["g"]


def sm3(data: bytes) -> bytes:
    """The SM3 digest of ``data`` (OpenSSL's when available; gmssl's otherwise)."""
    try:
        return hashlib.new("sm3", data).digest()
    except ValueError:
        return bytes.fromhex(gm_sm3.sm3_hash(gm_func.bytes_to_list(data)))


_ZA_PREFIX = bytes.fromhex(
    "0080" + DEFAULT_SIGNER_ID.encode().hex() + gm_sm2.default_ecc_table["a"] + gm_sm2.default_ecc_table["b"] + _G)


def _message_digest(public_xy: str, data: bytes) -> bytes:
    """e = SM3(Z_A || M) of GB/T 32918.2 (Z_A with the default identifier), the input gmssl's SM2 signs.

    The same bytes gmssl's ``sign_with_sm3`` hashes, but through OpenSSL's SM3: gmssl's pure-Python
    SM3 takes ~0.4 s for a 46 kB TBS_Sign."""
    za = sm3(_ZA_PREFIX + bytes.fromhex(public_xy))
    return sm3(za + data)


def _crypt(private_hex: str, public_hex: str) -> gm_sm2.CryptSM2:
    crypt = gm_sm2.CryptSM2(private_key=private_hex, public_key="00" * 64, asn1=True)
    crypt.public_key = public_hex  # set after construction: gmssl's lstrip("04") would eat leading digits
    return crypt


@dataclass(frozen=True)
class Sm2PublicKey:
    """An SM2 public point as 128 hex digits (x || y)."""

    xy: str

    @classmethod
    def from_spki(cls, info: keys.PublicKeyInfo) -> "Sm2PublicKey":
        params = info["algorithm"]["parameters"]
        if info["algorithm"]["algorithm"].native != "ec" or params.chosen.dotted != SM2_CURVE_OID:
            raise ValueError("not an SM2 public key")
        point = info["public_key"].native
        if len(point) != 65 or point[0] != 4:
            raise ValueError("SM2 public key must be an uncompressed point")
        return cls(point[1:].hex())

    def spki(self) -> keys.PublicKeyInfo:
        return keys.PublicKeyInfo({
            "algorithm": {"algorithm": "ec",
                          "parameters": keys.ECDomainParameters(name="named", value=SM2_CURVE_OID)},
            "public_key": b"\x04" + bytes.fromhex(self.xy),
        })

    def verify(self, data: bytes, signature_der: bytes) -> bool:
        """SM2-with-SM3 over ``data`` (Z value with the default identifier); never raises."""
        try:
            parsed = algos.DSASignature.load(signature_der)
            r, s = parsed["r"].native, parsed["s"].native
            if parsed.dump() != signature_der or not (0 < r < _N and 0 < s < _N):
                return False
            return bool(_crypt("00", self.xy).verify(signature_der.hex(), _message_digest(self.xy, data)))
        except (ValueError, TypeError, IndexError):
            return False


@dataclass(frozen=True)
class Sm2PrivateKey:
    """An SM2 private scalar (64 hex digits) and its public point."""

    d: str
    public: Sm2PublicKey

    @classmethod
    def generate(cls) -> "Sm2PrivateKey":
        d = secrets.randbelow(_N - 2) + 1
        return cls.from_scalar(d)

    @classmethod
    def from_scalar(cls, d: int) -> "Sm2PrivateKey":
        if not 0 < d < _N - 1:
            raise ValueError("SM2 private key out of range")
        point = _crypt("00", "00" * 64)._kg(d, _G)  # gmssl's scalar multiplication d·G
        return cls(f"{d:064x}", Sm2PublicKey(point))

    def sign(self, data: bytes) -> bytes:
        """DER ``SEQUENCE {r, s}`` of SM2-with-SM3 over ``data`` (default identifier)."""
        crypt = _crypt(self.d, self.public.xy)
        digest = _message_digest(self.public.xy, data)
        while True:
            nonce = f"{secrets.randbelow(_N - 1) + 1:064x}"
            value = crypt.sign(digest, nonce)
            if value is not None:
                return bytes.fromhex(value)

    def pkcs8_pem(self) -> bytes:
        """PKCS#8 ``PRIVATE KEY`` (EC key on the SM2 curve), readable by ``openssl pkey``."""
        params = keys.ECDomainParameters(name="named", value=SM2_CURVE_OID)
        inner = keys.ECPrivateKey({"version": "ecPrivkeyVer1", "private_key": int(self.d, 16),
                                   "public_key": b"\x04" + bytes.fromhex(self.public.xy)})
        info = keys.PrivateKeyInfo({"version": 0, "private_key_algorithm": {"algorithm": "ec", "parameters": params},
                                    "private_key": inner})
        return pem.armor("PRIVATE KEY", info.dump())

    @classmethod
    def from_pem(cls, data: bytes) -> "Sm2PrivateKey":
        _, _, der = pem.unarmor(data)
        info = keys.PrivateKeyInfo.load(der)
        if info["private_key_algorithm"]["parameters"].chosen.dotted != SM2_CURVE_OID:
            raise ValueError("not an SM2 private key")
        return cls.from_scalar(info["private_key"].parsed["private_key"].native)


def _name(cn: str, org: str, org_id: str | None = None) -> x509.Name:
    values = {"country_name": "CN", "organization_name": org, "common_name": cn}
    if org_id:
        values["organization_identifier"] = org_id
    return x509.Name.build(values, use_printable=False)


def _ski(public: Sm2PublicKey) -> bytes:
    return hashlib.sha1(b"\x04" + bytes.fromhex(public.xy)).digest()  # RFC 5280 method 1 (an identifier, not security)


def _time(value: datetime) -> x509.Time:
    return x509.Time({"utc_time": value} if value.year < 2050 else {"general_time": value})


def make_certificate(*, subject: x509.Name, public: Sm2PublicKey, issuer: x509.Name, issuer_key: Sm2PrivateKey,
                     ca: bool, days: int, issuer_public: Sm2PublicKey | None = None) -> x509.Certificate:
    """An X.509 v3 certificate for an SM2 key, signed SM2-with-SM3 by ``issuer_key``."""
    now = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
    usage = {"key_cert_sign", "crl_sign"} if ca else {"digital_signature", "non_repudiation"}
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca, "path_len_constraint": 0 if ca else None}},
        {"extn_id": "key_usage", "critical": True, "extn_value": usage},
        {"extn_id": "key_identifier", "critical": False, "extn_value": _ski(public)},
        {"extn_id": "authority_key_identifier", "critical": False,
         "extn_value": {"key_identifier": _ski(issuer_public or issuer_key.public)}},
    ]
    if not ca:
        extensions[0]["extn_value"] = {"ca": False}
    tbs = x509.TbsCertificate({
        "version": "v3", "serial_number": secrets.randbits(127) | 1 << 126,
        "signature": {"algorithm": SM2_WITH_SM3_OID}, "issuer": issuer,
        "validity": {"not_before": _time(now), "not_after": _time(now + timedelta(days=days))},
        "subject": subject, "subject_public_key_info": public.spki(), "extensions": extensions,
    })
    signature = issuer_key.sign(tbs.dump())
    return x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": {"algorithm": SM2_WITH_SM3_OID},
                             "signature_value": signature})


def certificate_public_key(cert: x509.Certificate) -> Sm2PublicKey:
    return Sm2PublicKey.from_spki(cert["tbs_certificate"]["subject_public_key_info"])


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """``cert`` names ``issuer`` and carries a valid SM2-with-SM3 signature by its key."""
    tbs = cert["tbs_certificate"]
    if tbs["issuer"] != issuer["tbs_certificate"]["subject"]:
        return False
    if cert["signature_algorithm"]["algorithm"].dotted != SM2_WITH_SM3_OID:
        return False
    try:
        key = certificate_public_key(issuer)
    except ValueError:
        return False
    return key.verify(tbs.dump(), cert["signature_value"].native)


def load_certificate(data: bytes) -> x509.Certificate:
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def certificate_pem(cert: x509.Certificate) -> bytes:
    return pem.armor("CERTIFICATE", cert.dump())


__all__ = [
    "DEFAULT_SIGNER_ID", "SM2_CURVE_OID", "SM2_WITH_SM3_OID", "SM3_OID", "Sm2PrivateKey", "Sm2PublicKey",
    "certificate_pem", "certificate_public_key", "issued_by", "load_certificate", "make_certificate", "sm3",
]
