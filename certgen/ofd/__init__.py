"""OFD (GB/T 33190) documents sealed with SM2 electronic seals (GB/T 38540 v4), and their verification.

    document = OfdDocument(title=..., pages=[Page(210, 297, [Text(...), Rect(...), Image(...)])], ...)
    files, page_ids = document.files()                       # {path: bytes}, unsealed
    sealer = make_sealer(key, cert, SealMaker(root_key, root), name="…局", picture_png=png)
    ofd = seal_package(files, sealer, Stamp(page_ids[0], x, y, size))   # zipped, sealed
    report = verify_ofd(ofd, Sm2Trust((root,)))              # certgen.signing.VerificationReport
"""

from asn1crypto import x509

from certgen.ofd.document import NS, Image, OfdDocument, Page, Rect, Text
from certgen.errors import NotAnOfdError, OfdError, SealKeyError
from certgen.ofd.package import looks_like_ofd, read_attachment, read_package, write_package
from certgen.ofd.seal import SealMaker, SESeal, SesSignature, make_seal
from certgen.ofd.sign import OfdSealer, Stamp, seal_package
from certgen.ofd.verify import SEAL_LEVEL, Sm2Trust, verify_ofd
from certgen.pki.sm2 import Sm2PrivateKey


def make_sealer(key: Sm2PrivateKey, cert: x509.Certificate, maker: SealMaker, *, name: str, picture_png: bytes,
                es_id: str, size_mm: int = 42) -> OfdSealer:
    """A long-lived sealer: the seal (SESeal, signed by ``maker``) is made once, here."""
    seal = make_seal(es_id=es_id, name=name, picture_png=picture_png, size_mm=size_mm, signer_cert=cert,
                     maker=maker)
    return OfdSealer(key, cert, seal)


__all__ = [
    "NS", "Image", "NotAnOfdError", "OfdDocument", "OfdError", "OfdSealer", "Page", "Rect", "SEAL_LEVEL",
    "SESeal", "SealKeyError", "SealMaker", "SesSignature", "Sm2Trust", "Stamp", "Text", "looks_like_ofd",
    "make_sealer", "make_seal", "read_attachment", "read_package", "seal_package", "verify_ofd", "write_package",
]
