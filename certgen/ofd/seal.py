"""The electronic seal and the seal signature of GB/T 38540-2020 (version 4), as ASN.1 (asn1crypto).

    SESeal        ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING,      -- the seal maker's
                                 signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
    SES_SealInfo  ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo,
                                 picture SES_ESPictureInfo, extDatas ExtensionDatas OPTIONAL }
    SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING,                 -- the signer's
                                 signatureAlgID OBJECT IDENTIFIER, signature BIT STRING,
                                 timeStamp [0] BIT STRING OPTIONAL }
    TBS_Sign      ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
                                 dataHash BIT STRING, propertyInfo IA5String, extDatas OPTIONAL }

The seal maker signs ``SEQUENCE {eSealInfo, cert, signAlgID}``; the signer signs the DER of
``TBS_Sign``. Both are SM2-with-SM3 with the default identifier; signature values are DER
``SEQUENCE {r, s}`` inside the BIT STRING.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from asn1crypto import core, x509

from certgen.pki.sm2 import SM2_WITH_SM3_OID, Sm2PrivateKey

SEAL_VERSION = 4
VENDOR_ID = "OnceOnly"


class ExtData(core.Sequence):
    _fields = [("extnID", core.ObjectIdentifier), ("critical", core.Boolean, {"default": False}),
               ("extnValue", core.OctetString)]


class ExtensionDatas(core.SequenceOf):
    _child_spec = ExtData


class SesHeader(core.Sequence):
    _fields = [("ID", core.IA5String), ("version", core.Integer), ("Vid", core.IA5String)]


class CertInfoList(core.SequenceOf):
    _child_spec = core.OctetString


class SesESPropertyInfo(core.Sequence):
    _fields = [
        ("type", core.Integer),  # 1 official seal of an organisation (单位印章), 2 personal
        ("name", core.UTF8String),
        ("certListType", core.Integer),  # 1: certs (the signers' certificates themselves)
        ("certList", CertInfoList),
        ("createDate", core.GeneralizedTime),
        ("validStart", core.GeneralizedTime),
        ("validEnd", core.GeneralizedTime),
    ]


class SesESPictureInfo(core.Sequence):
    _fields = [("type", core.IA5String), ("data", core.OctetString), ("width", core.Integer),
               ("height", core.Integer)]  # display size in millimetres


class SesSealInfo(core.Sequence):
    _fields = [("header", SesHeader), ("esID", core.IA5String), ("property", SesESPropertyInfo),
               ("picture", SesESPictureInfo), ("extDatas", ExtensionDatas, {"optional": True})]


class TbsSeal(core.Sequence):
    """What the seal maker signs."""

    _fields = [("eSealInfo", SesSealInfo), ("cert", core.OctetString), ("signAlgID", core.ObjectIdentifier)]


class SESeal(core.Sequence):
    _fields = [("eSealInfo", SesSealInfo), ("cert", core.OctetString), ("signAlgID", core.ObjectIdentifier),
               ("signedValue", core.OctetBitString)]


class TbsSign(core.Sequence):
    _fields = [("version", core.Integer), ("eseal", SESeal), ("timeInfo", core.GeneralizedTime),
               ("dataHash", core.OctetBitString), ("propertyInfo", core.IA5String),
               ("extDatas", ExtensionDatas, {"explicit": 0, "optional": True})]


class SesSignature(core.Sequence):
    _fields = [("toSign", TbsSign), ("cert", core.OctetString), ("signatureAlgID", core.ObjectIdentifier),
               ("signature", core.OctetBitString), ("timeStamp", core.OctetBitString, {"implicit": 0, "optional": True})]


@dataclass(frozen=True)
class SealMaker:
    """Who makes seals (制章人): in the dev PKI, the SM2 root."""

    key: Sm2PrivateKey
    cert: x509.Certificate


def make_seal(*, es_id: str, name: str, picture_png: bytes, size_mm: int, signer_cert: x509.Certificate,
              maker: SealMaker, valid_days: int = 3650) -> SESeal:
    """An SESeal for ``name`` whose certificate list holds ``signer_cert``, signed by ``maker``."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    end = signer_cert["tbs_certificate"]["validity"]["not_after"].native
    info = SesSealInfo({
        "header": {"ID": "ES", "version": SEAL_VERSION, "Vid": VENDOR_ID},
        "esID": es_id,
        "property": {"type": 1, "name": name, "certListType": 1, "certList": [signer_cert.dump()],
                     "createDate": now, "validStart": now - timedelta(minutes=5),
                     "validEnd": min(end, now + timedelta(days=valid_days))},
        "picture": {"type": "PNG", "data": picture_png, "width": size_mm, "height": size_mm},
    })
    maker_cert = maker.cert.dump()
    tbs = TbsSeal({"eSealInfo": info, "cert": maker_cert, "signAlgID": SM2_WITH_SM3_OID})
    return SESeal({"eSealInfo": info, "cert": maker_cert, "signAlgID": SM2_WITH_SM3_OID,
                   "signedValue": maker.key.sign(tbs.dump())})


def tbs_seal_bytes(seal: SESeal) -> bytes:
    """The bytes the seal maker signed (rebuilt from the parsed seal)."""
    return TbsSeal({"eSealInfo": seal["eSealInfo"].copy(), "cert": seal["cert"].native,
                    "signAlgID": seal["signAlgID"].dotted}).dump()


def sign_seal(*, seal: SESeal, data_hash: bytes, property_info: str, key: Sm2PrivateKey,
              cert: x509.Certificate, when: datetime | None = None) -> SesSignature:
    """SES_Signature v4 over ``data_hash`` (SM3 of the protected content) with the signer's key."""
    when = (when or datetime.now(timezone.utc)).replace(microsecond=0)
    tbs = TbsSign({"version": SEAL_VERSION, "eseal": seal, "timeInfo": when, "dataHash": data_hash,
                   "propertyInfo": property_info})
    return SesSignature({"toSign": tbs, "cert": cert.dump(), "signatureAlgID": SM2_WITH_SM3_OID,
                         "signature": key.sign(tbs.dump())})
