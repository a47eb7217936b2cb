"""The ``onceonly`` command. Subcommands are discovered: each module here defines ``register``.

Errors from any package are turned into a message and a stable exit code in one place (``main``).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from typing import Sequence

from api.errors import status_for

EXIT_USAGE = 2
EXIT_BY_STATUS = {400: 3, 401: 4, 403: 4, 404: 5, 409: 6, 413: 7, 415: 7, 422: 8, 503: 9}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onceonly", description="OnceOnly — 最多跑一次 document service")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(subparsers)
    return parser


def configure_fonts() -> None:
    """Commands that render without building the container (labels, licences) use the font too."""
    from api.container import cjk_font
    from api.settings import Settings
    from certgen import use_cjk_font

    use_cjk_font(cjk_font(Settings()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        configure_fonts()
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place errors become exit codes
        code = getattr(exc, "code", None)
        if code is None:
            raise
        zh = getattr(exc, "message_zh", "")
        print(f"error [{code}]: {exc}" + (f" / {zh}" if zh else ""), file=sys.stderr)
        return EXIT_BY_STATUS.get(status_for(exc), 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
