"""The accounts wizard against the sandbox over loopback, on a fake clock: every flow, with a QR
that rotates before the scan, a wrong password first, a wrong code first, a 402, an expired
session, cancel, and a re-authorisation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import AccountsDriver as Driver
from helpers import make_accounts_wizard as make_wizard
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import QrRefused, SandboxPhone
from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext


@pytest.fixture
def wiz(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[AccountsWizard]:
    w = make_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    w.start()
    yield w
    w.shutdown()


@pytest.fixture
def d(qtbot: Any, wiz: AccountsWizard, manual: ManualScheduler) -> Driver:
    return Driver(qtbot, wiz, manual)


def provider_connections(phone: SandboxPhone) -> dict[str, Any]:
    return dict(phone.state()["connections"])


def test_telegram_qr_rotates_before_the_scan(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.wait_page("account_qr")
    d.until(State.WAITING_FOR_QR)
    first = wiz.qr.shown_payload
    assert first and first.startswith("tg://login?token=")
    assert wiz.qr.image.pixmap() is not None and not wiz.qr.image.pixmap().isNull()
    assert "30 s" in wiz.qr.countdown.text() or "in 3" in wiz.qr.countdown.text()
    d.shot("telegram_qr")
    d.manual.clock.advance(10)  # the countdown ticks once a second (here: by hand)
    wiz.tick()
    assert "in 20 s" in wiz.qr.countdown.text()
    assert "9:50" in wiz.qr.session_left.text()
    d.run(21)  # the provider rotates the QR: the new one is on screen at once
    d.qtbot.waitUntil(lambda: wiz.qr.shown_payload not in (None, first), timeout=3000)
    with pytest.raises(QrRefused):
        phone.scan(first)  # the old QR is refused, as a real phone would be
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    assert d.page == "account_result"
    assert "Telegram account connected" in wiz.result.headline.text()
    assert "cannot be deleted" in wiz.result.limits.text()
    assert wiz.frame.next_button.isEnabled()
    d.shot("result_connected")
    kinds = [c["type"] for c in provider_connections(phone).values()]
    assert kinds == ["telegram"]


def test_telegram_qr_2fa_wrong_password_first(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    phone.scan(str(wiz.qr.shown_payload), password="hunter2")
    d.until(State.WAITING_FOR_PASSWORD, step_s=5)
    d.wait_page("account_password")
    assert wiz.password.edit.echoMode() == wiz.password.edit.EchoMode.Password
    assert not wiz.frame.next_button.isEnabled()  # nothing typed yet
    d.type(wiz.password.edit, "wrong")
    d.next()
    d.run()
    d.qtbot.waitUntil(lambda: wiz.password.banner.isVisible(), timeout=3000)
    assert "password is wrong" in wiz.password.banner.text()
    assert d.page == "account_password" and d.state() is State.WAITING_FOR_PASSWORD
    assert "wrong" not in wiz.password.banner.text().replace("is wrong", "")  # not echoed
    d.shot("password_wrong")
    d.type(wiz.password.edit, "hunter2")
    d.next()
    d.until(State.CONNECTED)
    assert d.page == "account_result"


def test_telegram_code_wrong_code_first(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_code", phone.provider_key())
    d.wait_page("account_phone")
    d.type(wiz.phone.phone_edit, "12345")
    assert "must start with +" in wiz.phone.hint.text()
    assert not wiz.frame.next_button.isEnabled()
    d.type(wiz.phone.phone_edit, "+44 20")
    assert "not a valid" in wiz.phone.hint.text() or "7 to 15" in wiz.phone.hint.text()
    d.type(wiz.phone.phone_edit, "+44 20 7946 0958")
    assert "+442079460958" in wiz.phone.hint.text()
    d.shot("phone")
    d.next()
    d.until(State.WAITING_FOR_CODE)
    d.wait_page("account_code")
    assert "+442079460958" in wiz.code.prompt.text()
    session_id = wiz.current_session_id()
    assert session_id
    code = phone.code(session_id)
    wrong = "00000" if code != "00000" else "11111"
    d.type(wiz.code.edit, wrong)
    d.next()
    d.run()
    d.qtbot.waitUntil(lambda: wiz.code.banner.isVisible(), timeout=3000)
    assert "code is wrong" in wiz.code.banner.text()
    assert d.page == "account_code"
    d.shot("code_wrong")
    d.type(wiz.code.edit, "abc")
    d.next()  # checked before sending
    assert "digits" in wiz.code.banner.text()
    d.type(wiz.code.edit, code)
    d.next()
    d.until(State.CONNECTED)
    conns = list(provider_connections(phone).values())
    assert [c["type"] for c in conns] == ["telegram"]


def test_max_account_by_code(d: Driver, wiz: AccountsWizard, phone: SandboxPhone) -> None:
    d.choose("max_code", phone.provider_key())
    d.wait_page("account_phone")
    assert "MAX" in wiz.phone.title
    d.type(wiz.phone.phone_edit, "+79001234567")
    d.type(wiz.phone.name_edit, "Sales MAX")
    d.next()
    d.until(State.WAITING_FOR_CODE)
    session_id = wiz.current_session_id()
    assert session_id
    d.type(wiz.code.edit, phone.code(session_id))
    d.next()
    d.until(State.CONNECTED)
    conns = list(provider_connections(phone).values())
    assert [(c["type"], c["name"]) for c in conns] == [("max_personal", "Sales MAX")]
    assert "MAX account connected" in wiz.result.headline.text()


def test_whatsapp_qr_with_link_refreshes_until_authorized(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("whatsapp", phone.provider_key())
    d.wait_page("account_qr")
    d.until(State.WAITING_FOR_QR)
    assert "/_sandbox/whatsapp/" in wiz.qr.link.text() and wiz.qr.link.isVisible()
    assert "WhatsApp" in wiz.qr.title
    first = wiz.qr.shown_payload
    d.shot("whatsapp_qr")
    d.run(31)
    d.qtbot.waitUntil(lambda: wiz.qr.shown_payload not in (None, first), timeout=3000)
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    assert "WhatsApp account connected" in wiz.result.headline.text()


def test_402_subscription_needed_then_recovers(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("whatsapp", phone.provider_key(unpaid_types=["whatsapp"]))
    d.until(State.FAILED)
    d.wait_page("account_result")
    text = wiz.result.banner.text()
    assert "402" in text and "subscription" in text.lower()
    assert wiz.result.fix_button.isVisible() and wiz.frame.back_button.isEnabled()
    d.shot("result_402")
    assert provider_connections(phone) == {}
    # a paid plan now: change the key on the provider page and connect
    d.qtbot.mouseClick(wiz.result.fix_button, Qt.MouseButton.LeftButton)
    d.wait_page("account_provider")
    d.provide(phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    assert [c["type"] for c in provider_connections(phone).values()] == ["whatsapp"]


def test_provider_key_refused_then_accepted_and_remembered(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    d.choose("telegram_bot", "not-a-real-key")
    d.qtbot.waitUntil(lambda: wiz.provider.banner.isVisible(), timeout=5000)
    assert "refused the API key" in wiz.provider.banner.text()
    assert d.page == "account_provider"
    d.type(wiz.provider.key_edit, phone.provider_key(scope=False))
    d.next()
    d.qtbot.waitUntil(lambda: "connections" in wiz.provider.banner.text(), timeout=5000)
    assert d.page == "account_provider"
    d.shot("provider_error")
    good = phone.provider_key()
    d.provide(good)
    d.wait_page("account_bot")
    from x2desk.core.accounts.provider_key import key_in
    from x2desk.core.store.credentials import open_credential_store

    saved = key_in(open_credential_store(), f"{sandbox.url}/v2")  # for its company, remembered
    assert saved is not None and saved.reveal() == good


def test_telegram_bot_token_checked_as_typed(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_bot", phone.provider_key())
    d.wait_page("account_bot")
    assert wiz.bot.token_edit.echoMode() == wiz.bot.token_edit.EchoMode.Password
    d.type(wiz.bot.token_edit, "12345:sh rt")
    assert "cannot have" in wiz.bot.hint.text() and not wiz.frame.next_button.isEnabled()
    d.type(wiz.bot.token_edit, "no colon here")
    assert "not a bot token" in wiz.bot.hint.text()
    token = "123456789:" + "A" * 35
    d.type(wiz.bot.token_edit, token)
    d.type(wiz.bot.name_edit, "Support bot")
    d.shot("bot_token")
    d.next()
    d.until(State.CONNECTED)
    conns = list(provider_connections(phone).values())
    assert [(c["type"], c["name"]) for c in conns] == [("telegram_bot", "Support bot")]
    assert token not in wiz.result.details.text()


def test_odnoklassniki_create_then_change_key(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    key = phone.provider_key()
    d.choose("odnoklassniki", key)
    d.wait_page("account_group")
    assert not wiz.group.change_radio.isEnabled()  # no group connected yet
    d.type(wiz.group.key_edit, "has space")
    assert not wiz.frame.next_button.isEnabled()
    d.type(wiz.group.key_edit, "okkey-1")
    d.type(wiz.group.name_edit, "Our shop")
    d.next()
    d.until(State.CONNECTED)
    (conn,) = provider_connections(phone).values()
    assert conn["params"]["api_key"] == "okkey-1"
    # change its key
    d.qtbot.mouseClick(wiz.result.another_button, Qt.MouseButton.LeftButton)
    d.choose("odnoklassniki", key)
    d.wait_page("account_group")
    assert wiz.group.change_radio.isEnabled() and wiz.group.existing.count() == 1
    d.qtbot.mouseClick(wiz.group.change_radio, Qt.MouseButton.LeftButton)
    d.type(wiz.group.key_edit, "okkey-2")
    assert wiz.group.change_radio.isChecked(), "radio"
    assert "Change key" in wiz.frame.next_button.text().replace("&", ""), (
        wiz.frame.next_button.text()
    )
    d.shot("group_change_key")
    d.next()
    d.until(State.CONNECTED)
    (conn,) = provider_connections(phone).values()
    assert conn["params"]["api_key"] == "okkey-2"
    assert "key was changed" in wiz.result.details.text()


def test_reauthorise_telegram_makes_no_new_connection(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    key = phone.provider_key()
    d.choose("telegram_qr", key)
    d.until(State.WAITING_FOR_QR)
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    (conn_id,) = [int(k) for k in provider_connections(phone)]
    phone.set_connection_status(conn_id, "unauthorized")
    wiz.start_reauth("telegram", conn_id)
    d.wait_page("account_provider")
    assert "Re-authorising connection" in wiz.provider.banner.text()
    d.next()
    d.until(State.WAITING_FOR_QR)
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    conns = provider_connections(phone)
    assert len(conns) == 1 and next(iter(conns.values()))["status"] == "active"
    assert "Re-authorised" in wiz.result.details.text()
    from x2desk.core.store.records import RecordStore

    def outcome() -> str | None:
        with RecordStore.open() as records:
            rec = records.find("telegram", conn_id)
            return rec.outcome if rec is not None else None

    d.qtbot.waitUntil(lambda: outcome() == "reauthorised", timeout=3000)


def test_session_ends_then_start_again(d: Driver, wiz: AccountsWizard, phone: SandboxPhone) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    d.until(State.EXPIRED, step_s=60)  # sessions live 10 minutes
    d.wait_page("account_result")
    assert "10 minutes" in wiz.result.banner.text()
    assert wiz.qr.shown_version is None  # no QR left on screen
    d.shot("session_ended")
    d.qtbot.mouseClick(wiz.result.restart_button, Qt.MouseButton.LeftButton)
    d.until(State.WAITING_FOR_QR)
    d.wait_page("account_qr")
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)


def test_expired_qr_is_taken_off_the_screen(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    assert wiz.qr.shown_version is not None
    phone.fault("/v2/companies/*/telegram/login", "status", 500, times=20)  # polls fail from now on
    d.run(31)
    d.qtbot.waitUntil(lambda: wiz.qr.shown_version is None, timeout=3000)
    assert "expired" in wiz.qr.image.text().lower() or "Trying again" in wiz.qr.banner.text()
    assert wiz.qr.busy.isVisible()


def test_back_and_cancel_stop_polling(d: Driver, wiz: AccountsWizard, phone: SandboxPhone) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    d.run(5)
    d.back()
    d.wait_page("account_name")  # back to the connection's name (the page before the QR)
    before = len(phone.requests())
    d.run(60)
    assert len(phone.requests()) == before + 0  # (the requests call itself is not counted)
    d.next()
    d.until(State.WAITING_FOR_QR)
    closed = []
    wiz.closed.connect(lambda: closed.append(True))
    d.qtbot.keyClick(wiz.frame.next_button, Qt.Key.Key_Escape)
    assert closed and wiz.session is None
    before = len(phone.requests())
    d.run(60)
    assert len(phone.requests()) == before


def test_worker_thread_snapshots_reach_the_gui_thread(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, phone: SandboxPhone
) -> None:
    """The real scheduler (a worker thread): snapshots arrive through the queued relay, and
    Back ends the session's thread."""
    import threading

    ensure_app()
    w = AccountsWizard(AppContext.for_sandbox(sandbox.url), clock=fake_clock)
    qtbot.addWidget(w)
    w.show()
    seen: list[str] = []
    w.relay.snapshot.connect(lambda _s: seen.append(threading.current_thread().name))
    w.start("telegram_qr")
    d = Driver(qtbot, w, ManualScheduler(fake_clock))
    d.provide(phone.provider_key())
    qtbot.waitUntil(lambda: w.qr.shown_version is not None, timeout=5000)
    assert seen and set(seen) == {threading.main_thread().name}
    thread = w._scheduler._thread
    assert thread.is_alive()
    d.back()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=5000)
    assert w.session is None
    w.shutdown()
