"""The Green-API client (API.md section 4): real HTTP to the sandbox on 127.0.0.1, plus the PNG
checks and input checks as plain unit tests. Every answer ``type``, every state and every error."""

from __future__ import annotations

import base64
import logging
import socket
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from x2desk.core import redact
from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    InputError,
    InsecureUrl,
    InvalidAuth,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    ServerError,
    X2DeskError,
)
from x2desk.core.greenapi.client import (
    MAX_PNG_BYTES,
    QR_ERRORS,
    GreenApiClient,
    check_api_token,
    check_instance_id,
    check_qr_png,
    parse_qr,
    parse_state,
    read_qr_png,
)
from x2desk.core.secret import Secret
from x2desk.sandbox.phone import QrRefused, SandboxPhone
from x2desk.sandbox.qrpng import qr_png, qr_png_base64
from x2desk.sandbox.server import SandboxServer

TOKEN = "a1" * 25


def png_with_size(width: int, height: int, body: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR"))
    return b"\x89PNG\r\n\x1a\n" + chunk + body


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# ---- unit: inputs and the PNG checks ------------------------------------------------------------


def test_instance_id_is_digits_with_the_prefix_and_spaces_dropped() -> None:
    assert check_instance_id(" 1101 000001 ") == "1101000001"
    assert check_instance_id("waInstance1101000001") == "1101000001"
    assert check_instance_id(1101000001) == "1101000001"
    for bad, words in (("", "Type the instance"), ("11a01", "digits only"), ("-5", "digits")):
        with pytest.raises(InputError, match=words):
            check_instance_id(bad)


def test_api_token_form_is_checked_and_never_echoed() -> None:
    assert check_api_token(Secret(f"  {TOKEN}\n")).reveal() == TOKEN
    with pytest.raises(InputError, match="Paste"):
        check_api_token(Secret("   "))
    bad = "abc/def" + "x" * 30
    with pytest.raises(InputError, match="37 characters") as caught:
        check_api_token(Secret(bad))
    assert bad not in caught.value.message


def test_a_real_qr_png_passes_and_reads_back_to_its_payload() -> None:
    payload = "2@abcDEF,0123456789abcdef,1101000001"
    png = check_qr_png(qr_png_base64(payload))
    assert png.startswith(b"\x89PNG")
    assert read_qr_png(png) == payload
    # the browser form ("data:image/png;base64,...") is accepted too
    assert check_qr_png("data:image/png;base64," + qr_png_base64(payload)) == png


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (None, "without an image"),
        ("", "without an image"),
        ("not base64 at all!", "not base64"),
        (b64(b"GIF89a" + b"\0" * 40), "not a PNG"),
        (b64(b"\x89PNG\r\n\x1a\n" + b"\0" * 30), "no image header"),
        (b64(png_with_size(10, 10)), "10x10 image"),
        (b64(png_with_size(5000, 300)), "5000x300 image"),
        ("A" * (MAX_PNG_BYTES * 2), "larger than"),
    ],
)
def test_anything_but_a_sane_png_is_refused_with_what_was_wrong(message: Any, words: str) -> None:
    with pytest.raises(BadAnswer, match=words):
        check_qr_png(message)


def test_a_png_that_holds_no_qr_or_cannot_be_opened_reads_as_none() -> None:
    import cv2
    import numpy as np

    ok, white = cv2.imencode(".png", np.full((120, 120), 255, np.uint8))
    assert ok and read_qr_png(check_qr_png(b64(white.tobytes()))) is None
    assert read_qr_png(qr_png("x")[:40]) is None  # truncated: OpenCV cannot open it


def test_a_transparent_rgba_qr_is_read_on_white() -> None:
    import cv2
    import numpy as np

    gray = cv2.imdecode(np.frombuffer(qr_png("rgba payload"), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert gray is not None
    rgba = np.zeros((*gray.shape, 4), np.uint8)
    rgba[:, :, 3] = 255 - gray  # dark modules opaque black, the rest transparent
    ok, png = cv2.imencode(".png", rgba)
    assert ok and read_qr_png(png.tobytes()) == "rgba payload"


def test_every_qr_type_is_mapped() -> None:
    code = parse_qr({"type": "qrCode", "message": qr_png_base64("hello")})
    assert code.png is not None and not code.already
    for kind in ("alreadyLogged", "already_registered"):
        answer = parse_qr({"type": kind, "message": "instance account already authorized"})
        assert answer.already and answer.png is None
        assert "already authorised" in answer.explanation
    for error, text in QR_ERRORS.items():
        answer = parse_qr({"type": "error", "message": error})
        assert answer.error == error and answer.explanation == text
    assert "unreachable" in QR_ERRORS["timeout"]
    assert "contact Green-API support" in QR_ERRORS["not_ready"]
    assert "refused" in QR_ERRORS["connection_closed"]
    odd = parse_qr({"type": "error", "message": "quota_exceeded"})
    assert "quota_exceeded" in odd.explanation and "support" in odd.explanation
    with pytest.raises(BadAnswer, match="unknown type 'weird'"):
        parse_qr({"type": "weird", "message": ""})
    with pytest.raises(BadAnswer, match="no 'type'"):
        parse_qr(["not", "a", "dict"])


def test_every_state_is_known_and_others_are_refused() -> None:
    for state in (
        "notAuthorized",
        "authorized",
        "pendingPassword",
        "starting",
        "sleepMode",
        "blocked",
        "yellowCard",
    ):
        assert parse_state({"stateInstance": state}) == state
    with pytest.raises(BadAnswer, match="unknown instance state"):
        parse_state({"stateInstance": "dancing"})
    with pytest.raises(BadAnswer, match="no 'stateInstance'"):
        parse_state({})


def test_plain_http_to_a_remote_host_is_refused_before_sending() -> None:
    with pytest.raises(InsecureUrl):
        GreenApiClient("http://api.green-api.com", "1101", Secret(TOKEN))


def test_the_token_never_shows_in_repr() -> None:
    client = GreenApiClient("https://api.green-api.com", "1101", Secret(TOKEN))
    assert TOKEN not in repr(client) and "1101" in repr(client)


# ---- integration: the sandbox over real HTTP ---------------------------------------------------


@pytest.fixture
def instance(phone: SandboxPhone) -> dict[str, Any]:
    return phone.greenapi_instance()


@pytest.fixture
def client(sandbox: SandboxServer, instance: dict[str, Any]) -> Iterator[GreenApiClient]:
    with GreenApiClient(
        sandbox.url, instance["idInstance"], Secret(instance["apiTokenInstance"])
    ) as client:
        yield client


def test_qr_then_scan_then_authorised_then_already_logged(
    client: GreenApiClient, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    assert client.state() == "notAuthorized"
    answer = client.qr()
    assert answer.type == "qrCode" and answer.png is not None
    payload = read_qr_png(answer.png)
    assert payload is not None and payload.endswith(str(instance["idInstance"]))
    phone.scan(payload)
    assert client.state() == "authorized"
    assert client.qr().type == "alreadyLogged"
    phone.greenapi_control(instance["idInstance"], already_type="already_registered")
    assert client.qr().already


def test_a_stale_qr_is_refused_by_the_phone(
    client: GreenApiClient, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    first = client.qr().png
    assert first is not None
    fake_clock.advance(21)  # the sandbox's QR payload rotates every 20 s
    second = client.qr().png
    assert second is not None and second != first
    with pytest.raises(QrRefused):
        phone.scan(read_qr_png(first) or "")
    assert client.state() == "notAuthorized"


def test_qr_error_answers_come_back_as_answers(
    client: GreenApiClient, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    errors = ["timeout", "not_ready", "connection_closed"]
    phone.greenapi_control(instance["idInstance"], qr_errors=errors)
    assert [client.qr().error for _ in errors] == errors
    assert client.qr().png is not None  # and then a QR again


def test_password_wrong_then_right(
    client: GreenApiClient, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    with pytest.raises(RequestRejected, match="not pending"):  # no scan yet
        client.send_password(Secret("secret-pass"))
    phone.scan(read_qr_png(client.qr().png or b"") or "", password="secret-pass")
    assert client.state() == "pendingPassword"
    with pytest.raises(PasswordInvalid, match="password is wrong") as caught:
        client.send_password(Secret("wrong-pass"))
    assert "wrong-pass" not in caught.value.message
    assert client.state() == "pendingPassword"
    client.send_password(Secret("secret-pass"))
    assert client.state() == "authorized"


def test_logout_restarts_the_instance(
    client: GreenApiClient, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    phone.scan(read_qr_png(client.qr().png or b"") or "")
    assert client.logout() is True
    assert client.state() == "starting"
    assert client.qr().error == "not_ready"
    fake_clock.advance(3.5)
    assert client.state() == "notAuthorized"
    assert client.qr().png is not None


def test_wrong_token_or_instance_is_invalid_auth_without_the_token(
    sandbox: SandboxServer, instance: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    redact.install()
    caplog.set_level(logging.DEBUG)
    wrong = "b2" * 25
    for id_instance, token in ((instance["idInstance"], wrong), (999, TOKEN)):
        client = GreenApiClient(sandbox.url, id_instance, Secret(token))
        with client, pytest.raises(InvalidAuth, match="idInstance or the") as caught:
            client.qr()
        assert token not in caught.value.message and token not in str(caught.value)
        assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert wrong not in caplog.text and TOKEN not in caplog.text
    assert "green-api GET qr" in caplog.text


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"kind": "status", "value": 403}, InvalidAuth),
        ({"kind": "status", "value": 429, "retry_after": 3}, RateLimited),
        ({"kind": "status", "value": 500}, ServerError),
        ({"kind": "status", "value": 466}, RequestRejected),
        ({"kind": "status", "value": 404}, RequestRejected),
        ({"kind": "status", "value": 418}, BadAnswer),
        ({"kind": "malformed"}, BadAnswer),
        ({"kind": "drop"}, AnswerLost),
    ],
)
def test_each_failure_maps_to_its_error_and_then_recovers(
    client: GreenApiClient,
    phone: SandboxPhone,
    instance: dict[str, Any],
    fault: dict[str, Any],
    error: type[X2DeskError],
) -> None:
    phone.fault(f"/waInstance{instance['idInstance']}/", **fault)
    with pytest.raises(error) as caught:
        client.state()
    assert instance["apiTokenInstance"] not in caught.value.message
    assert caught.value.__cause__ is None
    if isinstance(caught.value, RateLimited):
        assert caught.value.retry_after == 3
    assert client.state() == "notAuthorized"  # the next call works again


def test_the_per_second_rate_limit_is_rate_limited_with_retry_after(
    client: GreenApiClient, fake_clock: FakeClock
) -> None:
    with pytest.raises(RateLimited) as caught:
        for _ in range(20):  # the sandbox allows 10 a second per instance
            client.state()
    assert caught.value.retry_after is not None and caught.value.retry_after <= 1
    fake_clock.advance(1.0)
    assert client.state() == "notAuthorized"


def test_nothing_listening_is_cannot_connect() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = GreenApiClient(f"http://127.0.0.1:{port}", "1101", Secret(TOKEN))
    with client, pytest.raises(CannotConnect, match="Could not reach Green-API") as caught:
        client.qr()
    assert TOKEN not in caught.value.message
