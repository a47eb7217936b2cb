"""``onceonly setup``: prepare a fresh install (data folder, database, first admin key)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("setup", help="prepare a fresh install: database, folders, first admin key")
    parser.add_argument("--clerk-name", default="窗口工作人员",
                        help="display name of the first clerk key, printed on notices as 经办人")
    parser.set_defaults(func=setup)


def setup(args: argparse.Namespace) -> int:
    from api.container import build_container
    from api.settings import Settings

    settings = Settings()
    container = build_container(settings)
    try:
        keys = container.archive.keys.list()
        if not keys:
            plaintext, _ = container.archive.keys.create(name="first admin", role="admin")
            clerk, _ = container.archive.keys.create(name="desk clerk", role="clerk",
                                                     display_name=getattr(args, "clerk_name", None) or "窗口工作人员")
            print(f"admin key (shown once): {plaintext}")
            print(f"clerk key (shown once): {clerk}")
        print(f"data: {settings.data_dir}  database: {settings.effective_database_url}")
    finally:
        container.close()
    return 0
