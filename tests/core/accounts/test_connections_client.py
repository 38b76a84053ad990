"""The connections client over real HTTP against the sandbox (API.md section 3), and the login
session driven end to end through it with a fake clock."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from x2desk.core.accounts.client import (
    ConnectionsClient,
    parse_expires,
    provider_key_ref,
)
from x2desk.core.accounts.drivers import TelegramCodeDriver, TelegramQrDriver, WhatsAppDriver
from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    CodeInvalid,
    InsecureUrl,
    InvalidAuth,
    NotEditable,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    ScopeMissing,
    ServerError,
    SessionExpired,
    SubscriptionRequired,
)
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession, State
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import QrRefused, SandboxPhone

BOT_TOKEN = "123456789:" + "B" * 35


@pytest.fixture
def api_key(phone: SandboxPhone) -> Secret:
    return Secret(phone.provider_key())


@pytest.fixture
def client(sandbox: Any, api_key: Secret, fake_clock: FakeClock) -> Iterator[ConnectionsClient]:
    with ConnectionsClient(sandbox.url + "/v2", api_key, wall_time=fake_clock.time) as c:
        yield c


def test_qr_login_scan_with_2fa_then_connection(client, phone, fake_clock) -> None:
    session = client.telegram_init("qr")
    assert session.status == "waiting_for_qr" and session.qr_login is not None
    assert session.qr_login.url.startswith("tg://login?token=")
    assert session.qr_login.expires_at == pytest.approx(fake_clock.time() + 30, abs=30)
    phone.scan(session.qr_login.url, password="hunter22")
    polled = client.telegram_login(session.session_id)
    assert polled.status == "waiting_for_password" and polled.qr_login is None
    with pytest.raises(PasswordInvalid):
        client.telegram_login(session.session_id, password=Secret("wrong"))
    done = client.telegram_login(session.session_id, password=Secret("hunter22"))
    assert done.status == "authenticated"
    conn = client.create_connection("Shop", "telegram", {"session_id": session.session_id})
    assert conn.type == "telegram" and conn.status == "active"
    assert [c.id for c in client.list_connections()] == [conn.id]
    assert client.get_connection(conn.id).name == "Shop"


def test_code_login_wrong_code_then_right(client, phone) -> None:
    session = client.telegram_init("code", phone="+44 20 7946 0958")
    assert session.status == "waiting_for_code"
    with pytest.raises(CodeInvalid):
        client.telegram_login(session.session_id, code=Secret("00000"))
    code = phone.code(session.session_id)
    assert client.telegram_login(session.session_id, code=Secret(code)).status == "authenticated"


def test_max_login(client, phone) -> None:
    session = client.max_init("+79991234567")
    code = phone.code(session.session_id)
    assert client.max_login(session.session_id, Secret(code)).status == "authenticated"
    conn = client.create_connection("MAX", "max_personal", {"session_id": session.session_id})
    assert conn.type == "max_personal"


def test_session_ends_after_ten_minutes(client, fake_clock) -> None:
    session = client.telegram_init("qr")
    fake_clock.advance(601)
    with pytest.raises(SessionExpired, match="Start again"):
        client.telegram_login(session.session_id)


def test_bot_token_and_odnoklassniki_key_change(client, api_key) -> None:
    bot = client.create_connection("Bot", "telegram_bot", {"token": Secret(BOT_TOKEN)})
    assert isinstance(bot.params["token"], Secret) and BOT_TOKEN not in repr(bot)
    group = client.create_connection("Group", "odnoklassniki", {"api_key": Secret("okkey-1")})
    changed = client.update_key(group.id, Secret("okkey-2"))
    assert changed.id == group.id and changed.status == "active"
    with pytest.raises(NotEditable):
        client.update_key(bot.id, Secret("whatever"))


def test_whatsapp_status(client, phone) -> None:
    conn = client.create_connection("WA", "whatsapp")
    assert conn.qr_url and conn.qr_url.startswith("http://127.0.0.1")
    status = client.whatsapp_status(conn.id)
    assert status.status == "qr" and status.qr and status.expires_at
    phone.scan(status.qr)
    assert client.whatsapp_status(conn.id).status in ("loading", "authorized")


def test_bad_key_scope_and_subscription(sandbox, phone, client) -> None:
    bad = ConnectionsClient(sandbox.url + "/v2", Secret("not-a-key-at-all"))
    with bad, pytest.raises(InvalidAuth) as info:
        bad.list_connections()
    assert "not-a-key-at-all" not in str(info.value)
    no_scope = Secret(phone.provider_key(scope=False))
    with ConnectionsClient(sandbox.url + "/v2", no_scope) as scoped, pytest.raises(ScopeMissing):
        scoped.telegram_init("qr")
    unpaid = Secret(phone.provider_key(unpaid_types=["whatsapp"]))
    with ConnectionsClient(sandbox.url + "/v2", unpaid) as c402:
        with pytest.raises(SubscriptionRequired, match="paid subscription"):
            c402.create_connection("WA", "whatsapp")
        assert c402.create_connection("Bot", "telegram_bot", {"token": BOT_TOKEN}).id


def test_unknown_connection_and_rejected_parameters(client) -> None:
    with pytest.raises(RequestRejected, match="no such connection"):
        client.get_connection(9999)
    with pytest.raises(RequestRejected, match=r"params\.session_id"):
        client.create_connection("T", "telegram", {"session_id": "nope"})


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        ("status", 500, ServerError),
        ("status", 503, ServerError),
        ("status", 429, RateLimited),
        ("drop", None, AnswerLost),
        ("malformed", None, BadAnswer),
    ],
)
def test_faults_map_to_errors_then_a_retry_works(client, phone, kind, value, error) -> None:
    phone.fault("/v2/companies/*/connections", kind, value)
    with pytest.raises(error):
        client.list_connections()
    assert client.list_connections() == []  # the fault was one-off: the next call works


def test_rate_limit_retry_after(client, phone) -> None:
    phone.fault("/v2/companies/*/connections", "status", 429, retry_after=7)
    with pytest.raises(RateLimited) as info:
        client.list_connections()
    assert info.value.retry_after == 7


def test_nothing_listening_is_cannot_connect() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = ConnectionsClient(f"http://127.0.0.1:{port}/v2", Secret("k" * 20))
    with c, pytest.raises(CannotConnect) as info:
        c.list_connections()
    assert "k" * 20 not in str(info.value)


def test_insecure_url_refused_before_sending() -> None:
    with pytest.raises(InsecureUrl):
        ConnectionsClient("http://api.example.com/v2", Secret("key"))


def test_expires_parsing_and_key_ref() -> None:
    now = 1_800_000_000.0
    assert parse_expires(now + 5, now) == now + 5
    assert parse_expires(30, now) == now + 30
    assert parse_expires("2027-01-15T08:00:00Z", now) == 1800000000.0
    assert parse_expires("soon", now) is None and parse_expires(None, now) is None
    assert provider_key_ref("https://x/v2/") == "provider_api_key:https://x/v2"


# ---- the state machine end to end over HTTP ------------------------------------------------------


def session_for(driver: Any, fake_clock: FakeClock) -> tuple[LoginSession, ManualScheduler]:
    sched = ManualScheduler(fake_clock)
    session = LoginSession(driver, clock=fake_clock, scheduler=sched)
    session.start()
    sched.run_due()
    return session, sched


def test_session_qr_rotates_before_scan_and_stale_qr_is_refused(client, phone, fake_clock) -> None:
    session, sched = session_for(TelegramQrDriver(client, name="Shop"), fake_clock)
    first = session.snapshot().qr
    assert first and session.snapshot().qr_seconds_left
    sched.advance(35)  # past the 30 s rotation: the QR on screen changes
    second = session.snapshot().qr
    assert second and second != first
    with pytest.raises(QrRefused):
        phone.scan(first)
    phone.scan(second, password="pw")
    sched.advance(5)
    assert session.state is State.WAITING_FOR_PASSWORD
    session.submit_password(Secret("nope"))
    sched.run_due()
    assert session.state is State.WAITING_FOR_PASSWORD
    assert session.snapshot().error_key == "password_invalid"
    session.submit_password(Secret("pw"))
    sched.run_due()
    snap = session.snapshot()
    assert snap.state is State.CONNECTED and snap.result.name == "Shop"


def test_session_code_flow_and_reauthorisation(client, phone, fake_clock) -> None:
    session, sched = session_for(TelegramCodeDriver(client, "+442079460958"), fake_clock)
    sid = session.driver.session_id  # type: ignore[attr-defined]
    session.submit_code(Secret(phone.code(sid)))
    sched.run_due()
    conn = session.snapshot().result
    assert session.state is State.CONNECTED
    before = [r for r in phone.requests() if r["method"] == "POST" and "connections" in r["path"]]
    reauth, sched2 = session_for(TelegramQrDriver(client, connection_id=conn.id), fake_clock)
    phone.scan(reauth.snapshot().qr)
    sched2.advance(5)
    assert reauth.state is State.CONNECTED and reauth.snapshot().result.id == conn.id
    after = [r for r in phone.requests() if r["method"] == "POST" and "connections" in r["path"]]
    assert after == before  # no new connection


def test_session_whatsapp_until_authorized(client, phone, fake_clock) -> None:
    session, sched = session_for(WhatsAppDriver(client, name="WA"), fake_clock)
    snap = session.snapshot()
    assert snap.state is State.WAITING_FOR_QR and snap.qr and snap.qr_link
    phone.scan(snap.qr)
    for _ in range(20):
        sched.advance(5)
        if session.state is State.CONNECTED:
            break
    assert session.state is State.CONNECTED and session.snapshot().result.status == "active"


def test_session_poll_survives_a_server_error(client, phone, fake_clock) -> None:
    session, sched = session_for(TelegramQrDriver(client), fake_clock)
    phone.fault("/v2/companies/*/telegram/login", "status", 500, times=2)
    sched.advance(5)
    assert session.snapshot().retry_in == 5
    sched.advance(5)
    assert session.snapshot().retry_in == 10
    sched.advance(10)
    snap = session.snapshot()
    assert snap.retry_in is None and snap.state is State.WAITING_FOR_QR and snap.qr
