"""An overall deadline for HTTP requests, enforced on the socket.

httpx's timeouts are per read, so a server that trickles its answer a byte at a time (in the
headers or the body) holds a request for as long as it likes. Here the connection's network
stream cuts every connect, read and write to the time left before the deadline of the request
in progress, and fails past it with httpcore's own timeout errors, which httpx maps to
``ConnectTimeout``/``ReadTimeout``/``WriteTimeout`` as usual.

The deadline in force is a context variable set by :func:`overall_deadline` (nested ones keep
the earliest), so one client may serve several threads, each with its own deadline. The stream
wrapper goes into httpcore's connection pool through its documented ``NetworkBackend``
interface; httpx does not expose the pool's backend, so :func:`install_deadlines` sets it on
each transport's pool and says whether it could (a test fails if an httpx upgrade breaks this).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from x2desk.core.clock import SYSTEM_CLOCK, Clock

if TYPE_CHECKING:
    import ssl

    import httpcore
    import httpx


@dataclass(frozen=True)
class Deadline:
    at: float  # by clock.monotonic()
    clock: Clock

    def remaining(self) -> float:
        return self.at - self.clock.monotonic()


_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "x2desk_deadline", default=None
)


def current_deadline() -> Deadline | None:
    return _current.get()


@contextmanager
def overall_deadline(seconds: float, clock: Clock | None = None) -> Iterator[Deadline]:
    """Every request sent inside ends within ``seconds`` (by ``clock``); an enclosing deadline
    that ends sooner stays in force."""
    clock = clock or SYSTEM_CLOCK
    mine = Deadline(clock.monotonic() + seconds, clock)
    outer = _current.get()
    if outer is not None and outer.remaining() < seconds:
        mine = outer
    token = _current.set(mine)
    try:
        yield mine
    finally:
        _current.reset(token)


def _cut(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to the time left; ``error`` when none is left."""
    deadline = _current.get()
    if deadline is None:
        return timeout
    left = deadline.remaining()
    if left <= 0:
        raise error("the overall deadline passed")
    return left if timeout is None else min(timeout, left)


def _stream_class() -> type:
    import httpcore

    class DeadlineStream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._inner.read(max_bytes, _cut(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, _cut(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.NetworkStream:
            cut = _cut(timeout, httpcore.ConnectTimeout)
            return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, cut))

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    return DeadlineStream


def _backend_class() -> type:
    import httpcore

    stream = _stream_class()

    class DeadlineBackend(httpcore.NetworkBackend):
        def __init__(self, inner: httpcore.NetworkBackend) -> None:
            self.inner = inner

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            cut = _cut(timeout, httpcore.ConnectTimeout)
            return stream(self.inner.connect_tcp(host, port, cut, local_address, socket_options))

        def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> httpcore.NetworkStream:
            cut = _cut(timeout, httpcore.ConnectTimeout)
            return stream(self.inner.connect_unix_socket(path, cut, socket_options))

        def sleep(self, seconds: float) -> None:
            self.inner.sleep(seconds)

    return DeadlineBackend


_BACKEND: type | None = None


def install_deadlines(client: httpx.Client) -> int:
    """Put the deadline stream under every HTTP transport of ``client`` (its own and its proxy
    mounts); return how many took it. Other transports (a test's MockTransport) are left as
    they are."""
    global _BACKEND
    if _BACKEND is None:
        _BACKEND = _backend_class()
    transports = [getattr(client, "_transport", None)]
    transports += list(getattr(client, "_mounts", {}).values())
    done = 0
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is None:
            continue
        if not isinstance(backend, _BACKEND):
            pool._network_backend = _BACKEND(backend)  # type: ignore[union-attr]
        done += 1
    return done
