"""``onceonly keys create|list|rename|centre|revoke``: API keys for every role (centres, applicants' owners)."""

from __future__ import annotations

import argparse
import json

from archive import ROLES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("keys", help="manage API keys")
    sub = parser.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=list(ROLES))
    create.add_argument("--scope", action="append", default=[], help="document type a system key may read")
    create.add_argument("--name", required=True, help="who holds the key (agency system, clerk name)")
    create.add_argument("--display-name", help="the holder's name as printed on notices (e.g. 王小红)")
    create.add_argument("--centre", help="service centre of a clerk or approver (e.g. wz-lucheng): their cases")
    create.add_argument("--owner-code", help="the citizen or company an applicant key stands for (required for it)")
    create.add_argument("--expires-days", type=int, default=None)
    create.set_defaults(func=create_key)
    listing = sub.add_parser("list", help="list keys (never their secrets)")
    listing.set_defaults(func=list_keys)
    rename = sub.add_parser("rename", help="set the display name of a key's holder (printed as 经办人)")
    rename.add_argument("key_id")
    rename.add_argument("display_name")
    rename.set_defaults(func=rename_key)
    centre = sub.add_parser("centre", help="move a clerk's or approver's key to another service centre")
    centre.add_argument("key_id")
    centre.add_argument("centre", help="the centre id (wz-lucheng); '' for none")
    centre.set_defaults(func=move_key)
    revoke = sub.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=revoke_key)


def _archive():  # type: ignore[no-untyped-def]
    from api.container import build_container
    from api.settings import Settings

    return build_container(Settings()).archive


def create_key(args: argparse.Namespace) -> int:
    plaintext, record = _archive().keys.create(
        name=args.name, role=args.role, scopes=tuple(args.scope), expires_in_days=args.expires_days,
        display_name=args.display_name, centre=args.centre, owner_code=args.owner_code,
    )
    print(plaintext)
    bound = (f", centre {record.centre}" if record.centre else "") + (
        f", owner {record.owner_code}" if record.owner_code else "")
    print(f"# key id {record.id}, role {record.role}, scopes {list(record.scopes)}{bound}; shown only once",
          flush=True)
    return 0


def move_key(args: argparse.Namespace) -> int:
    record = _archive().keys.set_centre(args.key_id, args.centre)
    print(f"# key {record.id}: centre {record.centre or '(none)'}")
    return 0


def rename_key(args: argparse.Namespace) -> int:
    record = _archive().keys.set_display_name(args.key_id, args.display_name)
    print(f"# key {record.id}: {record.shown_name}")
    return 0


def list_keys(_args: argparse.Namespace) -> int:
    for record in _archive().keys.list():
        print(json.dumps({
            "id": record.id, "name": record.name, "display_name": record.display_name, "role": record.role,
            "scopes": list(record.scopes), "centre": record.centre, "owner_code": record.owner_code,
            "expires_at": record.expires_at.isoformat() if record.expires_at else None,
            "revoked": record.revoked_at is not None,
        }, ensure_ascii=False))
    return 0


def revoke_key(args: argparse.Namespace) -> int:
    _archive().keys.revoke(args.key_id)
    print(f"revoked {args.key_id}")
    return 0
