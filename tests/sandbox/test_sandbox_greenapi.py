"""The sandbox's Green-API (API.md section 4) and its QR PNG, over real HTTP."""

from __future__ import annotations

import base64
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
import zxingcpp

from x2desk.core.clock import FakeClock
from x2desk.sandbox.phone import PhoneError, QrRefused, SandboxPhone
from x2desk.sandbox.qrpng import qr_png
from x2desk.sandbox.server import SandboxServer


class Green:
    def __init__(self, url: str, instance: dict[str, Any]) -> None:
        self.url = url
        self.id = instance["idInstance"]
        self.token = instance["apiTokenInstance"]

    def call(self, method: str, http: str = "GET", **body: Any) -> httpx.Response:
        return httpx.request(
            http, f"{self.url}/waInstance{self.id}/{method}/{self.token}", json=body or None
        )

    def state(self) -> str:
        return str(self.call("getStateInstance").json()["stateInstance"])


@pytest.fixture
def green(sandbox: SandboxServer, phone: SandboxPhone) -> Green:
    return Green(sandbox.url, phone.greenapi_instance())


def decode_png(b64: str) -> str:
    data = base64.b64decode(b64, validate=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert image is not None and image.shape[0] == image.shape[1] >= 100
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return str(found[0].text)


def test_qr_png_decodes_back() -> None:
    payload = "tg://login?token=abc_DEF-123"
    assert decode_png(base64.b64encode(qr_png(payload)).decode()) == payload


def test_new_instance_is_not_authorised(green: Green) -> None:
    assert isinstance(green.id, int) and len(green.token) >= 30
    assert green.state() == "notAuthorized"


def test_qr_changes_every_20s_and_scan_authorises(
    green: Green, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    answer = green.call("qr").json()
    assert answer["type"] == "qrCode"
    first = decode_png(answer["message"])
    fake_clock.advance(19)
    assert decode_png(green.call("qr").json()["message"]) == first
    fake_clock.advance(1)
    second = decode_png(green.call("qr").json()["message"])
    assert second != first
    with pytest.raises(QrRefused):
        phone.scan(first)
    assert phone.scan(second)["stateInstance"] == "authorized"
    assert green.state() == "authorized"
    already = green.call("qr").json()
    assert already == {"type": "alreadyLogged", "message": "instance account already authorized"}
    phone.greenapi_control(green.id, already_type="already_registered")
    assert green.call("qr").json()["type"] == "already_registered"


def test_pending_password_wrong_then_right(green: Green, phone: SandboxPhone) -> None:
    payload = decode_png(green.call("qr").json()["message"])
    assert phone.scan(payload, password="cloud-pw")["stateInstance"] == "pendingPassword"
    assert green.state() == "pendingPassword"
    wrong = green.call("sendAuthorizationPassword", "POST", password="nope")
    assert wrong.status_code == 200  # as the real one: the refusal is in data
    assert wrong.json() == {
        "status": True,
        "data": {"status": "fail", "reason": "invalid_password"},
    }
    assert green.state() == "pendingPassword"
    assert green.call("qr").json()["type"] == "qrCode"  # the qr call does not tell (the seed)
    assert green.call("sendAuthorizationPassword", "POST").status_code == 400
    right = green.call("sendAuthorizationPassword", "POST", password="cloud-pw")
    assert right.json() == {"status": True, "data": {"status": "success"}}
    assert green.state() == "authorized"
    again = green.call("sendAuthorizationPassword", "POST", password="cloud-pw")
    assert again.json()["data"] == {"status": "fail", "reason": "already_registered"}


def test_logout_starting_then_not_authorised_then_new_qr(
    green: Green, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    phone.scan(decode_png(green.call("qr").json()["message"]))
    assert green.call("logout").json() == {"isLogout": True}
    assert green.state() == "starting"
    assert green.call("qr").json() == {"type": "error", "message": "not_ready"}
    fake_clock.advance(3)
    assert green.state() == "notAuthorized"
    fresh = green.call("qr").json()
    assert fresh["type"] == "qrCode"
    assert phone.scan(decode_png(fresh["message"]))["stateInstance"] == "authorized"


def test_injected_qr_errors_and_states(green: Green, phone: SandboxPhone) -> None:
    phone.greenapi_control(green.id, qr_errors=["timeout", "connection_closed"])
    assert green.call("qr").json() == {"type": "error", "message": "timeout"}
    assert green.call("qr").json() == {"type": "error", "message": "connection_closed"}
    assert green.call("qr").json()["type"] == "qrCode"
    for state in ("sleepMode", "blocked", "yellowCard"):
        phone.greenapi_control(green.id, state=state)
        assert green.state() == state
        assert green.call("qr").json()["type"] == "error"
    with pytest.raises(PhoneError):
        phone.greenapi_control(green.id, state="asleep")
    with pytest.raises(PhoneError):
        phone.greenapi_control(999, state="authorized")


def test_wrong_instance_or_token_is_401(sandbox: SandboxServer, green: Green) -> None:
    for path in (
        f"/waInstance{green.id}/qr/{'0' * 50}",
        f"/waInstance1/qr/{green.token}",
        f"/waInstance{green.id}/getStateInstance/é",
    ):
        assert httpx.get(f"{sandbox.url}{path}").status_code == 401
    assert httpx.get(f"{sandbox.url}/waInstance{green.id}/qr").status_code == 404
    assert green.call("noSuchMethod").status_code == 404


def test_per_second_rate_limit(green: Green, fake_clock: FakeClock) -> None:
    for _ in range(10):
        assert green.call("getStateInstance").status_code == 200
    limited = green.call("qr")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    fake_clock.advance(1)
    assert green.call("qr").status_code == 200


def test_requests_log_masks_the_instance_token(green: Green, phone: SandboxPhone) -> None:
    green.call("qr")
    green.call("getStateInstance")
    log = phone.requests()
    assert [r["path"].split("/")[2] for r in log] == ["qr", "getStateInstance"]
    assert green.token not in str(log) and green.token[4:-3] not in str(log)
    assert all(r["path"].startswith(f"/waInstance{green.id}/") for r in log)
