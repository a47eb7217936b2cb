"""``onceonly pki``: create the dev PKI, export its trust root, refresh CRLs, run its TSA on loopback."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from certgen.pki import AuthoritySpec, PkiError, init_dev_pki, load_dev_pki, refresh_crls


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pki", help="development PKI: root CA, issuing CA, seal certs, TSA")
    sub = parser.add_subparsers(dest="pki_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create root CA, issuing CA, one seal cert per authority, TSA, CRLs")
    init.add_argument("--dir", type=Path, help="PKI folder (default: ONCEONLY_PKI_DIR or data_dir/pki)")
    init.add_argument("--force", action="store_true", help="replace an existing PKI")
    init.add_argument("--key-type", choices=("rsa", "ec"), default="rsa")
    init.set_defaults(func=run_init)
    root = sub.add_parser("root", help="export the trust root verifiers need (PEM)")
    root.add_argument("--out", type=Path, required=True)
    root.add_argument("--dir", type=Path)
    root.set_defaults(func=run_root)
    crl = sub.add_parser("crl", help="re-issue the CRLs (verifiers require current revocation data)")
    crl.add_argument("--dir", type=Path)
    crl.set_defaults(func=run_crl)
    tsa = sub.add_parser("tsa", help="serve the dev TSA over HTTP on loopback (RFC 3161)")
    tsa.add_argument("--dir", type=Path)
    tsa.add_argument("--port", type=int, default=3161)
    tsa.set_defaults(func=run_tsa)


def _settings():  # type: ignore[no-untyped-def]
    from api.settings import Settings

    return Settings()


def _dir(args: argparse.Namespace) -> Path:
    if args.dir:
        return args.dir
    settings = _settings()
    return settings.pki_dir or settings.data_dir / "pki"


def run_init(args: argparse.Namespace) -> int:
    settings = _settings()
    directory = _dir(args)
    authorities = []
    for entry in settings.licence_authorities:
        code, _, rest = entry.partition(":")
        authorities.append(AuthoritySpec(rest.partition(":")[0].strip(), code.strip().upper()))
    if args.force and directory.exists():
        shutil.rmtree(directory)
    password = settings.licence_key_password.encode("utf-8") if settings.licence_key_password else None
    pki = init_dev_pki(directory, authorities, key_type=args.key_type, p12_password=password,
                       crl_base_url=f"{settings.public_base_url.rstrip('/')}/pki")
    print(f"dev PKI created in {pki.directory}")
    for authority in pki.authorities:
        print(f"  seal {authority.code} {authority.name}: {pki.seal_p12(authority.code)}")
    print(f"  trust root: {pki.root_cert}  TSA: {pki.tsa_cert}")
    return 0


def run_root(args: argparse.Namespace) -> int:
    pki = load_dev_pki(_dir(args))
    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_bytes(pki.root_cert.read_bytes())
    os.replace(tmp, args.out)
    print(f"trust root written to {args.out}")
    return 0


def run_crl(args: argparse.Namespace) -> int:
    refresh_crls(load_dev_pki(_dir(args)))
    print("CRLs re-issued")
    return 0


def run_tsa(args: argparse.Namespace) -> int:
    from certgen.pki import TimestampAuthority, serve_tsa

    pki = load_dev_pki(_dir(args))
    if not pki.tsa_key.exists():
        raise PkiError("the PKI has no TSA key")
    server = serve_tsa(TimestampAuthority.from_files(pki.tsa_cert, pki.tsa_key, (pki.issuing_cert,)),
                       port=args.port)
    print(f"TSA listening on {server.url} (Ctrl-C stops it)")
    try:
        while True:
            time.sleep(3600)
    finally:
        server.close()
