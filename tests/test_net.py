from __future__ import annotations

import pytest

from x2desk.core.errors import InsecureUrl
from x2desk.core.net import is_loopback_host, require_secure


@pytest.mark.parametrize(
    "url",
    [
        "https://ix.x2chat.com/api/v1",
        "http://127.0.0.1:8765/api/v1",
        "http://127.3.4.5/x",
        "http://localhost:1/",
        "http://[::1]:80/",
    ],
)
def test_allowed(url: str) -> None:
    assert require_secure(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://ix.x2chat.com/api/v1", "ftp://127.0.0.1/", "http://10.0.0.1/", "nonsense", ""],
)
def test_refused_before_sending(url: str) -> None:
    with pytest.raises(InsecureUrl) as info:
        require_secure(url)
    assert "https://" in info.value.message or "not a valid address" in info.value.message


def test_loopback_detection() -> None:
    assert is_loopback_host("127.0.0.1")
    assert is_loopback_host("LOCALHOST")
    assert not is_loopback_host("example.com")
    assert not is_loopback_host("192.168.1.1")
