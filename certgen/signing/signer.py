"""Sign PDFs with PAdES (B-B, B-T, B-LT, B-LTA) and a visible seal, using a long-lived ``Signer``.

Build one ``Signer`` per process (the key is parsed once, a PKCS#11 session is opened once) and call
``sign_pdf(pdf_bytes, signer, ...)`` as often as needed, from any thread. The output is built in
memory: if anything fails (e.g. the TSA does not answer) an error is raised and no bytes exist.
"""

from __future__ import annotations

import asyncio
import io
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from asn1crypto import crl as asn1_crl, x509 as asn1_x509
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers.pdf_cms import Signer as HankoSigner
from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from certgen.errors import NotAPdfError, SigningFailedError, TimestampUnavailableError

PadesLevel = Literal["B-B", "B-T", "B-LT", "B-LTA"]
PADES_LEVELS: tuple[str, ...] = ("B-B", "B-T", "B-LT", "B-LTA")
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class TrustMaterial:
    """Trust roots, intermediate certificates and CRLs (parsed once)."""

    roots: tuple[asn1_x509.Certificate, ...]
    others: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    allow_fetching: bool = False

    @classmethod
    def from_files(cls, roots: tuple[Path, ...], *, others: tuple[Path, ...] = (),
                   crls: tuple[Path, ...] = (), allow_fetching: bool = False) -> "TrustMaterial":
        return cls(
            tuple(c for p in roots for c in _certs(Path(p).read_bytes())),
            tuple(c for p in others for c in _certs(Path(p).read_bytes())),
            tuple(asn1_crl.CertificateList.load(_der(Path(p).read_bytes())) for p in crls),
            allow_fetching,
        )

    def context(self, *, extra_crls: tuple[asn1_crl.CertificateList, ...] = (),
                extra_certs: tuple[asn1_x509.Certificate, ...] = (), extra_ocsps: tuple = ()) -> ValidationContext:
        """A fresh validation context that *requires* revocation data for every certificate."""
        return ValidationContext(
            trust_roots=list(self.roots), other_certs=list(self.others + extra_certs),
            crls=list(self.crls + extra_crls), ocsps=list(extra_ocsps),
            allow_fetching=self.allow_fetching, revocation_mode="require",
        )


class Signer:
    """A long-lived signer: key (file or PKCS#11), PAdES level, TSA, seal image, trust for LT levels."""

    def __init__(self, key: HankoSigner, *, level: str = "B-T", timestamper: TimeStamper | None = None,
                 tsa_url: str | None = None, trust: TrustMaterial | None = None,
                 seal: Image.Image | None = None, serialize: bool = False, tsa_timeout: float = 10.0) -> None:
        if level not in PADES_LEVELS:
            raise SigningFailedError(f"unknown PAdES level {level!r}; use one of {PADES_LEVELS}",
                                     message_zh="不支持的签章级别")
        if tsa_url and timestamper is None:
            timestamper = HTTPTimeStamper(tsa_url, timeout=int(tsa_timeout))
        if level != "B-B" and timestamper is None:
            raise SigningFailedError(f"PAdES {level} needs a time-stamping authority",
                                     message_zh="该签章级别需要时间戳服务")
        if level in ("B-LT", "B-LTA") and trust is None:
            raise SigningFailedError(f"PAdES {level} needs trust roots and revocation data",
                                     message_zh="长期验证级别需要根证书和吊销信息")
        _parse_whole(key)
        self.key = key
        self.level = level
        self.timestamper = timestamper
        self.trust = trust
        self.seal = seal
        self._seal = _EncodedSeal(seal) if seal is not None else None
        self._reserve: dict[str, int] = {}
        self._lock = threading.Lock() if serialize else None

    @property
    def subject(self) -> str:
        return self.key.signing_cert.subject.human_friendly


def _parse_whole(key: HankoSigner) -> None:
    """Parse the key's certificates now, in the thread that builds the signer.

    asn1crypto parses lazily and caches the result without a lock: a thread reading a name another
    thread is still filling in finds it half-filled (two first signatures side by side failed with
    ``KeyError: 'organization_name'`` in pyHanko's ``subject_name``). Parsed whole here, every later
    read is of a finished value."""
    certs = [key.signing_cert, *(key.cert_registry or ())]
    for cert in certs:
        if cert is not None:
            cert.native  # noqa: B018 - the property parses and caches the whole certificate
            cert.subject.native  # noqa: B018 - names cache their own native form separately
            cert.issuer.native  # noqa: B018


class _SealContent(PdfImage):
    """The seal as an image XObject whose Flate-compressed bytes are computed once per process."""

    def __init__(self, encoded: "_EncodedSeal") -> None:
        super().__init__(encoded.image, writer=None, name="Seal")
        self._encoded = encoded

    @property
    def image_ref(self) -> generic.IndirectObject:
        assert self.writer is not None
        ref = self._image_ref
        if ref is None or ref.get_pdf_handler() is not self.writer:
            self._image_ref = ref = self._encoded.write(self.writer)
        return ref


class _EncodedSeal:
    def __init__(self, image: Image.Image) -> None:
        rgba = image.convert("RGBA")
        self.image = rgba
        self.width, self.height = rgba.size
        self.rgb = zlib.compress(rgba.convert("RGB").tobytes(), 6)
        self.alpha = zlib.compress(rgba.split()[-1].tobytes(), 6)

    def _stream(self, colour_space: str, data: bytes, extra: dict | None = None) -> generic.StreamObject:
        entries = {
            pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(self.width),
            pdf_name("/Height"): generic.NumberObject(self.height),
            pdf_name("/ColorSpace"): pdf_name(colour_space),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
            **(extra or {}),
        }
        return generic.StreamObject(entries, encoded_data=data)

    def write(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        mask = writer.add_object(self._stream("/DeviceGray", self.alpha))
        return writer.add_object(self._stream("/DeviceRGB", self.rgb, {pdf_name("/SMask"): mask}))


def _stamp_style(seal: "_EncodedSeal") -> StaticStampStyle:
    return StaticStampStyle(
        background=_SealContent(seal), border_width=0, background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(AxisAlignment.ALIGN_MID, AxisAlignment.ALIGN_MID,
                                              margins=Margins.uniform(0)),
    )


def sign_pdf(pdf: bytes, signer: Signer, *, field_name: str = "Seal", seal_box: Box | None = None,
             page: int = 0, reason: str | None = None, location: str | None = None,
             contact_info: str | None = None, level: str | None = None) -> bytes:
    """Return ``pdf`` with one more PAdES signature in field ``field_name``.

    ``seal_box`` (x1, y1, x2, y2 in PDF points on ``page``) makes the signature visible with the
    signer's seal image; without it the signature is invisible. ``level`` overrides the signer's
    PAdES level for this call. Raises ``SigningFailedError`` (``TimestampUnavailableError`` when the
    TSA fails) and returns nothing in that case.
    """
    level = level or signer.level
    lt = level in ("B-LT", "B-LTA")
    meta = PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        reason=reason, location=location, contact_info=contact_info,
        embed_validation_info=lt, use_pades_lta=level == "B-LTA",
        validation_context=signer.trust.context() if lt and signer.trust else None,
    )
    spec = SigFieldSpec(field_name, on_page=page, box=tuple(int(round(v)) for v in seal_box)  # type: ignore[arg-type]
                        ) if seal_box else SigFieldSpec(field_name)
    style = _stamp_style(signer._seal) if seal_box and signer._seal is not None else None

    def attempt(reserve: int | None) -> bytes:
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            raise NotAPdfError(f"cannot parse PDF to sign: {exc}") from exc
        pdf_signer = PdfSigner(meta, signer.key, timestamper=signer.timestamper if level != "B-B" else None,
                               stamp_style=style, new_field_spec=spec)
        out = io.BytesIO()
        if signer._lock is not None:
            with signer._lock:
                _run(pdf_signer, writer, out, reserve)
        else:
            _run(pdf_signer, writer, out, reserve)
        return out.getvalue()

    reserve = signer._reserve.get(level)
    try:
        try:
            signed = attempt(reserve)
        except Exception as exc:  # noqa: BLE001 - the reserved space was too small: measure again once
            if reserve is None or "larger than expected" not in str(exc):
                raise
            signer._reserve.pop(level, None)
            reserve = None
            signed = attempt(None)
    except NotAPdfError:
        raise
    except Exception as exc:  # pyHanko, asyncio, network and PKCS#11 errors all end here
        if _is_timestamp_failure(exc):
            raise TimestampUnavailableError(f"time-stamping failed: {exc}") from exc
        raise SigningFailedError(f"signing failed: {type(exc).__name__}: {exc}") from exc
    if reserve is None:
        signer._reserve[level] = _reserve_from(signed, field_name)
    return signed


def _reserve_from(signed: bytes, field_name: str) -> int:
    """Hex characters to reserve next time (pyHanko's unit): this CMS's DER size, doubled, + 1 KB slack."""
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    for sig in reader.embedded_signatures:
        if sig.field_name == field_name:
            return 2 * (_der_length(bytes(sig.pkcs7_content)) + 1024)  # tokens vary by a few bytes
    return 0


def _der_length(data: bytes) -> int:
    """Length of the DER value at the start of ``data`` (the contents are zero-padded after it)."""
    if len(data) < 2:
        return len(data)
    if not data[1] & 0x80:
        return 2 + data[1]
    n = data[1] & 0x7F
    return 2 + n + int.from_bytes(data[2:2 + n], "big")


def _run(pdf_signer: PdfSigner, writer: IncrementalPdfFileWriter, out: io.BytesIO,
         reserve: int | None = None) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=reserve)
        return
    # called from inside an event loop (e.g. an async route): sign on a helper thread
    error: list[BaseException] = []

    def target() -> None:
        try:
            pdf_signer.sign_pdf(writer, output=out, bytes_reserved=reserve)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            error.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if error:
        raise error[0]


def _is_timestamp_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__.lower()
        module = type(seen).__module__
        if "timestamp" in name or "timestamps" in module or isinstance(seen, (IOError, ConnectionError)):
            return True
        text = str(seen).lower()
        if "time-stamp" in text or "timestamp" in text or "tsa" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _der(data: bytes) -> bytes:
    if data.lstrip().startswith(b"-----"):
        from asn1crypto import pem

        return pem.unarmor(data)[2]
    return data


def _certs(data: bytes) -> list[asn1_x509.Certificate]:
    if b"-----BEGIN" in data:
        from asn1crypto import pem

        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]
