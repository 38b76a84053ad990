"""HTTP plumbing shared by every API client: the https-only rule, timeouts, safe URLs for logs,
sending one request with transport failures mapped, and reading a JSON body or Retry-After.

Each client keeps its own status-code mapping (that is its contract); what is the same for all of
them lives here.

Timeouts: httpx's are per read (connect 5 s, read 10 s), so an answer trickled a byte at a time
would never end. :func:`send` therefore also gives every request an overall deadline
(:data:`DEADLINE_S`, or a tighter one from :func:`overall_deadline`): the connection's socket
reads, writes and connects are cut to the time left (:mod:`x2desk.core.deadline`), and past it
the request fails like a read timeout.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import math
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from x2desk.core.clock import Clock
from x2desk.core.deadline import Deadline, install_deadlines, overall_deadline
from x2desk.core.errors import MAX_RETRY_AFTER_S, AnswerLost, CannotConnect, InsecureUrl
from x2desk.core.redact import scrub
from x2desk.i18n import _

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
DEADLINE_S = 20.0  # the longest one request may take, from connect to the last byte

__all__ = [
    "DEADLINE_S",
    "MAX_RETRY_AFTER_S",
    "Deadline",
    "is_loopback_host",
    "json_body",
    "make_http_client",
    "overall_deadline",
    "require_secure",
    "retry_after",
    "safe_url",
    "send",
]


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":  # not *.localhost: not every resolver keeps those on this machine
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_secure(url: str) -> str:
    """Return ``url`` (without a trailing slash) if it is https://, or http:// to loopback.

    Anything else raises :class:`InsecureUrl` before a byte is sent.
    """
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError as exc:
        raise InsecureUrl(_("'{url}' is not a valid address.").format(url=scrub(url))) from exc
    if not host:
        raise InsecureUrl(
            _("'{url}' is not a valid address: it has no host name.").format(url=scrub(url))
        )
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(host)):
        return url.strip().rstrip("/")
    raise InsecureUrl(
        _(
            "Refused '{url}': only https:// addresses are allowed (http:// only for this computer, "
            "127.0.0.1 or localhost)."
        ).format(url=scrub(url))
    )


def safe_url(url: str) -> str:
    """The URL with secrets in its path (``/bot<TOKEN>/``, ``/qr/<token>``) masked: for logs."""
    return scrub(url)


def make_http_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with the contract's timeouts (connect 5 s, read 10 s), no redirects, and
    the overall deadline of :func:`send` on its connections."""
    import httpx

    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    client = httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        transport=transport if transport is not None else httpx.HTTPTransport(),
        headers={"User-Agent": "x2desk", "Accept": "application/json"},
    )
    install_deadlines(client)
    return client


def send(
    http: httpx.Client,
    method: str,
    url: str,
    *,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    log_as: str,
    cannot_connect: str | None = None,
    answer_lost: str | None = None,
    deadline_s: float | None = None,
    clock: Clock | None = None,
) -> httpx.Response:
    """Send one request and return the response, whatever its status.

    The whole exchange ends within ``deadline_s`` (default :data:`DEADLINE_S`) by ``clock`` (the
    system's by default), or sooner when an enclosing :func:`overall_deadline` says so; past it,
    the request fails as a timeout would (below).

    Transport failures become x2desk errors, never chained (httpx errors hold the URL and the
    headers, which may carry secrets):

    - connect error, connect timeout, pool timeout: :class:`CannotConnect` (nothing was sent, so
      a caller may retry), with ``cannot_connect`` as its message when given;
    - anything else (read/write timeout, dropped connection, protocol error): :class:`AnswerLost`
      (bytes may have left: never retried as if nothing was sent), with ``answer_lost``.

    Only ``log_as`` (the method and a description, or a :func:`safe_url`) reaches the log: never
    ``url``, which may carry a token in its path.
    """
    import httpx

    log.debug("%s", log_as)
    started = time.monotonic()
    try:
        with overall_deadline(DEADLINE_S if deadline_s is None else deadline_s, clock):
            response = http.request(method, url, json=json, headers=headers)
    except (httpx.InvalidURL, UnicodeError) as exc:  # refused before anything was sent
        log.debug("%s: unusable address or header (%s)", log_as, type(exc).__name__)
        raise CannotConnect(cannot_connect) from None
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        log.info("%s: could not connect (%s)", log_as, type(exc).__name__)
        raise CannotConnect(cannot_connect) from None
    except httpx.HTTPError as exc:  # TransportError and anything else httpx invents
        log.info("%s: no answer (%s) after %d ms", log_as, type(exc).__name__, _ms_since(started))
        raise AnswerLost(answer_lost) from None
    log.info("%s -> %s in %d ms", log_as, response.status_code, _ms_since(started))
    return response


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def json_body(response: httpx.Response) -> Any | None:
    """The response's JSON, or None when it has no body or the body is not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:  # includes UnicodeDecodeError and json.JSONDecodeError
        return None


def retry_after(response: httpx.Response, now: float | None = None) -> float | None:
    """The ``Retry-After`` header in seconds (a number of seconds or an HTTP date), or None.

    A date is counted from ``now`` (wall-clock epoch seconds; the system clock when None). A
    negative wait is 0; a header that is neither a finite number nor a date is None. The value
    is what the server asked for: :class:`RateLimited` caps it at :data:`MAX_RETRY_AFTER_S`.
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
