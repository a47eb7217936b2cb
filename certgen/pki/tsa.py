"""An RFC 3161 time-stamping authority, usable in-process and over HTTP on loopback.

``TimestampAuthority`` answers ``TimeStampReq`` with signed ``TimeStampResp`` (key loaded once);
``InProcessTimeStamper`` plugs it into pyHanko without any network; ``serve_tsa`` puts it behind
a small HTTP server (``application/timestamp-query`` → ``application/timestamp-reply``) so the
same code path as a production TSA (pyHanko's ``HTTPTimeStamper``) is exercised.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import algos, cms, core, tsp, x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.timestamps.api import TimeStamper

_POLICY = "1.3.6.1.4.1.99999.3161.1"  # dev policy OID (private arc)
_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class TimestampAuthority:
    """Signs time-stamp tokens with a TSA certificate whose EKU is timeStamping."""

    def __init__(self, cert_pem: bytes, key_pem: bytes, chain_pem: tuple[bytes, ...] = ()) -> None:
        self.cert = asn1_x509.Certificate.load(_der(cert_pem))
        key = serialization.load_pem_private_key(key_pem, None)
        if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
            raise ValueError("TSA key must be RSA or EC")
        self._key = key
        self.chain = tuple(asn1_x509.Certificate.load(_der(p)) for p in chain_pem)
        self._cert_hash = hashlib.sha256(self.cert.dump()).digest()
        self.fail = False  # tests flip this to simulate an unavailable TSA
        self._prepare()

    @classmethod
    def from_files(cls, cert: Path, key: Path, chain: tuple[Path, ...] = ()) -> "TimestampAuthority":
        return cls(Path(cert).read_bytes(), Path(key).read_bytes(), tuple(Path(p).read_bytes() for p in chain))

    def respond(self, request_der: bytes) -> bytes:
        """DER request in, DER response out (rejections are proper ``rejection`` responses)."""
        try:
            request = tsp.TimeStampReq.load(request_der)
            request.native  # force a full parse
        except (ValueError, TypeError):
            return _rejection("bad_request")
        if request["message_imprint"]["hash_algorithm"]["algorithm"].native not in _HASHES:
            return _rejection("bad_alg")
        return self.timestamp(request).dump()

    def timestamp(self, request: tsp.TimeStampReq) -> tsp.TimeStampResp:
        imprint = request["message_imprint"]
        md_name = imprint["hash_algorithm"]["algorithm"].native
        if md_name not in _HASHES:
            raise ValueError(f"unsupported message imprint hash {md_name}")
        now = datetime.now(timezone.utc).replace(microsecond=0)
        info = {
            "version": "v1", "policy": _POLICY, "message_imprint": imprint,
            "serial_number": int.from_bytes(secrets.token_bytes(15), "big"), "gen_time": now,
        }
        if request["nonce"].native is not None:
            info["nonce"] = request["nonce"]
        # the TSA name is appended pre-encoded ([0] EXPLICIT GeneralName): copying Name objects is slow
        tst_info = _tlv(0x30, tsp.TSTInfo(info).contents + self._tsa_name)
        signed_attrs = b"".join((
            self._attr_content_type,
            _attr("signing_time", cms.Time({"utc_time": core.UTCTime(now)})).dump(),
            _attr("message_digest", hashlib.sha256(tst_info).digest()).dump(),
            self._attr_signing_certificate,
        ))
        to_sign = _tlv(0x31, signed_attrs)
        if isinstance(self._key, rsa.RSAPrivateKey):
            signature = self._key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        else:
            signature = self._key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        signer_info = _tlv(0x30, b"".join((
            b"\x02\x01\x01", self._sid, self._digest_alg, _tlv(0xA0, signed_attrs), self._sig_alg,
            _tlv(0x04, signature),
        )))
        signed_data = _tlv(0x30, b"".join((
            b"\x02\x01\x03", _tlv(0x31, self._digest_alg),
            _tlv(0x30, self._oid_tst_info + _tlv(0xA0, _tlv(0x04, tst_info))),
            self._certificates if request["cert_req"].native else b"",
            _tlv(0x31, signer_info),
        )))
        token = _tlv(0x30, self._oid_signed_data + _tlv(0xA0, signed_data))
        return tsp.TimeStampResp.load(_tlv(0x30, self._granted + token))

    def _prepare(self) -> None:
        """Encode once everything that is the same in every token."""
        self._tsa_name = _tlv(0xA0, asn1_x509.GeneralName(name="directory_name", value=self.cert.subject).dump())
        self._attr_content_type = _attr("content_type", "tst_info").dump()
        self._attr_signing_certificate = _attr("signing_certificate_v2", tsp.SigningCertificateV2({
            "certs": [tsp.ESSCertIDv2({
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "cert_hash": self._cert_hash,
            })]
        })).dump()
        self._sid = cms.IssuerAndSerialNumber({"issuer": self.cert.issuer,
                                               "serial_number": self.cert.serial_number}).dump()
        self._digest_alg = algos.DigestAlgorithm({"algorithm": "sha256"}).dump()
        rsa_key = isinstance(self._key, rsa.RSAPrivateKey)
        self._sig_alg = algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa" if rsa_key else "sha256_ecdsa"}).dump()
        self._certificates = _tlv(0xA0, b"".join(c.dump() for c in (self.cert, *self.chain)))
        self._oid_tst_info = cms.ContentType("tst_info").dump()
        self._oid_signed_data = cms.ContentType("signed_data").dump()
        self._granted = tsp.PKIStatusInfo({"status": "granted"}).dump()


class InProcessTimeStamper(TimeStamper):
    """pyHanko time stamper that asks a ``TimestampAuthority`` directly (no network)."""

    def __init__(self, authority: TimestampAuthority) -> None:
        super().__init__(include_nonce=True)
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        if self.authority.fail:
            raise IOError("time-stamping authority unavailable")
        return self.authority.timestamp(req)


class TsaServer:
    """A running loopback HTTP TSA; use as a context manager or call ``close()``."""

    def __init__(self, authority: TimestampAuthority, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = _handler(authority)
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://{host}:{self._httpd.server_address[1]}/tsa"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="dev-tsa", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "TsaServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_tsa(authority: TimestampAuthority, host: str = "127.0.0.1", port: int = 0) -> TsaServer:
    """Start a TSA on ``http://host:port/tsa`` in a background thread."""
    return TsaServer(authority, host, port)


def _handler(authority: TimestampAuthority) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            length = int(self.headers.get("Content-Length") or 0)
            if self.headers.get("Content-Type") != "application/timestamp-query" or not 0 < length < 65536:
                self.send_error(400, "expected application/timestamp-query")
                return
            if authority.fail:
                self.send_error(503, "TSA unavailable")
                return
            body = authority.respond(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # silence stderr
            return

    return Handler


def _attr(name: str, value: object) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": name, "values": (value,)})


def _tlv(tag: int, body: bytes) -> bytes:
    """DER tag-length-value."""
    n = len(body)
    if n < 0x80:
        return bytes((tag, n)) + body
    size = (n.bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + n.to_bytes(size, "big") + body


def _rejection(reason: str) -> bytes:
    """DER of a TimeStampResp without a token (asn1crypto cannot represent one)."""
    status = tsp.PKIStatusInfo({"status": "rejection", "fail_info": tsp.PKIFailureInfo({reason})})
    return _tlv(0x30, status.dump())


def _der(pem_or_der: bytes) -> bytes:
    if pem_or_der.lstrip().startswith(b"-----"):
        from asn1crypto import pem

        _, _, der = pem.unarmor(pem_or_der)
        return der
    return pem_or_der
