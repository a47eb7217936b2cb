"""``onceonly serve``: run the HTTP service (embedded default: SQLite + local folder archive)."""

from __future__ import annotations

import argparse
import os

# A worker that does not answer its supervisor's ping within this many seconds is killed and replaced.
# uvicorn's default (5 s) is shorter than a busy worker on a loaded machine can take to be scheduled (it
# happened during start-up and under concurrent licence issuance): the requests in flight were
# dropped. A truly hung worker is still replaced, a little later.
WORKER_HEALTHCHECK_SECONDS = 60


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="run the HTTP service")
    parser.add_argument("--host", help="bind address (default ONCEONLY_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default ONCEONLY_PORT or 8000)")
    parser.add_argument("--workers", type=int, default=1, help="server processes (on Linux each on its own SO_REUSEPORT socket)")
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.cli import processes
    from api.observability import configure_logging
    from api.settings import Settings

    settings = Settings()
    host = args.host or settings.host
    port = args.port or settings.port
    # the QR codes of licences follow where the service really listens (unless ONCEONLY_PUBLIC_BASE_URL)
    os.environ["ONCEONLY_HOST"], os.environ["ONCEONLY_PORT"] = host, str(port)
    settings = Settings()
    proxies = {"proxy_headers": bool(settings.forwarded_allow_ips.strip()),
               "forwarded_allow_ips": settings.forwarded_allow_ips.strip() or None}
    if args.workers > 1 and processes.supported():
        configure_logging(settings.log_level)
        supervisor = processes.Supervisor("api.asgi:app", host, port, args.workers, {"log_config": None, **proxies},
                                          healthcheck_seconds=WORKER_HEALTHCHECK_SECONDS)
        return supervisor.run()
    if args.workers > 1:  # one shared socket (where SO_REUSEPORT does not spread connections)
        uvicorn.run("api.asgi:app", host=host, port=port, workers=args.workers, log_config=None,
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS, **proxies)
    else:
        uvicorn.run(create_app(settings, freeze_gc=True), host=host, port=port, log_config=None, **proxies)
    return 0
