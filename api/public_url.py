"""The base URL printed into licences (QR codes, CRL distribution points). Pure.

``ONCEONLY_PUBLIC_BASE_URL`` when set (behind a proxy or a domain name it must be); otherwise the
host and port ``serve`` listens on, so a service started on port 8123 never prints QR codes that
point at 8000. A wildcard bind address (0.0.0.0, ::) is no address a phone can open: the machine's
host name stands in for it.
"""

from __future__ import annotations

import socket

__all__ = ["public_base_url"]


def public_base_url(explicit: str | None, host: str, port: int) -> str:
    if explicit and explicit.strip():
        return explicit.strip().rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname() or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal
    return f"http://{host}:{port}"
