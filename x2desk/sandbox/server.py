"""The sandbox HTTP server: a threaded stdlib server serving API.md from one origin.

``/api/v1`` is X2Chat, ``/v2`` the connections provider, ``/waInstance...`` Green-API and
``/_sandbox/`` the phone. All time comes from the injected clock.

    with SandboxServer(clock=FakeClock()) as sandbox:
        phone = SandboxPhone(sandbox.url)
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError
from x2desk.core.net import is_loopback_host
from x2desk.core.redact import scrub
from x2desk.sandbox import control, greenapi, provider, x2chat
from x2desk.sandbox.faults import Fault
from x2desk.sandbox.limits import Limits
from x2desk.sandbox.masking import mask_path
from x2desk.sandbox.sim import Simulator
from x2desk.sandbox.wire import BodyTooLarge, Request, Response, json_response, read_chunked

log = logging.getLogger("x2desk.sandbox")

MAX_BODY = 1 << 20
REQUEST_LOG_LIMIT = 2000  # entries kept in /_sandbox/requests (the newest)


class SandboxServer:
    """A running sandbox. ``start()`` serves in a daemon thread; ``stop()`` ends it."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        allow_remote: bool = False,
        **limits: Any,
    ) -> None:
        if not allow_remote and not is_loopback_host(host):
            raise InputError(
                f"Refusing to serve the sandbox on '{host}': it is not this computer, and the "
                "sandbox has no authentication. Use 127.0.0.1, or pass --allow-remote "
                "(allow_remote=True) if you really mean to expose it."
            )
        self.host = host
        self.port = port
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.limits = Limits.from_kwargs(**limits)
        self.sim = Simulator(self.clock, self.limits)
        self.random = random.Random()  # the --latency waits
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the sandbox is not started")
        host, port = self._httpd.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{port}"

    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        try:
            self._httpd = _HttpServer(self, (self.host, self.port))
        except OSError as exc:
            raise InputError(
                f"Cannot serve the sandbox on {self.host}:{self.port}: {exc.strerror or exc}. "
                "Pick another --port (0 picks a free one)."
            ) from exc
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="x2desk-sandbox",
            daemon=True,
        )
        self._thread.start()
        log.info("sandbox serving on %s", self.url)
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- dispatch ------------------------------------------------------------------------------

    def dispatch(self, req: Request) -> Response:
        path = req.path
        try:
            if path.startswith(control.PREFIX + "/"):
                return control.handle(self.sim, req)
            if path.startswith(x2chat.PREFIX + "/"):
                return x2chat.handle(self.sim, req)
            if path.startswith(provider.PREFIX + "/"):
                return provider.handle(self.sim, req)
            if path.startswith("/waInstance"):
                return greenapi.handle(self.sim, req)
        except Exception as exc:  # a sandbox bug: answer 500, log it masked
            log.error("sandbox error on %s %s: %s", req.method, mask_path(path), type(exc).__name__)
            log.debug("%s", scrub(traceback.format_exc()))
            return Response(500, {"error": "INTERNAL", "detail": type(exc).__name__})
        return Response(
            404,
            {"error": "NOT_FOUND", "detail": "the sandbox serves /api/v1, /v2, /waInstance..."},
        )

    def record(self, method: str, path: str, status: int | None, fault: str | None) -> None:
        entry = {
            "method": method,
            "path": mask_path(path),
            "status": status,
            "at": self.clock.time(),
        }
        if fault:
            entry["fault"] = fault
        with self.sim.lock:
            self.sim.requests.append(entry)
            if len(self.sim.requests) > REQUEST_LOG_LIMIT:  # a long-running sandbox stays small
                del self.sim.requests[: len(self.sim.requests) - REQUEST_LOG_LIMIT]
        log.info("%s %s -> %s%s", method, entry["path"], status, f" ({fault})" if fault else "")


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the listen backlog: 5 (the default) stalls bursts of connects

    def __init__(self, sandbox: SandboxServer, address: tuple[str, int]) -> None:
        self.sandbox = sandbox
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer is normal here (timeouts, drops): no traceback."""
        log.debug("connection from %s ended early", client_address[0])


def _fault_response(fault: Fault, path: str) -> Response:
    status = int(fault.value or 500)
    retry_after = fault.retry_after  # None on a 429: no Retry-After at all (asked for)
    if path.startswith(x2chat.PREFIX + "/bot"):
        return x2chat.bot_error(status, "Injected fault", retry_after)
    body: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "error": "INJECTED",
        "detail": "fault injected by /_sandbox/faults",
    }
    response = json_response(status, body, retry_after)
    if retry_after is not None:
        body["retry_after"] = int(response.headers["Retry-After"])
    return response


def _headers(response: Response, length: int) -> list[tuple[str, str]]:
    content_type = response.content_type
    if content_type.startswith(("application/json", "text/")) and "charset" not in content_type:
        content_type += "; charset=utf-8"
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(length)),
        ("Cache-Control", "no-store"),
    ]
    return headers + list(response.headers.items())


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "x2desk-sandbox"
    sys_version = ""
    timeout = 15  # an idle client cannot hold a thread forever

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    # The stdlib logs the raw request line (with tokens in it) to stderr: never.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http: %s", scrub(mask_path(format % args)))

    def _serve(self) -> None:
        sandbox = self.server.sandbox
        raw = self._read_body()
        if raw is None:
            return
        split = urlsplit(self.path)
        path = split.path or "/"
        host = self.headers.get("Host")
        base_url = f"http://{host}" if host else sandbox.url
        req = Request(
            method=self.command,
            path=path,
            query=parse_qs(split.query, keep_blank_values=True),
            raw_body=raw,
            headers={k.lower(): v for k, v in self.headers.items()},
            client_ip=self.client_address[0],
            base_url=base_url,
        )
        sandbox_path = path.startswith(control.PREFIX + "/")
        low, high = sandbox.limits.latency_s
        if high > 0 and not sandbox_path:  # a slower server (--latency): real time, not the clock
            time.sleep(sandbox.random.uniform(low, high))
        fault = None if sandbox_path else sandbox.sim.faults.take(path)
        if fault is not None and self._fault_before(fault, path):
            return
        response = sandbox.dispatch(req)
        if not sandbox_path:
            sandbox.record(self.command, path, response.status, fault.kind if fault else None)
        if fault is not None and fault.kind == "drop_after_commit":
            self._drop()
        elif fault is not None and fault.kind == "trickle":
            self._trickle(response, fault.value or 0.05)
        else:
            self._write(response)

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked); None when an error was answered."""
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if chunked:
            try:
                return read_chunked(self.rfile, MAX_BODY)
            except BodyTooLarge:
                self._write(Response(413, {"error": "BAD_LENGTH", "detail": "body too large"}))
            except ValueError:
                self._write(Response(400, {"error": "BAD_REQUEST", "detail": "bad chunked body"}))
            self.close_connection = True
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._write(Response(413, {"error": "BAD_LENGTH", "detail": "body too large"}))
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _fault_before(self, fault: Fault, path: str) -> bool:
        """Apply a fault that acts before the endpoint runs; True when it answered already."""
        sandbox = self.server.sandbox
        if fault.kind == "latency":
            time.sleep(fault.value or 0)
        elif fault.kind == "status":
            response = _fault_response(fault, path)
            sandbox.record(self.command, path, response.status, fault.kind)
            self._write(response)
            return True
        elif fault.kind == "drop":
            sandbox.record(self.command, path, None, fault.kind)
            self._drop()
            return True
        elif fault.kind == "malformed":
            sandbox.record(self.command, path, 200, fault.kind)
            self._write(Response(200, b"<html>502 upstream hiccup", content_type="text/html"))
            return True
        return False

    def _write(self, response: Response) -> None:
        payload = response.payload()
        self.send_response(response.status)
        for name, value in _headers(response, len(payload)):
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _trickle(self, response: Response, interval: float) -> None:
        """The whole answer, status line included, one byte every ``interval`` seconds (until
        the client hangs up): a server that never quite stops answering."""
        payload = response.payload()
        lines = [f"{self.protocol_version} {response.status} {_phrase(response.status)}"]
        lines += [f"{name}: {value}" for name, value in _headers(response, len(payload))]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload
        self.close_connection = True
        for index in range(len(raw)):
            try:
                self.wfile.write(raw[index : index + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(interval)

    def _drop(self) -> None:
        """Close the connection without a byte of answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
