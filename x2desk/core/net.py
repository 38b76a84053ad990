"""HTTP plumbing shared by every API client: the https-only rule, timeouts, safe URLs for logs."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from x2desk.core.errors import InsecureUrl
from x2desk.core.redact import scrub

if TYPE_CHECKING:
    import httpx

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
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
        raise InsecureUrl(f"'{scrub(url)}' is not a valid address.") from exc
    if not host:
        raise InsecureUrl(f"'{scrub(url)}' is not a valid address: it has no host name.")
    if parts.scheme == "https" or (parts.scheme == "http" and is_loopback_host(host)):
        return url.strip().rstrip("/")
    raise InsecureUrl(
        f"Refused '{scrub(url)}': only https:// addresses are allowed "
        "(http:// only for this computer, 127.0.0.1 or localhost)."
    )


def safe_url(url: str) -> str:
    """The URL with secrets in its path (``/bot<TOKEN>/``, ``/qr/<token>``) masked: for logs."""
    return scrub(url)


def make_http_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with the contract's timeouts (connect 5 s, read 10 s), no redirects."""
    import httpx

    timeout = httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        transport=transport,
        headers={"User-Agent": "x2desk", "Accept": "application/json"},
    )
