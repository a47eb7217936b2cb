"""OFD licences: one long-lived SM2 sealer per authority (from the dev PKI's SM2 half) and the SM2 trust.

The SM2 keys live in files (``PKI_DIR/sm2/``). A PKCS#11 path for SM2 is not there yet: SoftHSM2
has no SM2 mechanism, so ``LICENCE_KEY_SOURCE=pkcs11`` still seals OFD licences from the files
(see docs/licences.md).
"""

from __future__ import annotations

import io
import threading

from certgen.ofd import OfdSealer, SealKeyError, SealMaker, Sm2Trust, make_sealer
from certgen.pki.sm2_dev import ensure_sm2_pki, load_sm2_seal, sm2_root_cert
from certgen.seal import load_seal_image, seal_png
from intake.licences.config import Authority, LicensingConfig, across_processes, ensure_dev_pki


def _ready(config: LicensingConfig) -> None:
    ensure_dev_pki(config)
    if not (config.pki_dir / "pki.json").exists():  # no dev PKI here: never invent SM2 keys
        return
    # a dev PKI made before SM2 existed gets its SM2 root and seals on first use (once, whichever process)
    with across_processes(config.pki_dir.parent / f".{config.pki_dir.name}.lock"):
        ensure_sm2_pki(config.pki_dir, config.authorities)


def sm2_trust(config: LicensingConfig) -> Sm2Trust:
    _ready(config)
    return Sm2Trust.from_files((sm2_root_cert(config.pki_dir),))


def _picture(authority: Authority) -> bytes:
    if authority.seal_image is None:
        return seal_png(authority.name, authority.seal_subtitle)
    out = io.BytesIO()
    load_seal_image(authority.seal_image).save(out, "PNG")
    return out.getvalue()


class OfdSealerPool:
    """One ``OfdSealer`` per authority (key parsed and seal made once), created on first use."""

    def __init__(self, config: LicensingConfig) -> None:
        self.config = config
        self._sealers: dict[str, OfdSealer] = {}
        self._trust: Sm2Trust | None = None
        self._lock = threading.Lock()

    @property
    def trust(self) -> Sm2Trust:
        if self._trust is None:
            self._trust = sm2_trust(self.config)
        return self._trust

    def get(self, authority: Authority) -> OfdSealer:
        sealer = self._sealers.get(authority.code)
        if sealer is not None:
            return sealer
        with self._lock:
            if authority.code not in self._sealers:
                self._sealers[authority.code] = self._build(authority)
            return self._sealers[authority.code]

    def _build(self, authority: Authority) -> OfdSealer:
        _ready(self.config)
        try:
            seal = load_sm2_seal(self.config.pki_dir, authority.code)
        except (OSError, ValueError) as exc:
            raise SealKeyError(f"no usable SM2 seal for {authority.code}: {exc}") from exc
        return make_sealer(seal.key, seal.cert, SealMaker(seal.root_key, seal.root), name=authority.name,
                           picture_png=_picture(authority), es_id=f"{authority.code}001")
