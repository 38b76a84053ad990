"""Every wizard ends by asking for the connection's label, the same way: prefilled with what was
saved (the bot's @username, the account's name, the instance's id and phone), and a label typed
there renames the record (its history says so) when the wizard finishes."""

from __future__ import annotations

import sys
from typing import Any

import shiboken6
from helpers import (
    AccountsDriver,
    GreenApiDriver,
    make_accounts_wizard,
    make_greenapi_wizard,
    make_x2chat_wizard,
    paste_and_confirm,
    to_paste,
)
from helpers import rendered_step as step
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.common.label_field import LabelField, records_changed
from x2desk.ui.common.workers import wait_all
from x2desk.ui.context import AppContext


def saved(kind: str) -> Any:
    with RecordStore.open() as records:
        (record,) = records.list(kind)
        return record, [e.flow for e in records.history(record.id)]


def test_the_x2chat_bot_s_label_is_its_username_and_can_be_changed(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, phone: SandboxPhone
) -> None:
    wiz = make_x2chat_wizard(qtbot, sandbox.url, fake_clock)
    issued = phone.issue_token()
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["deep_link"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    field = wiz.saved.label_field
    qtbot.waitUntil(lambda: field.isVisible() and field.edit.text().startswith("@"), timeout=5000)
    record, _history = saved("x2chat_bot")
    assert field.edit.text() == f"@{record.username}" == record.display_label
    field.edit.setText("")
    assert field.hint.property("tone") == "hint-bad"  # an empty label is not one
    field.edit.setText("Front desk bot")
    with qtbot.waitSignal(field.renamed, timeout=5000):
        qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)  # Done
    record, history = saved("x2chat_bot")
    assert record.display_label == "Front desk bot" and history[-1] == "rename"
    wiz.shutdown()


def test_an_account_s_label_is_its_name_and_can_be_changed(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler, phone: SandboxPhone
) -> None:
    wiz = make_accounts_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    wiz.start()
    d = AccountsDriver(qtbot, wiz, manual)
    d.choose("telegram_bot", phone.provider_key())
    d.wait_page("account_bot")
    d.type(wiz.bot.token_edit, "123456789:" + "A" * 35)
    d.type(wiz.bot.name_edit, "Support bot")
    d.next()
    d.until(State.CONNECTED)
    field = wiz.result.label_field
    qtbot.waitUntil(lambda: field.edit.text() == "Support bot", timeout=5000)
    assert field.isVisible()
    field.edit.setText("Support bot (night)")
    with qtbot.waitSignal(field.renamed, timeout=5000):
        qtbot.mouseClick(wiz.result.another_button, Qt.MouseButton.LeftButton)
    record, history = saved("telegram_bot")
    assert record.display_label == "Support bot (night)" and history[-1] == "rename"
    assert not field.isVisible()  # connecting another: a new page
    wiz.shutdown()


def test_a_green_api_instance_s_label_is_its_id_and_phone(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler, phone: SandboxPhone
) -> None:
    wiz = make_greenapi_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    wiz.start()
    d = GreenApiDriver(qtbot, wiz, manual)
    info = phone.greenapi_instance()
    assert wiz.instance.findChild(type(wiz.instance.id_edit), "greenapiName") is None
    d.enter_instance(info)
    phone.scan(d.qr_payload())
    d.until(lambda: wiz.result.outcome == "paired", "paired", step_s=5)
    field = wiz.result.label_field
    qtbot.waitUntil(lambda: field.edit.text() != "", timeout=5000)
    record, _history = saved("greenapi")
    assert field.edit.text() == record.display_label
    assert field.edit.text().startswith(f"Green-API {info['idInstance']} · +")  # with its phone
    field.edit.setText("Warehouse Telegram")
    with qtbot.waitSignal(field.renamed, timeout=5000):
        qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)  # Finish
    record, history = saved("greenapi")
    assert record.display_label == "Warehouse Telegram" and history[-1] == "rename"
    wiz.shutdown()


def late_answers(qtbot: Any) -> list[BaseException]:
    """Wait for the workers, let their answers reach the GUI thread; what they raised there."""
    errors: list[BaseException] = []
    assert wait_all()
    hook, sys.excepthook = sys.excepthook, lambda *exc: errors.append(exc[1])
    try:
        qtbot.wait(50)  # the answer is delivered on the GUI thread
    finally:
        sys.excepthook = hook
    return errors


def test_a_label_read_after_its_page_was_thrown_away_is_dropped(qtbot: Any) -> None:
    """The kiosk throws each person's wizard away; a label read still on its way must not touch
    the deleted field (seen in a 200-person kiosk run: a RuntimeError into the crash guard)."""
    with RecordStore.open() as records:
        record = records.upsert("x2chat_bot", "77", username="shop_bot", chat_id=92)
    field = LabelField("labelProbe")
    field.load(record.id)
    shiboken6.delete(field)  # before the worker's answer comes back
    assert late_answers(qtbot) == []


def test_a_rename_answered_after_its_page_was_thrown_away_still_tells_the_home(
    qtbot: Any,
) -> None:
    """Done commits the label and may close the wizard before the rename answers: the field is
    gone, but the home list must still hear that a record changed."""
    with RecordStore.open() as records:
        record = records.upsert("x2chat_bot", "78", username="desk_bot", chat_id=93)
    field = LabelField("labelProbe")
    field.record_id, field.saved = record.id, record.display_label
    field.edit.setText("Front desk")
    told: list[bool] = []

    def tell() -> None:
        told.append(True)

    changed = records_changed().changed
    changed.connect(tell)
    try:
        field.commit()
        shiboken6.delete(field)
        assert late_answers(qtbot) == []
    finally:
        changed.disconnect(tell)  # the signal is the app's: later tests must not reach this list
    assert told == [True]
    with RecordStore.open() as records:
        assert records.get(record.id).display_label == "Front desk"
