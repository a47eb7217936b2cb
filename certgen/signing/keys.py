"""Signing keys, loaded once per process: a PKCS#12/PEM file, or a PKCS#11 token (HSM).

pyHanko's stock ``SimpleSigner`` keeps the key as DER and re-parses it (with OpenSSL's key checks)
for every signature; ``CachedKeySigner`` parses it once and keeps the ``cryptography`` key object.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers.pdf_cms import Signer as HankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from certgen.errors import KeyLoadError
from certgen.signing.attributes import OnceEncodedSigningCertificate

_SESSIONS: dict[tuple[str, str], object] = {}
_SESSIONS_LOCK = threading.Lock()
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class CachedKeySigner(OnceEncodedSigningCertificate, HankoSigner):
    """A pyHanko signer holding a parsed RSA/EC private key in memory (thread-safe: keys are immutable),
    its signing-certificate attribute encoded once (``certgen.signing.attributes``)."""

    def __init__(self, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, cert: x509.Certificate,
                 chain: list[x509.Certificate]) -> None:
        as_asn1 = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in chain]
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            cert_registry=SimpleCertificateStore.from_certs(as_asn1),
            embed_roots=True,
        )
        self._key = key

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        hash_cls = _HASHES.get(digest_algorithm)
        if hash_cls is None:
            raise KeyLoadError(f"digest {digest_algorithm} not supported")
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism.signature_algo
        if isinstance(self._key, rsa.RSAPrivateKey):
            if algo == "rsassa_pss":
                pad: padding.AsymmetricPadding = padding.PSS(padding.MGF1(hash_cls()), hash_cls().digest_size)
            else:
                pad = padding.PKCS1v15()
            return self._key.sign(data, pad, hash_cls())
        return self._key.sign(data, ec.ECDSA(hash_cls()))


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise KeyLoadError(f"cannot read {path}: {exc}", message_zh=f"无法读取密钥文件 {path}") from exc


def _load_certs(data: bytes) -> list[x509.Certificate]:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def load_key_file(key_path: Path, cert_path: Path | None = None, *, chain: tuple[Path, ...] = (),
                  passphrase: bytes | None = None) -> CachedKeySigner:
    """Load a PKCS#12 (``.p12``/``.pfx``: key, cert and chain) or a PEM/DER key + certificate."""
    data = _read(key_path)
    extra: list[x509.Certificate] = []
    for path in chain:
        extra.extend(_load_certs(_read(path)))
    try:
        if Path(key_path).suffix.lower() in (".p12", ".pfx"):
            key, cert, more = pkcs12.load_key_and_certificates(data, passphrase)
            extra = list(more or []) + extra
        else:
            key = (serialization.load_pem_private_key(data, passphrase, unsafe_skip_rsa_key_validation=False)
                   if b"-----BEGIN" in data else serialization.load_der_private_key(data, passphrase))
            cert = None
            if cert_path is None:
                raise KeyLoadError("a PEM/DER key needs its certificate file")
            certs = _load_certs(_read(cert_path))
            cert, extra = certs[0], certs[1:] + extra
    except (ValueError, TypeError) as exc:
        raise KeyLoadError(f"cannot load signing key {key_path}: {exc}",
                           message_zh="签名密钥无法加载（口令错误或文件损坏）") from exc
    if cert_path is not None and Path(key_path).suffix.lower() in (".p12", ".pfx"):
        cert = _load_certs(_read(cert_path))[0]
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)) or cert is None:
        raise KeyLoadError(f"{key_path} must hold an RSA or EC key and its certificate")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise KeyLoadError("the key does not match the certificate", message_zh="私钥与证书不匹配")
    return CachedKeySigner(key, cert, extra)


def open_pkcs11_signer(module: str, token_label: str, pin: str, *, key_label: str,
                       cert_label: str | None = None, cert_path: Path | None = None,
                       chain: tuple[Path, ...] = (), use_raw_mechanism: bool | None = None) -> HankoSigner:
    """Open a session on the token named ``token_label`` once and return a long-lived signer.

    EC keys on SoftHSM2 need the raw ``CKM_ECDSA`` mechanism (hash computed here): pass
    ``use_raw_mechanism=True`` or leave ``None`` to pick it for EC certificates automatically.
    """
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    with _SESSIONS_LOCK:  # one logged-in session per token and process (login state is per application)
        session = _SESSIONS.get((module, token_label))
        if session is None:
            try:
                session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
            except Exception as exc:  # python-pkcs11 raises many unrelated types
                raise KeyLoadError(f"cannot open PKCS#11 token {token_label!r}: {type(exc).__name__} {exc}",
                                   message_zh="无法打开硬件密码模块（令牌标签或口令错误）") from exc
            _SESSIONS[(module, token_label)] = session
    signing_cert = None
    if cert_path is not None:
        signing_cert = asn1_x509.Certificate.load(
            _load_certs(_read(cert_path))[0].public_bytes(serialization.Encoding.DER))
    ca_chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                for p in chain for c in _load_certs(_read(p))]
    try:
        signer = _pkcs11_signer_class()(session, cert_label=cert_label or (None if signing_cert else key_label),
                              signing_cert=signing_cert, ca_chain=ca_chain, key_label=key_label,
                              use_raw_mechanism=False)
        if use_raw_mechanism is None:
            use_raw_mechanism = signer.signing_cert.public_key.algorithm == "ec"
        signer.use_raw_mechanism = use_raw_mechanism
    except Exception as exc:
        raise KeyLoadError(f"key or certificate not found on token {token_label!r}: {exc}",
                           message_zh="令牌中找不到签名密钥或证书") from exc
    return signer


@functools.lru_cache(maxsize=1)
def _pkcs11_signer_class() -> type:
    """pyHanko's PKCS#11 signer with the signing-certificate attribute encoded once (python-pkcs11 is
    imported only when a token is configured)."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    class Pkcs11Signer(OnceEncodedSigningCertificate, PKCS11Signer):
        pass

    return Pkcs11Signer
