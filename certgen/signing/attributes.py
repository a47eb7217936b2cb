"""The signing-certificate-v2 attribute of a long-lived signer, encoded once instead of per signature.

Every PAdES/CAdES signature carries ``signing-certificate-v2`` (RFC 5035: the SHA-256 of the signer's
certificate, its issuer and serial). pyHanko rebuilds it for every signature; asn1crypto then converts
the new value through its native form (the issuer's name included) to fit the attribute's spec, and
re-encodes it in each enclosing structure — about half of a licence's signing time. The value depends
only on the certificate, so ``OnceEncodedSigningCertificate`` builds it with pyHanko's own function
once per certificate and hands every signature a fresh parse of those DER bytes: the signed bytes are
the same as pyHanko's (``tests/certgen/test_signing.py`` compares them).
"""

from __future__ import annotations

import threading
from typing import Any, Iterable

from asn1crypto import cms
from pyhanko.sign.attributes import CMSAttributeProvider, SigningCertificateV2Provider
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute


def signing_certificate_attribute(cert: Any) -> bytes:
    """DER of the ``signing-certificate-v2`` CMS attribute pyHanko builds for ``cert`` (SHA-256)."""
    return simple_cms_attribute("signing_certificate_v2", as_signing_certificate_v2(cert)).dump()


class _EncodedAttribute(CMSAttributeProvider):
    """A provider that answers with a pre-encoded attribute (a fresh, lazily parsed copy each time)."""

    attribute_type = "signing_certificate_v2"

    def __init__(self, der: bytes) -> None:
        self.der = der

    async def build_attr_value(self, dry_run: bool = False) -> Any:
        return cms.CMSAttribute.load(self.der)["values"][0]

    async def get_attribute(self, dry_run: bool = False) -> cms.CMSAttribute:
        return cms.CMSAttribute.load(self.der)


class OnceEncodedSigningCertificate:
    """Mixin for pyHanko signers: the signing-certificate-v2 attribute encoded once per certificate.

    Hooks pyHanko's ``_signed_attr_providers``; if a pyHanko release renames it, signatures stay the
    same and only the saving is lost."""

    _encoded_lock = threading.Lock()
    _encoded: tuple[bytes, bytes] | None = None  # (certificate DER, attribute DER)

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterable[CMSAttributeProvider]:
        providers = super()._signed_attr_providers(*args, **kwargs)  # type: ignore[misc]
        for provider in providers:
            if type(provider) is SigningCertificateV2Provider:
                yield _EncodedAttribute(self._attribute_for(provider.signing_cert))
            else:
                yield provider

    def _attribute_for(self, cert: Any) -> bytes:
        cert_der = cert.dump()
        encoded = self._encoded
        if encoded is None or encoded[0] != cert_der:
            with self._encoded_lock:
                encoded = (cert_der, signing_certificate_attribute(cert))
                self._encoded = encoded
        return encoded[1]
