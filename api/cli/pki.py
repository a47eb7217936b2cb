"""``onceonly pki``: create the dev PKI, export its trust root, refresh CRLs, run its TSA on loopback."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pki", help="development PKI: root CA, issuing CA, seal certs, TSA")
    sub = parser.add_subparsers(dest="pki_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="create root CA, issuing CA, one seal cert per authority, TSA, CRLs")
    init.add_argument("--force", action="store_true", help="replace an existing PKI")
    init.add_argument("--key-type", choices=("rsa", "ec"), default="rsa")
    init.set_defaults(func=run_init)
    root = sub.add_parser("root", help="export the trust root verifiers need (PEM)")
    root.add_argument("--out", type=Path, required=True)
    root.add_argument("--sm2", action="store_true", help="the SM2 root of OFD seals instead of the PAdES root")
    root.set_defaults(func=run_root)
    crl = sub.add_parser("crl", help="re-issue the CRLs (verifiers require current revocation data)")
    crl.set_defaults(func=run_crl)
    tsa = sub.add_parser("tsa", help="serve the dev TSA over HTTP on loopback (RFC 3161)")
    tsa.add_argument("--port", type=int, default=3161)
    tsa.set_defaults(func=run_tsa)


def _config():  # type: ignore[no-untyped-def]
    """The licensing configuration from the environment (ONCEONLY_PKI_DIR, ONCEONLY_LICENCE_*)."""
    from api.container import licensing_config
    from api.settings import Settings

    return licensing_config(Settings())


def run_init(args: argparse.Namespace) -> int:
    from intake import create_pki

    pki = create_pki(_config(), force=args.force, key_type=args.key_type)
    print(f"dev PKI created in {pki.directory}")
    for authority in pki.authorities:
        print(f"  seal {authority.code} {authority.name}: {pki.seal_p12(authority.code)}")
    print(f"  trust root: {pki.root_cert}  TSA: {pki.tsa_cert}")
    print(f"  SM2 root (OFD seals): {pki.directory / 'sm2' / 'root.pem'}, SM2 seals in {pki.directory / 'sm2' / 'seals'}")
    return 0


def run_root(args: argparse.Namespace) -> int:
    from intake import sm2_root_pem, trust_root_pem

    tmp = args.out.with_name(args.out.name + ".part")
    tmp.write_bytes(sm2_root_pem(_config()) if args.sm2 else trust_root_pem(_config()))
    os.replace(tmp, args.out)
    print(f"trust root written to {args.out}")
    return 0


def run_crl(args: argparse.Namespace) -> int:
    from intake import reissue_crls

    reissue_crls(_config())
    print("CRLs re-issued")
    return 0


def run_tsa(args: argparse.Namespace) -> int:
    from intake import serve_timestamps

    server = serve_timestamps(_config(), port=args.port)
    print(f"TSA listening on {server.url} (Ctrl-C stops it)", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        server.close()
