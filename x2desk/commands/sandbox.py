"""``x2desk sandbox``: run the local stand-in for X2Chat, the provider and Green-API."""

from __future__ import annotations

import argparse
import logging
import threading

from x2desk.i18n import _
from x2desk.sandbox import knobs


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on (127.0.0.1)"))
    parser.add_argument("--port", type=int, default=8765, help=_("port (8765; 0 picks a free one)"))
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_("allow a non-loopback --host (the sandbox has no authentication)"),
    )
    knobs.add_arguments(parser)  # --latency, --qr-rotate, --fail-after-scan


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    from x2desk.core.errors import InputError
    from x2desk.sandbox.server import SandboxServer

    if not 0 <= args.port <= 65535:
        raise InputError(_("--port {port} is not a port number (0-65535).").format(port=args.port))
    logging.getLogger("x2desk.sandbox").setLevel(logging.INFO)
    limits = knobs.limits_from_args(args)
    server = SandboxServer(args.host, args.port, allow_remote=args.allow_remote, **limits).start()
    url = server.url
    # untranslated: a developer's tool; ./run and the tests read this line
    print(f"x2desk sandbox serving on {url}  (X2Chat {url}/api/v1, provider {url}/v2)", flush=True)
    if limits:
        print(knobs.describe(limits), flush=True)
    print(
        _(
            "Issue a token: curl -s -X POST {url}/_sandbox/x2chat/issue -d '{{}}'  then: x2desk "
            "redeem <deep_link> --api-base {url}/api/v1   (Ctrl-C stops)"
        ).format(url=url),
        flush=True,
    )
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        print(_("x2desk sandbox stopped."), flush=True)
    finally:
        server.stop()
    return 0
