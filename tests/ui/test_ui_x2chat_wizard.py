"""The X2Chat wizard pages against the sandbox over loopback: every page, every error, recovery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import MemoryStore, all_text, paste_and_confirm, to_paste
from helpers import make_x2chat_wizard as make_wizard
from helpers import rendered_step as step
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.core.errors import KeyringUnavailable
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.x2chat.wizard import X2ChatWizard

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def wiz(qtbot: Any, sandbox: Any, fake_clock: FakeClock) -> Iterator[X2ChatWizard]:
    w = make_wizard(qtbot, sandbox.url, fake_clock)
    yield w
    w.shutdown()


def test_happy_path_every_page(qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone) -> None:
    issued = phone.issue_token()
    to_paste(qtbot, wiz)
    assert not wiz.frame.next_button.isEnabled()
    wiz.token.paste_edit.setText("not a token")
    assert wiz.token.paste_hint.property("tone") == "hint-bad"
    assert not wiz.frame.next_button.isEnabled()
    paste_and_confirm(qtbot, wiz, issued["deep_link"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert wiz.frame.current is wiz.check
    assert wiz.check.bot_line.text().startswith("✓  @")
    assert "getUpdates" in wiz.check.webhook.text() and wiz.check.webhook.tone == "info"
    # the editable test message reaches the chat
    wiz.check.test_text.clear()
    qtbot.keyClicks(wiz.check.test_text, "Ping from the test")
    qtbot.mouseClick(wiz.check.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Delivered" in wiz.check.test_result.text(), timeout=10000)
    texts = [m["text"] for m in phone.messages(issued["chat_id"])]
    assert "Ping from the test" in texts
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.saved
    bot_token = phone.bot_token(issued["bot_id"])
    assert wiz.saved.token.text() == f"{bot_token[:4]}…{bot_token[-3:]}"
    assert wiz.saved.chat_id.text() == str(issued["chat_id"])
    assert wiz.saved.where.text()
    assert bot_token not in all_text(wiz)
    # no way to copy the token: its label cannot even be selected
    assert not wiz.saved.token.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    with qtbot.waitSignal(wiz.closed):
        qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)


def test_webhook_qr_and_telegram_qr_are_explained(qtbot: Any, wiz: X2ChatWizard) -> None:
    to_paste(qtbot, wiz)
    wiz.token.paste_edit.setText("x2chat://webhook/connect?secret=abc")
    assert "Webhook" in wiz.token.paste_hint.text()
    assert not wiz.frame.next_button.isEnabled()
    wiz.token.paste_edit.setText("tg://login?token=AQID")
    assert "Telegram" in wiz.token.paste_hint.text()
    assert not wiz.frame.next_button.isEnabled()


def test_spent_token_then_scan_again(qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone) -> None:
    issued = phone.issue_token()
    # another client redeems it first: ours is spent
    import httpx

    httpx.post(wiz.ctx.x2chat_api + "/integrations/redeem", json={"token": issued["token"]})
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert wiz.frame.current is wiz.redeem
    assert "Make a new QR in X2Chat and scan again" in wiz.redeem.error.text()
    assert wiz.redeem.scan_again_button.isVisible()
    qtbot.mouseClick(wiz.redeem.scan_again_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.token
    fresh = phone.issue_token()
    wiz.token.tabs.setCurrentIndex(wiz.token.TAB_PASTE)
    paste_and_confirm(qtbot, wiz, fresh["token"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)


def test_rate_limited_counts_down_then_retries(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "status", 429, retry_after=42)
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert wiz.redeem.countdown.text() == "Try again in 0:42"
    assert not wiz.redeem.retry_button.isEnabled()
    fake_clock.advance(30)
    wiz.redeem.tick()
    assert wiz.redeem.countdown.text() == "Try again in 0:12"
    fake_clock.advance(12)
    wiz.redeem.tick()
    assert wiz.redeem.retry_button.isEnabled()
    qtbot.mouseClick(wiz.redeem.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)


def test_answer_lost_says_token_may_be_spent(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert "may already be spent" in wiz.redeem.error.text()
    assert wiz.redeem.scan_again_button.isVisible()
    assert not wiz.redeem.retry_button.isVisible()  # never retried: the token is gone
    redeems = [r for r in phone.requests() if r["path"].endswith("/integrations/redeem")]
    assert len(redeems) == 1
    qtbot.mouseClick(wiz.redeem.scan_again_button, Qt.MouseButton.LeftButton)
    paste_and_confirm_fresh(qtbot, wiz, phone)


def paste_and_confirm_fresh(qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone) -> None:
    assert wiz.frame.current is wiz.token
    wiz.token.tabs.setCurrentIndex(wiz.token.TAB_PASTE)
    paste_and_confirm(qtbot, wiz, phone.issue_token()["token"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)


@pytest.mark.parametrize(("status", "expect"), [(500, "internal error"), (400, "did not accept")])
def test_server_errors_have_their_own_message(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone, status: int, expect: str
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "status", status)
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert expect in wiz.redeem.error.text()
    button = wiz.redeem.scan_again_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    paste_and_confirm_fresh(qtbot, wiz, phone)


def test_cannot_connect_then_retry(qtbot: Any, fake_clock: FakeClock) -> None:
    import socket

    from x2desk.sandbox.server import SandboxServer

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    wiz = make_wizard(qtbot, f"http://127.0.0.1:{port}", fake_clock)
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, "fc6e2368-b677-430d-9f2f-295ce705c9d0")
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=15000)
    assert "nothing was sent" in wiz.redeem.error.text()
    assert wiz.redeem.retry_button.isVisible()
    with (
        SandboxServer("127.0.0.1", port, clock=fake_clock) as server,
        SandboxPhone(server.url) as phone,
    ):
        wiz.flow._token = phone.issue_token()["token"]  # the owner made a token meanwhile
        qtbot.mouseClick(wiz.redeem.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
        wiz.shutdown()


def test_cancel_before_sending(qtbot: Any, sandbox: Any, fake_clock: FakeClock) -> None:
    wiz = make_wizard(qtbot, sandbox.url, fake_clock, grace=60000)
    with SandboxPhone(sandbox.url) as phone:
        issued = phone.issue_token()
        to_paste(qtbot, wiz)
        paste_and_confirm(qtbot, wiz, issued["token"])
        assert wiz.frame.current is wiz.redeem
        assert wiz.redeem.busy.isVisible()
        assert wiz.redeem.cancel_button.isEnabled()
        qtbot.mouseClick(wiz.redeem.cancel_button, Qt.MouseButton.LeftButton)
        assert wiz.frame.current is wiz.token
        assert "still good" in wiz.token.banner.text()
        assert not [r for r in phone.requests() if r["path"].endswith("/redeem")]
    wiz.shutdown()


def test_webhook_warning_and_back_navigation(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token(webhook_url="https://hooks.example.com/x")
    to_paste(qtbot, wiz)
    wiz.token.paste_edit.setText(issued["token"])
    qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Return)
    assert wiz.frame.current is wiz.confirm
    qtbot.keyClick(wiz.confirm, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert wiz.frame.current is wiz.token
    qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Return)
    assert wiz.frame.current is wiz.confirm
    wiz.confirm.understand.setChecked(True)
    qtbot.keyClick(wiz.confirm, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert wiz.check.webhook.tone == "warning"
    assert "getUpdates does not work" in wiz.check.webhook.text()


def flow_factory(url: str, clock: FakeClock, store: Any, open_store: Any = None) -> Any:
    from x2desk.core.x2chat.client import X2ChatClient
    from x2desk.core.x2chat.flow import RedeemFlow

    return lambda: RedeemFlow(
        X2ChatClient(url + "/api/v1"),
        clock=clock,
        confirm_rotation=True,
        open_store=open_store or (lambda: store),
        open_file_store=lambda _pw: store,
    )


def test_store_failure_keeps_credentials_and_retry_saves(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, phone: SandboxPhone
) -> None:
    store = MemoryStore(failures=1, error=KeyringUnavailable)
    wiz = make_wizard(
        qtbot, sandbox.url, fake_clock, flow_factory=flow_factory(sandbox.url, fake_clock, store)
    )
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, phone.issue_token()["token"])
    qtbot.waitUntil(lambda: step(wiz) == "store_failed", timeout=10000)
    assert wiz.frame.current is wiz.saved
    assert "keyring" in wiz.saved.error.text()
    assert wiz.saved.store_choice.isVisible()
    # Cancel does not throw the new token away silently: it asks
    qtbot.mouseClick(wiz.frame.cancel_button, Qt.MouseButton.LeftButton)
    assert wiz.saved.confirm_discard.isVisible()
    qtbot.mouseClick(wiz.saved.store_choice.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert len(store.items) == 1
    wiz.shutdown()


def test_store_failure_then_discard(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, phone: SandboxPhone
) -> None:
    store = MemoryStore(failures=5, error=KeyringUnavailable)
    wiz = make_wizard(
        qtbot, sandbox.url, fake_clock, flow_factory=flow_factory(sandbox.url, fake_clock, store)
    )
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, phone.issue_token()["token"])
    qtbot.waitUntil(lambda: step(wiz) == "store_failed", timeout=10000)
    qtbot.mouseClick(wiz.saved.store_choice.discard_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wiz.saved.confirm_discard, Qt.MouseButton.LeftButton)
    assert step(wiz) == "intake" and wiz.frame.current is wiz.token
    assert "discarded" in wiz.token.banner.text()
    wiz.shutdown()


def test_no_keyring_before_redeem_offers_encrypted_file(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, phone: SandboxPhone
) -> None:
    store = MemoryStore()

    def no_keyring() -> Any:
        raise KeyringUnavailable()

    wiz = make_wizard(
        qtbot,
        sandbox.url,
        fake_clock,
        flow_factory=flow_factory(sandbox.url, fake_clock, store, open_store=no_keyring),
    )
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, phone.issue_token()["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert wiz.redeem.store_choice.isVisible()
    assert "encrypted file" in wiz.redeem.error.text()
    qtbot.mouseClick(wiz.redeem.store_choice.file_button, Qt.MouseButton.LeftButton)
    dlg = wiz.redeem.store_choice.dialog
    assert dlg is not None
    qtbot.keyClicks(dlg.first, "short")
    assert not dlg.ok_button.isEnabled()
    dlg.first.setText("correct horse battery")
    qtbot.keyClicks(dlg.second, "correct horse battery")
    assert dlg.ok_button.isEnabled()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert len(store.items) == 1
    wiz.shutdown()


def test_check_refused_token_offers_new_qr(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    phone.fault("/api/v1/bot", "status", 401)
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert wiz.frame.current is wiz.check
    assert "refused" in wiz.check.error.text()
    assert wiz.check.scan_again_button.isVisible()
    qtbot.mouseClick(wiz.check.scan_again_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.token
    paste_and_confirm_fresh(qtbot, wiz, phone)


def test_an_action_asked_for_while_a_job_runs_is_run_after_it(
    qtbot: Any, wiz: X2ChatWizard
) -> None:
    import threading

    gate = threading.Event()
    ran: list[str] = []
    wiz._effect(lambda: gate.wait(5), "slow job")
    wiz._effect_when_free(lambda: ran.append("queued"), "queued job")
    assert ran == []  # not lost, not run beside the slow job
    gate.set()
    qtbot.wait_until(lambda: ran == ["queued"], timeout=5000)
    qtbot.wait_until(lambda: wiz._job is None, timeout=5000)


def test_dont_ask_again_is_saved_off_the_gui_thread(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    from x2desk.core.store.settings import load_settings

    assert load_settings().confirm_rotation is True
    to_paste(qtbot, wiz)
    wiz.token.paste_edit.setText(phone.issue_token()["token"])
    qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.frame.current is wiz.confirm)
    wiz.confirm.understand.setChecked(True)
    wiz.confirm.dont_ask.setChecked(True)
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: load_settings().confirm_rotation is False, timeout=5000)
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)


def test_a_failed_webhook_check_is_said_on_the_check_and_saved_pages(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    """Issue 17 item 10: a getWebhookInfo failure was silent."""
    issued = phone.issue_token()
    phone.fault("/api/v1/bot*/getWebhookInfo", "status", 500)
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert "Could not check where this bot's messages go" in wiz.check.webhook.text()
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.saved
    assert "could not check whether this bot has a webhook" in wiz.saved.webhook_note.text()


def test_a_redeem_lost_after_the_commit_then_the_same_qr_again(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    """The fault matrix's row through the window: drop_after_commit on the redeem. The token is
    never retried, the journal keeps the request for the next start, and the same QR shown
    again is named at once without a request (issue 12)."""
    from x2desk.core.store.audit import audit_data_folder

    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "failed", timeout=10000)
    assert "may already be spent" in wiz.redeem.error.text()
    assert not wiz.redeem.retry_button.isVisible()
    assert [f.problem for f in audit_data_folder().findings] == ["unfinished"]
    qtbot.mouseClick(wiz.redeem.scan_again_button, Qt.MouseButton.LeftButton)
    to_paste(qtbot, wiz)
    wiz.token.paste_edit.setText(issued["deep_link"])
    qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Return)
    assert wiz.frame.current is wiz.token  # not the rotation warning
    assert "already sent to X2Chat from this computer" in wiz.token.banner.text()
    redeems = [r for r in phone.requests() if r["path"] == REDEEM]
    assert len(redeems) == 1
