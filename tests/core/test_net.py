from __future__ import annotations

import logging
from datetime import UTC, datetime

import httpx
import pytest

from x2desk.core.errors import AnswerLost, CannotConnect, InsecureUrl
from x2desk.core.net import (
    is_loopback_host,
    json_body,
    make_http_client,
    require_secure,
    retry_after,
    send,
)


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


# ---- send / json_body / retry_after: the plumbing every API client shares ----------------------

SECRET_URL = "http://127.0.0.1:9/bot123456:SECRET-IN-PATH/getMe"


def _client_raising(exc: Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return make_http_client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow handshake"),
        httpx.PoolTimeout("no free connection"),
    ],
)
def test_send_maps_nothing_sent_to_cannot_connect(exc: Exception) -> None:
    with _client_raising(exc) as http, pytest.raises(CannotConnect) as info:
        send(http, "POST", SECRET_URL, json={"a": 1}, log_as="POST redeem", cannot_connect="X down")
    assert info.value.message == "X down"
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("no answer"),
        httpx.WriteTimeout("stuck"),
        httpx.ReadError("reset"),
        httpx.WriteError("broken pipe"),
        httpx.RemoteProtocolError("server hung up"),
        httpx.ProxyError("proxy"),
        httpx.UnsupportedProtocol("gopher"),
        httpx.TooManyRedirects("loop"),
    ],
)
def test_send_maps_everything_else_to_answer_lost_never_cannot_connect(exc: Exception) -> None:
    with _client_raising(exc) as http, pytest.raises(AnswerLost) as info:
        send(http, "POST", SECRET_URL, log_as="POST redeem")
    assert not isinstance(info.value, CannotConnect)
    assert info.value.message == AnswerLost.default_message
    assert info.value.__cause__ is None


def test_send_uses_the_callers_answer_lost_message() -> None:
    with _client_raising(httpx.ReadTimeout("x")) as http, pytest.raises(AnswerLost) as info:
        send(http, "GET", SECRET_URL, log_as="GET getMe", answer_lost="Green-API went quiet.")
    assert info.value.message == "Green-API went quiet."


def test_send_logs_log_as_never_the_url(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="x2desk.core.net")
    with _client_raising(httpx.ReadTimeout("x")) as http, pytest.raises(AnswerLost):
        send(http, "GET", SECRET_URL, log_as="GET getMe (bot 1)")
    assert "GET getMe (bot 1)" in caplog.text and "ReadTimeout" in caplog.text
    assert "SECRET-IN-PATH" not in caplog.text


def test_send_returns_any_status_with_headers_and_json() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(418, json={"echo": request.read().decode()})

    with make_http_client(transport=httpx.MockTransport(handler)) as http:
        response = send(
            http,
            "PATCH",
            "http://127.0.0.1:9/x",
            json={"k": 1},
            headers={"X-Api-Key": "s"},
            log_as="PATCH x",
        )
    assert response.status_code == 418
    assert seen[0].headers["X-Api-Key"] == "s" and seen[0].method == "PATCH"
    assert json_body(response) == {"echo": '{"k":1}'}


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", None), (b"not json", None), (b"\xff\xfe", None), (b'{"ok": true}', {"ok": True})],
)
def test_json_body(content: bytes, expected: object) -> None:
    assert json_body(httpx.Response(200, content=content)) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("inf", None),
        ("nan", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),  # a date: counted from `now`
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # a date in the past: no wait
    ],
)
def test_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC).timestamp()
    headers = {"Retry-After": header} if header is not None else {}
    assert retry_after(httpx.Response(429, headers=headers), now=now) == expected


def test_only_plain_localhost_counts_as_loopback_by_name() -> None:
    assert not is_loopback_host("evil.localhost")
    with pytest.raises(InsecureUrl):
        require_secure("http://app.localhost:8765/")


def test_an_unusable_header_is_cannot_connect_not_a_crash() -> None:
    import httpx

    from x2desk.core.errors import CannotConnect
    from x2desk.core.net import make_http_client, send

    def handler(request: httpx.Request) -> httpx.Response:  # never reached
        raise AssertionError("nothing may be sent")

    with make_http_client(httpx.MockTransport(handler)) as http, pytest.raises(CannotConnect):
        send(http, "GET", "https://h/x", headers={"X-Api-Key": "ключ"}, log_as="GET test")
