"""Validation data embedded in a PDF (the DSS) and running pyHanko's sync API from async code."""

from __future__ import annotations

import asyncio
import logging
import threading

from asn1crypto import crl as asn1_crl, ocsp as asn1_ocsp
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore

log = logging.getLogger("onceonly.certgen.verify")


def dss_contents(reader: PdfFileReader) -> tuple[tuple, tuple, tuple]:
    """Certificates, CRLs and OCSP responses embedded in the document security store (B-LT/B-LTA)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001 - no DSS, or an unreadable one: no embedded validation data
        return (), (), ()
    try:
        certs = tuple(dss.load_certs())
        crls = tuple(asn1_crl.CertificateList.load(ref.get_object().read_data(DecodePurpose.CRL))
                     for ref in dss.crls)
        ocsps = tuple(asn1_ocsp.OCSPResponse.load(ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE))
                      for ref in dss.ocsps)
    except Exception as exc:  # noqa: BLE001
        log.info("unreadable DSS ignored: %s", type(exc).__name__)
        return (), (), ()
    return _parsed(certs), _parsed(crls), _parsed(ocsps)


def _parsed(items: tuple) -> tuple:
    """The items that parse completely. asn1crypto parses lazily: a damaged certificate in the DSS
    loaded fine and only raised (``ValueError: Insufficient data``) when the validation context read
    its key identifier — a 500 from the verifier. A damaged entry is left out, as if not embedded."""
    kept = []
    for item in items:
        try:
            item.native  # noqa: B018 - parses every field now
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with it, it is not validation data
            log.info("damaged DSS entry ignored: %s", type(exc).__name__)
            continue
        kept.append(item)
    return tuple(kept)


def in_thread(call):  # type: ignore[no-untyped-def]
    """pyHanko's sync API runs its own event loop; from inside a running loop use a helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    box: list = []

    def target() -> None:
        try:
            box.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            box.append((False, exc))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    ok, value = box[0]
    if not ok:
        raise value
    return value
