"""How licences are issued: authorities, keys (file or PKCS#11), TSA, trust — and the signers built once.

``SignerPool`` builds one ``certgen.Signer`` per issuing authority the first time it is needed and
keeps it for the life of the process (keys are parsed once, PKCS#11 sessions opened once).
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from certgen import Signer, TrustMaterial, load_key_file, open_pkcs11_signer, seal_image
from certgen.pki import AuthoritySpec, InProcessTimeStamper, TimestampAuthority, init_dev_pki, load_dev_pki
from certgen.seal import load_seal_image
from intake.licences.errors import UnknownAuthorityError


@dataclass(frozen=True)
class Authority:
    """An issuing authority (发证机关): its USCC, name and seal."""

    code: str
    name: str
    seal_image: Path | None = None  # configured image; default: red round seal drawn from the name
    seal_subtitle: str = ""
    region_code: str = ""  # 管辖属地编码 (GB/T 2260)


@dataclass(frozen=True)
class LicensingConfig:
    templates_dir: Path
    authorities: tuple[Authority, ...]
    verify_base_url: str  # the public page the QR opens: {verify_base_url}/verify/{identifier}
    pki_dir: Path  # dev PKI (seals/<code>.p12, tsa, root, CRLs); also the default trust
    pades_level: str = "B-T"
    key_source: str = "file"  # file | pkcs11
    key_password: bytes | None = None
    key_files: dict[str, Path] = field(default_factory=dict)  # authority code -> .p12/.pem (default: pki)
    pkcs11_module: str = "/usr/lib/softhsm/libsofthsm2.so"
    pkcs11_token_label: str = ""
    pkcs11_pin: str = ""
    pkcs11_key_label: str = "{code}"  # formatted with the authority code
    tsa_url: str | None = None  # None: the dev PKI's TSA, in-process
    trust_roots: tuple[Path, ...] = ()  # default: the dev PKI's root
    trust_others: tuple[Path, ...] = ()
    crls: tuple[Path, ...] = ()
    allow_fetching: bool = False
    retention_days: int = 36500
    auto_pki: bool = False  # create the dev PKI on first use if it is missing (embedded default)
    crl_base_url: str = "http://127.0.0.1:8000/pki"

    @property
    def default_authority(self) -> Authority:
        if not self.authorities:
            raise UnknownAuthorityError("no issuing authority is configured")
        return self.authorities[0]

    def signs_for(self, name: str) -> bool:
        """Whether an authority of this name (a matter's department) has a seal here; notices of a
        department without one stay unsigned, clearly marked, never sealed by another body."""
        return any(a.name == name for a in self.authorities)

    def authority_named(self, name: str) -> Authority:
        """The authority of this name (a matter's department), else the default one."""
        return next((a for a in self.authorities if a.name == name), None) or self.default_authority

    def authority(self, code: str | None) -> Authority:
        if code is None:
            return self.default_authority
        for authority in self.authorities:
            if authority.code == code:
                return authority
        raise UnknownAuthorityError(f"issuing authority {code!r} is not configured",
                                    known=[a.code for a in self.authorities])


_PKI_LOCK = threading.Lock()


@contextmanager
def across_processes(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (this thread, then every process on the host)."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with _PKI_LOCK, open(lock_file, "a") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def ensure_dev_pki(config: LicensingConfig) -> None:
    """With ``auto_pki``, create the dev PKI the first time anything needs it (not at start-up).

    Two processes on one data folder (``serve --workers 2``) may both need it first: the one that
    gets the lock creates it, the other then finds it (writing the same files at once would mix
    two PKIs' certificates and keys)."""
    if not config.auto_pki or (config.pki_dir / "pki.json").exists():
        return
    with across_processes(config.pki_dir.parent / f".{config.pki_dir.name}.lock"):
        if (config.pki_dir / "pki.json").exists():
            return
        init_dev_pki(config.pki_dir, [AuthoritySpec(a.name, a.code) for a in config.authorities],
                     crl_base_url=config.crl_base_url, p12_password=config.key_password)


def trust_material(config: LicensingConfig) -> TrustMaterial:
    """Roots, intermediates and CRLs a verifier uses (the dev PKI's unless configured)."""
    if config.trust_roots:
        return TrustMaterial.from_files(config.trust_roots, others=config.trust_others, crls=config.crls,
                                        allow_fetching=config.allow_fetching)
    ensure_dev_pki(config)
    pki = load_dev_pki(config.pki_dir)
    return TrustMaterial.from_files((pki.root_cert,), others=(pki.issuing_cert,) + config.trust_others,
                                    crls=pki.crls + config.crls, allow_fetching=config.allow_fetching)


class SignerPool:
    """One long-lived ``Signer`` per authority, created on first use (thread-safe)."""

    def __init__(self, config: LicensingConfig) -> None:
        self.config = config
        self._signers: dict[str, Signer] = {}
        self._lock = threading.Lock()
        self._timestamper: InProcessTimeStamper | None = None
        self._trust: TrustMaterial | None = None

    @property
    def trust(self) -> TrustMaterial:
        if self._trust is None:
            self._trust = trust_material(self.config)
        return self._trust

    def timestamp_authority(self) -> TimestampAuthority | None:
        """The in-process dev TSA (None when a TSA URL is configured)."""
        if self.config.tsa_url:
            return None
        if self._timestamper is None:
            ensure_dev_pki(self.config)
            pki = load_dev_pki(self.config.pki_dir)
            self._timestamper = InProcessTimeStamper(
                TimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key, (pki.issuing_cert,)))
        return self._timestamper.authority

    def get(self, authority: Authority) -> Signer:
        signer = self._signers.get(authority.code)
        if signer is not None:
            return signer
        with self._lock:
            if authority.code not in self._signers:
                self._signers[authority.code] = self._build(authority)
            return self._signers[authority.code]

    def _build(self, authority: Authority) -> Signer:
        config = self.config
        if config.key_source == "file":
            ensure_dev_pki(config)
        pki = load_dev_pki(config.pki_dir) if config.pki_dir.exists() else None
        if config.key_source == "pkcs11":
            key = open_pkcs11_signer(
                config.pkcs11_module, config.pkcs11_token_label, config.pkcs11_pin,
                key_label=config.pkcs11_key_label.format(code=authority.code),
                chain=(pki.issuing_cert, pki.root_cert) if pki else (),
            )
        else:
            path = config.key_files.get(authority.code) or (pki.seal_p12(authority.code) if pki else None)
            if path is None:
                raise UnknownAuthorityError(f"no key file configured for {authority.code}")
            key = load_key_file(path, passphrase=config.key_password)
        image = (load_seal_image(authority.seal_image) if authority.seal_image
                 else seal_image(authority.name, authority.seal_subtitle))
        timestamper = None
        if not config.tsa_url and config.pades_level != "B-B":
            self.timestamp_authority()
            timestamper = self._timestamper
        return Signer(key, level=config.pades_level, timestamper=timestamper, tsa_url=config.tsa_url,
                      trust=self.trust if config.pades_level in ("B-LT", "B-LTA") else None, seal=image,
                      serialize=config.key_source == "pkcs11")
