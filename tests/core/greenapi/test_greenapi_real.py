"""Green-API for Telegram as the real service is (issue 11): each instance's own apiUrl, the
authorisation answers' ``data.status``/``reason``, the state read beside every QR request (the
qr call may keep answering ``qrCode`` while the cloud password is pending), ``suspended``, an
empty state while created, login by a code sent to the Telegram app, and Telegram's words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    AuthorizationRefused,
    CodeInvalid,
    InputError,
    InsecureUrl,
    PasswordInvalid,
)
from x2desk.core.greenapi import pairing as pairing_module
from x2desk.core.greenapi.client import (
    GreenApiClient,
    check_api_url,
    default_api_url,
    parse_auth,
    parse_state,
    read_qr_png,
)
from x2desk.core.greenapi.pairing import FLOW_CODE, GreenApiPairing
from x2desk.core.greenapi.pairing_texts import TEXT_STARTING
from x2desk.core.secret import Secret
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import open_records
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

TOKEN = "d4" * 25


class Live:
    """A pairing against a sandbox over HTTP, on the fake clock the sandbox also runs on."""

    def __init__(self, sandbox: SandboxServer, clock: FakeClock, phone: str | None = None):
        self.phone = SandboxPhone(sandbox.url)
        instance = self.phone.greenapi_instance()
        self.id = str(instance["idInstance"])
        self.token = instance["apiTokenInstance"]
        self.client = GreenApiClient(sandbox.url, self.id, Secret(self.token))
        self.scheduler = ManualScheduler(clock)
        self.pairing = GreenApiPairing(
            self.client, clock=clock, scheduler=self.scheduler, phone=phone
        )

    def run(self, seconds: float = 0.0) -> Any:
        """Start (the first time), then let ``seconds`` of session time pass."""
        if self.pairing.state is State.STARTING and not self.pairing.session.history:
            self.pairing.start()
        if seconds:
            self.scheduler.advance(seconds)
        else:
            self.scheduler.run_due()
        return self.pairing.snapshot()

    def calls(self, method: str) -> int:
        return sum(1 for r in self.phone.requests() if f"/{method}/" in r["path"])

    def close(self) -> None:
        self.pairing.close()
        self.client.close()
        self.phone.close()


@pytest.fixture
def live(sandbox: SandboxServer, fake_clock: FakeClock) -> Iterator[Live]:
    rig = Live(sandbox, fake_clock)
    yield rig
    rig.close()


@pytest.fixture
def by_phone(sandbox: SandboxServer, fake_clock: FakeClock) -> Iterator[Live]:
    rig = Live(sandbox, fake_clock, phone="+7 987 654-32-10")
    yield rig
    rig.close()


# ---- apiUrl ------------------------------------------------------------------------------------


def test_each_instance_has_its_own_api_url_derived_from_its_id() -> None:
    assert default_api_url("1101000001") == "https://1101.api.green-api.com"
    assert default_api_url("7105123456") == "https://7105.api.green-api.com"
    assert default_api_url("110") == "https://api.green-api.com"  # too short: the fallback
    client = GreenApiClient(None, "waInstance3100123456", Secret(TOKEN))
    assert client.api_url == "https://3100.api.green-api.com"
    assert GreenApiClient("", 3100123456, Secret(TOKEN)).api_url == client.api_url
    given = GreenApiClient("https://7103.api.greenapi.com/", "3100123456", Secret(TOKEN))
    assert given.api_url == "https://7103.api.greenapi.com"  # what the console shows wins


def test_an_api_url_must_be_https_or_this_computer() -> None:
    assert check_api_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    with pytest.raises(InsecureUrl):
        check_api_url("http://1101.api.green-api.com")
    for bad in ("https://1101.api.green-api.com/?x=1", "https://u@1101.api.green-api.com"):
        with pytest.raises(InputError, match="just an address"):
            check_api_url(bad)
    with pytest.raises(InputError, match="apiUrl"):
        check_api_url("  ")


def test_the_record_keeps_the_api_url_and_re_pairing_uses_it(live: Live) -> None:
    live.run()
    live.phone.scan(read_qr_png(live.pairing.snapshot().qr_image or b"") or "")
    snap = live.run(5)
    assert snap.state is State.CONNECTED and snap.result.api_url == live.client.api_url
    with open_records() as records:
        record = records.find("greenapi", live.id)
        assert record is not None and record.api_base == live.client.api_url
        again = GreenApiPairing.from_record(record, KeyringStore())
        assert again.client.api_url == live.client.api_url
        again.close()
        gone = records.upsert("greenapi", live.id, api_base=None)
        derived = GreenApiPairing.from_record(gone, KeyringStore())
        assert derived.client.api_url == default_api_url(live.id)  # not the universal host
        derived.close()


# ---- the authorisation answers -----------------------------------------------------------------


def test_a_fail_inside_a_true_status_is_a_refusal() -> None:
    wrong = {"status": True, "data": {"status": "fail", "reason": "invalid_password"}}
    with pytest.raises(PasswordInvalid, match="password is wrong"):
        parse_auth(wrong, "sendAuthorizationPassword")
    with pytest.raises(CodeInvalid):
        parse_auth({"status": True, "data": {"status": "fail", "reason": "invalid_code"}}, "x")
    with pytest.raises(AuthorizationRefused, match="could not reach Telegram") as info:
        parse_auth({"status": True, "data": {"status": "fail", "reason": "connection_error"}}, "x")
    assert info.value.reason == "connection_error"
    with pytest.raises(AuthorizationRefused, match=r"\(quota_hit\).*support"):
        parse_auth({"status": True, "data": {"status": "fail", "reason": "quota_hit"}}, "x")
    with pytest.raises(AuthorizationRefused, match="no reason given"):
        parse_auth({"status": False}, "x")
    ok = parse_auth({"status": True, "data": {"status": "success", "retryAfter": 60}}, "x")
    assert ok.status == "success" and ok.retry_after == 60


def test_a_wrong_password_keeps_the_page_with_its_message(live: Live) -> None:
    live.run()
    live.phone.scan(read_qr_png(live.pairing.snapshot().qr_image or b"") or "", password="pw")
    assert live.run(5).state is State.WAITING_FOR_PASSWORD
    live.pairing.submit_password(Secret("not-it"))
    snap = live.run()
    assert snap.state is State.WAITING_FOR_PASSWORD and snap.error_key == "password_invalid"
    assert "password is wrong" in snap.text and "submit_password" in snap.actions
    live.pairing.submit_password(Secret("pw"))
    assert live.run().state is State.CONNECTED


def test_another_refusal_of_the_password_is_explained_and_the_page_stays(live: Live) -> None:
    live.run()
    live.phone.scan(read_qr_png(live.pairing.snapshot().qr_image or b"") or "", password="pw")
    live.run(5)

    def refuse(password: Secret) -> Any:
        raise AuthorizationRefused("Green-API could not reach Telegram's servers.", "x")

    live.client.send_password = refuse  # type: ignore[method-assign]
    live.pairing.submit_password(Secret("pw"))
    snap = live.run()
    assert snap.state is State.WAITING_FOR_PASSWORD and "could not reach" in snap.text


# ---- the state beside the QR -------------------------------------------------------------------


def test_pending_password_is_seen_though_the_qr_call_keeps_sending_qrs(live: Live) -> None:
    live.run()
    live.phone.scan(read_qr_png(live.pairing.snapshot().qr_image or b"") or "", password="pw")
    qr_calls = live.calls("qr")
    snap = live.run(5)
    assert snap.state is State.WAITING_FOR_PASSWORD and snap.qr_image is None
    assert live.calls("qr") == qr_calls  # the state said it: no QR was even asked for
    before = live.calls("getStateInstance")
    live.run(30)  # no polling while the page waits for the person
    assert live.calls("getStateInstance") == before


def test_the_old_not_ready_behaviour_is_still_reachable(fake_clock: FakeClock) -> None:
    with SandboxServer(clock=fake_clock, greenapi_qr_while_pending="not_ready") as server:
        rig = Live(server, fake_clock)
        try:
            rig.run()
            payload = read_qr_png(rig.pairing.snapshot().qr_image or b"") or ""
            rig.phone.scan(payload, password="pw")
            answer = rig.client.qr()
            assert answer.error == "not_ready"
            assert rig.run(5).state is State.WAITING_FOR_PASSWORD
        finally:
            rig.close()


def test_suspended_ends_with_what_to_do(live: Live) -> None:
    live.run()
    live.phone.greenapi_control(int(live.id), state="suspended")
    snap = live.run(5)
    assert snap.state is State.FAILED and snap.error_key == "instance_suspended"
    assert "suspendedUntil" in snap.text


@pytest.mark.parametrize("body", ["empty", "null"])
def test_an_empty_state_while_created_is_starting(live: Live, body: str) -> None:
    live.phone.greenapi_control(int(live.id), state_body=body)
    assert live.client.state() == "starting"
    snap = live.run()
    assert snap.state is State.LOADING and snap.text == TEXT_STARTING
    live.phone.greenapi_control(int(live.id), state="notAuthorized")
    assert live.run(5).qr_image is not None
    assert parse_state(None) == parse_state({"stateInstance": None}) == "starting"


# ---- login by a code in the Telegram app -------------------------------------------------------


def test_phone_code_wrong_first_then_the_password_then_saved(by_phone: Live) -> None:
    snap = by_phone.run()
    assert snap.state is State.WAITING_FOR_CODE and "submit_code" in snap.actions
    assert "Telegram app" in snap.text and snap.qr_image is None
    assert by_phone.calls("startAuthorization") == 1 and by_phone.calls("qr") == 0
    code = by_phone.phone.greenapi_code(by_phone.id, password="cloud")
    by_phone.pairing.submit_code(Secret("00000" if code != "00000" else "11111"))
    snap = by_phone.run()
    assert snap.state is State.WAITING_FOR_CODE and snap.error_key == "code_invalid"
    assert "code is wrong" in snap.text
    by_phone.pairing.submit_code(Secret(code))  # the code stays valid after a wrong one
    snap = by_phone.run()
    assert snap.state is State.WAITING_FOR_PASSWORD
    by_phone.pairing.submit_password(Secret("cloud"))
    snap = by_phone.run()
    assert snap.state is State.CONNECTED and by_phone.pairing.by_code
    with open_records() as records:
        record = records.find("greenapi", by_phone.id)
    assert record is not None and record.flow == FLOW_CODE
    assert by_phone.calls("qr") == 0  # never a QR on this path


def test_phone_code_without_a_password_connects_at_once(by_phone: Live) -> None:
    by_phone.run()
    by_phone.pairing.submit_code(Secret(by_phone.phone.greenapi_code(by_phone.id)))
    assert by_phone.run().state is State.CONNECTED


def test_phone_code_after_logging_an_authorised_instance_out(
    sandbox: SandboxServer, fake_clock: FakeClock
) -> None:
    rig = Live(sandbox, fake_clock, phone="+447700900123")
    try:
        rig.phone.greenapi_control(int(rig.id), state="authorized")
        assert rig.run().error_key == "already_authorised"
        assert rig.pairing.log_out_and_pair()
        assert rig.run().state is State.LOADING
        snap = rig.run(5)  # the sandbox starts for 3 s after a logout; then the code is sent
        assert snap.state is State.WAITING_FOR_CODE
        rig.pairing.submit_code(Secret(rig.phone.greenapi_code(rig.id)))
        assert rig.run().state is State.CONNECTED
    finally:
        rig.close()


def test_a_bad_phone_number_is_refused_before_anything_is_sent(live: Live) -> None:
    with pytest.raises(InputError, match="country code"):
        GreenApiPairing(live.client, phone="8 900 123 45 67")
    assert live.phone.requests() == []


# ---- Telegram, not WhatsApp ----------------------------------------------------------------------


def test_the_texts_speak_of_telegram() -> None:
    assert "Settings > Devices > Link Desktop Device" in pairing_module.TEXT_QR
    folder = Path(pairing_module.__file__).parent
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "WhatsApp" not in text and "Linked devices" not in text, module.name


def test_a_pending_code_state_keeps_the_code_page(by_phone: Live) -> None:
    assert by_phone.run().state is State.WAITING_FOR_CODE
    by_phone.phone.greenapi_control(int(by_phone.id), state="pendingCode")
    code = by_phone.phone.greenapi_code(by_phone.id)
    by_phone.pairing.submit_code(Secret("00000" if code != "00000" else "11111"))
    snap = by_phone.run()
    assert snap.state is State.WAITING_FOR_CODE and snap.error_key == "code_invalid"
    assert parse_state({"stateInstance": "pendingCode"}) == "pendingCode"
