"""The Green-API wizard against the sandbox over loopback, on a fake clock: the id and token
checked as typed, the QR shown and replaced, a stale QR refused by the phone, 2FA with a wrong
password first, the instance's states shown with what to do, already authorised (keep / log out
and pair again), errors with their way forward, a keyring that fails, and re-pairing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import GreenApiDriver as Driver
from helpers import MemoryStore
from helpers import make_greenapi_wizard as make_wizard
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit

from x2desk.core.clock import FakeClock
from x2desk.core.errors import KeyringUnavailable
from x2desk.core.secret import Secret
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import QrRefused, SandboxPhone
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.wizard import GreenApiWizard

PASSWORD = "cloud-pass-42"


@pytest.fixture
def wiz(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[GreenApiWizard]:
    w = make_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    w.start()
    yield w
    w.shutdown()


@pytest.fixture
def d(qtbot: Any, wiz: GreenApiWizard, manual: ManualScheduler) -> Driver:
    return Driver(qtbot, wiz, manual)


def saved_token(id_instance: Any) -> Secret | None:
    from x2desk.core.store.credentials import open_credential_store

    return open_credential_store().load(f"greenapi:{id_instance}")


def saved_record(id_instance: Any) -> Any:
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        return records.find("greenapi", str(id_instance))


# ---- the instance page --------------------------------------------------------------------------


def test_id_and_token_are_checked_as_typed_and_the_token_stays_masked(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    page = wiz.instance
    assert d.page == "greenapi_instance"
    assert page.token_edit.echoMode() is QLineEdit.EchoMode.Password
    assert not wiz.frame.next_button.isEnabled()
    d.type(page.id_edit, "11010abc")
    assert "digits only" in page.id_hint.text()
    assert page.id_hint.property("tone") == "hint-bad"
    d.type(page.id_edit, "waInstance 1101000001")
    assert page.id_hint.text() == "OK: instance 1101000001"
    d.type(page.token_edit, "short")
    assert "not an apiTokenInstance" in page.token_hint.text()
    assert not wiz.frame.next_button.isEnabled()
    token = phone.greenapi_instance()["apiTokenInstance"]
    d.type(page.token_edit, token)
    hint = page.token_hint.text()
    assert hint.startswith("OK: 50 characters") and token not in hint and token[:4] in hint
    assert wiz.frame.next_button.isEnabled()
    d.shot("01-instance")


def test_demo_mode_fills_in_a_sandbox_instance(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler, phone: SandboxPhone
) -> None:
    ctx = AppContext.for_sandbox(sandbox.url, demo=True)
    made: list[dict[str, Any]] = []

    def console() -> dict[str, Any]:
        made.append(phone.greenapi_instance())
        return made[-1]

    ctx.demo_greenapi_instance = console
    w = make_wizard(qtbot, ctx, fake_clock, manual)
    w.start()
    qtbot.waitUntil(lambda: bool(w.instance.id_edit.text()), timeout=5000)
    assert w.instance.id_edit.text() == str(made[0]["idInstance"])
    assert w.instance.token().reveal() == made[0]["apiTokenInstance"]
    assert "Demo" in w.instance.demo_note.text()
    assert w.frame.next_button.isEnabled()
    w.shutdown()


# ---- pairing --------------------------------------------------------------------------------


def test_two_factor_pairing_with_a_wrong_password_first(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone, caplog: pytest.LogCaptureFixture
) -> None:
    from x2desk.core import redact

    caplog.set_level(logging.DEBUG)
    redact.install()  # as the application does at start-up
    info = phone.greenapi_instance()
    token = info["apiTokenInstance"]
    d.enter_instance(info)
    payload = d.qr_payload()
    assert wiz.qr.busy.isHidden() and "A fresh QR in 5 seconds" in wiz.qr.countdown.text()
    d.shot("02-qr")
    phone.scan(payload, password=PASSWORD)
    d.until(lambda: d.page == "greenapi_password", "asked for the password", step_s=5)
    assert not wiz.qr.has_qr()  # the scanned QR is gone
    d.shot("03-password")
    d.type(wiz.password.edit, "not-the-password")
    d.next()
    d.until(lambda: wiz.password.wrong_count == 1, "said the password is wrong")
    assert d.page == "greenapi_password"
    assert "password is wrong" in wiz.password.banner.text()
    assert wiz.password.banner.tone == "error"
    d.shot("04-wrong-password")
    d.type(wiz.password.edit, PASSWORD)
    d.qtbot.keyClick(wiz.password.edit, Qt.Key.Key_Return)  # Enter sends it too
    d.until(lambda: wiz.result.outcome == "paired", "paired")
    details = wiz.result.details.text()
    assert f"Instance: {info['idInstance']}" in details and "Telegram account: +7900" in details
    assert Secret(token).masked in details and token not in details
    assert "password store" in details and "keyring" not in details  # plain words...
    assert f"idInstance {info['idInstance']}" in wiz.result.technical.text()  # ...and details
    assert wiz.frame.next_button.isEnabled()
    assert not wiz.frame.cancel_button.isVisible()  # paired: only Finish
    d.shot("05-paired")
    assert saved_token(info["idInstance"]) == Secret(token)
    record = saved_record(info["idInstance"])
    assert record is not None and record.outcome == "connected"
    assert phone.state()["instances"][str(info["idInstance"])]["state"] == "authorized"
    assert all(token not in r.getMessage() for r in caplog.records)
    d.next()  # Finish
    assert d.page == "greenapi_result"  # closed: the wizard emitted closed and stopped


def test_the_qr_is_replaced_and_a_stale_one_is_refused(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    first = d.qr_payload()
    drawn = wiz.qr.redraws
    d.until(lambda: wiz.qr.redraws > drawn, "redrew a new QR", step_s=5)
    second = d.qr_payload()
    assert second != first
    with pytest.raises(QrRefused):
        phone.scan(first)  # the phone that read the old QR is refused, as a real one
    assert d.page == "greenapi_qr"
    phone.scan(second)
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    assert saved_token(info["idInstance"]) == Secret(info["apiTokenInstance"])


def test_an_expired_qr_is_never_left_up(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler, phone: SandboxPhone
) -> None:
    w = make_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual, 8.0)
    w.start()
    d = Driver(qtbot, w, manual)
    d.enter_instance(phone.greenapi_instance())
    d.qr_payload()
    phone.fault("/waInstance", "status", 503, times=20)  # no new QR can come
    d.run(5)  # a poll fails: the QR still has 3 s
    assert w.qr.has_qr()
    assert "Green-API had an internal error" in w.qr.banner.text()
    d.run(3.5)
    w.tick()
    qtbot.waitUntil(lambda: not w.qr.has_qr(), timeout=2000)
    assert "expired" in w.qr.image.text()
    assert not w.qr.busy.isHidden()  # waiting, visibly
    d.shot("06-expired")
    w.shutdown()


@pytest.mark.parametrize(
    ("state", "says"),
    [("sleepMode", "sleep mode"), ("starting", "starting")],
)
def test_waiting_states_are_shown_with_what_to_do(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone, state: str, says: str
) -> None:
    info = phone.greenapi_instance()
    phone.greenapi_control(info["idInstance"], state=state)
    d.enter_instance(info)
    d.until(lambda: says in wiz.qr.status.text(), f"said {says}")
    assert not wiz.qr.busy.isHidden() and not wiz.qr.has_qr()
    d.shot(f"07-{state}")
    phone.greenapi_control(info["idInstance"], state="notAuthorized")
    d.run(5)
    assert d.qr_payload()  # polling went on: the QR comes


@pytest.mark.parametrize(
    ("state", "says"),
    [("blocked", "blocked the account"), ("yellowCard", "yellow card")],
)
def test_blocked_and_yellow_card_end_with_what_to_do_and_try_again(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone, state: str, says: str
) -> None:
    info = phone.greenapi_instance()
    phone.greenapi_control(info["idInstance"], state=state)
    d.enter_instance(info)
    d.until(lambda: wiz.result.outcome == "failed", "failed")
    assert says in wiz.result.banner.text()
    d.shot(f"08-{state}")
    phone.greenapi_control(info["idInstance"], state="notAuthorized")
    d.click(wiz.result.retry_button)
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)


def test_a_qr_error_answer_is_explained_and_polling_goes_on(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    phone.greenapi_control(info["idInstance"], qr_errors=["timeout"])
    d.enter_instance(info)
    d.until(lambda: "unreachable" in wiz.qr.status.text(), "explained the timeout")
    d.run(5)
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)


def test_rate_limit_is_honoured_then_the_qr_comes(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    d.qr_payload()
    phone.fault("/waInstance", "status", 429, times=1, retry_after=1)
    d.run(5)
    d.until(lambda: "limits how often" in wiz.qr.banner.text(), "said it is rate limited")
    d.run(5)
    d.until(lambda: not wiz.qr.banner.isVisible(), "recovered", step_s=1)
    assert wiz.qr.has_qr()


def test_a_wrong_token_says_so_and_change_keeps_the_values(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    wrong = dict(info, apiTokenInstance="a" * 50)
    d.enter_instance(wrong)
    d.until(lambda: wiz.result.outcome == "failed", "failed")
    assert "refused instance" in wiz.result.banner.text()
    assert "a" * 50 not in wiz.result.banner.text()
    d.shot("09-wrong-token")
    d.click(wiz.result.fix_button)
    assert d.page == "greenapi_instance"
    assert wiz.instance.id_edit.text() == str(info["idInstance"])
    d.type(wiz.instance.token_edit, info["apiTokenInstance"])
    d.next()
    d.wait_page("greenapi_method")
    d.next()
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)


def test_cancel_on_the_qr_page_stops_polling(
    qtbot: Any, d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    d.qr_payload()
    with qtbot.wait_signal(wiz.closed, timeout=2000):
        d.qtbot.mouseClick(wiz.frame.cancel_button, Qt.MouseButton.LeftButton)
    served = len(phone.requests())
    d.run(30)
    assert len(phone.requests()) == served  # nothing was sent after Cancel


# ---- already authorised -------------------------------------------------------------------------


def test_already_authorised_log_out_and_pair_again(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    info = phone.greenapi_instance()
    phone.greenapi_control(info["idInstance"], state="authorized")
    d.enter_instance(info)
    d.until(lambda: d.page == "greenapi_already", "offered the choice")
    assert str(info["idInstance"]) in wiz.already.subtitle
    assert wiz.already.keep_button.hasFocus() or not wiz.isActiveWindow()
    d.shot("10-already")
    d.click(wiz.already.repair_button)
    assert d.page == "greenapi_qr"
    d.until(lambda: "restarting" in wiz.qr.status.text(), "said it logged out")
    d.run(4)
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    assert "is linked to the Telegram account +7900" in wiz.result.headline.text()
    assert any(r["path"].startswith(f"/waInstance{info['idInstance']}/logout/") for r in
               phone.requests())  # fmt: skip


def test_already_authorised_keep_it(d: Driver, wiz: GreenApiWizard, phone: SandboxPhone) -> None:
    info = phone.greenapi_instance()
    phone.greenapi_control(
        info["idInstance"], state="authorized", already_type="already_registered"
    )
    d.enter_instance(info)
    d.until(lambda: d.page == "greenapi_already", "offered the choice")
    d.qtbot.keyClick(wiz.already.keep_button, Qt.Key.Key_Space)  # keyboard works
    d.until(lambda: wiz.result.outcome == "paired", "kept")
    assert "already linked: kept" in wiz.result.headline.text()
    assert not any("/logout/" in r["path"] for r in phone.requests())
    assert saved_record(info["idInstance"]).flow == "greenapi_keep"


# ---- storing ----------------------------------------------------------------------------------


def test_no_keyring_then_the_encrypted_file_store(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone, monkeypatch: pytest.MonkeyPatch
) -> None:
    import x2desk.core.store.credentials as credentials

    def no_keyring(*_a: Any, **_k: Any) -> Any:
        raise KeyringUnavailable()

    file_store = MemoryStore()
    monkeypatch.setattr(credentials, "open_credential_store", no_keyring)
    monkeypatch.setattr(credentials, "use_encrypted_file", lambda _p: file_store)
    info = phone.greenapi_instance()
    d.enter_instance(info)
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "store_failed", "said the token is not saved", 5)
    assert "no system keyring" in wiz.result.banner.text()
    assert wiz.result.store_choice.isVisible()
    d.shot("11-no-keyring")
    wiz.result.store_choice.use_file.emit(Secret("a long passphrase"))
    d.until(lambda: wiz.result.outcome == "paired", "saved")
    assert file_store.items[f"greenapi:{info['idInstance']}"] == Secret(info["apiTokenInstance"])
    assert "the test store" in wiz.result.technical.text()


# ---- re-pairing from the home list ---------------------------------------------------------------


def test_repair_a_saved_instance(d: Driver, wiz: GreenApiWizard, phone: SandboxPhone) -> None:
    info = phone.greenapi_instance()
    d.enter_instance(info)
    stale = d.qr_payload()
    phone.scan(stale)
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    record = saved_record(info["idInstance"])
    wiz.start_repair(record.id)
    d.until(lambda: d.page == "greenapi_already", "offered the choice")
    d.click(wiz.already.repair_button)
    assert "Re-pairing instance" in wiz.qr.instance_label.text()
    d.run(4)
    fresh = d.qr_payload()
    with pytest.raises(QrRefused):
        phone.scan(stale)
    phone.scan(fresh)
    d.until(lambda: wiz.result.outcome == "paired", "re-paired", step_s=5)
    assert saved_record(info["idInstance"]).flow == "greenapi_repair"


def test_repair_without_a_saved_token_says_what_to_do(
    d: Driver, wiz: GreenApiWizard, phone: SandboxPhone
) -> None:
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        record = records.upsert("greenapi", "1101000009", secret_ref="greenapi:1101000009")
    wiz.start_repair(record.id)
    d.until(lambda: wiz.result.outcome == "failed", "failed")
    assert "no longer in" in wiz.result.banner.text()
    d.click(wiz.result.fix_button)
    assert d.page == "greenapi_instance"
    assert wiz.instance.id_edit.text() == "1101000009"


# ---- the controls ------------------------------------------------------------------------------


def test_every_control_has_names(wiz: GreenApiWizard) -> None:
    from PySide6.QtWidgets import QWidget

    for page in (wiz.instance, wiz.qr, wiz.already, wiz.password, wiz.result):
        for w in page.findChildren(QWidget):
            if isinstance(w, QAbstractButton | QLineEdit):
                assert w.objectName(), f"{type(w).__name__} on {page.page_id} has no objectName"
                assert w.accessibleName(), f"{w.objectName()} has no accessibleName"


# ---- the way in: "What to connect" and the home list's "Re-pair…" --------------------------------


def test_choose_page_and_home_repair_open_the_green_api_wizard(
    qtbot: Any, sandbox: Any, phone: SandboxPhone
) -> None:
    from x2desk.core.store.records import RecordStore
    from x2desk.ui.main_window import MainWindow

    window = MainWindow(AppContext.for_sandbox(sandbox.url))
    qtbot.addWidget(window)
    window.show()
    try:
        window.open_wizard()
        chooser = window.router.chooser
        assert chooser is not None
        qtbot.mouseClick(chooser.page.buttons["greenapi"], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(chooser.frame.next_button, Qt.MouseButton.LeftButton)
        green = window.router.wizard("greenapi")
        assert isinstance(green, GreenApiWizard)
        qtbot.waitUntil(lambda: window.views.currentWidget() is green, timeout=2000)
        assert green.frame.current is green.instance
        green.request_close()  # Cancel: back home

        with RecordStore.open() as records:
            records.upsert("greenapi", "1101000042", name="Support", secret_ref="greenapi:x")
        window.home.reload()  # read in a worker
        qtbot.waitUntil(lambda: not window.home.loading and len(window.home.rows) == 1)
        body = window.home.body
        (row,) = body.visible_rows()
        assert row.where == "instance 1101000042"
        fix = body.buttons["fixButton"]
        assert body.selected() == row and fix.isEnabled() and fix.text() == "Re-&pair…"
        qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: green.result.outcome == "failed", timeout=5000)
        assert window.views.currentWidget() is green
        assert "1101000042" in green.result.banner.text()  # its token is not saved
    finally:
        window.close()
