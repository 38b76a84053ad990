"""The kiosk window: the start screen offers the config's flows, the idle reset (on a fake clock)
cancels the flow and leaves nothing typed behind, the done timer, a close is ignored, and only
the admin PIN (after the chord or a long press on the corner) leaves it."""

from __future__ import annotations

from typing import Any

import pytest
from kiosk_helpers import PIN, Rig, config_for
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLineEdit

from x2desk.ui.kiosk.checks import held_input

NUMBER = "+79161234567"


def wait_ready(rig: Rig, window: Any) -> Any:
    """The flow's wizard, once the configured key was checked."""
    rig.qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.api_key is not None)
    return window.wizard


def type_number(rig: Rig, window: Any) -> None:
    wizard = wait_ready(rig, window)
    edit = wizard.phone.phone_edit
    edit.setFocus()
    rig.qtbot.keyClicks(edit, NUMBER)
    assert wizard.phone.field.is_valid()


def test_the_start_screen_offers_the_configured_flows_only(rig: Rig) -> None:
    window = rig.window(flows=("whatsapp", "telegram_code"))
    assert window.screen_name == "start"
    assert list(window.start_screen.cards) == ["whatsapp", "telegram_code"]
    assert window.top.languages.isVisible()
    rig.qtbot.mouseClick(window.start_screen.cards["telegram_code"], Qt.MouseButton.LeftButton)
    assert window.screen_name == "flow" and window.flow_id == "telegram_code"
    assert not window.top.languages.isVisible()


def test_one_flow_starts_straight_in_it_and_again_after_a_reset(rig: Rig) -> None:
    window = rig.window(flows=("telegram_code",))
    assert window.screen_name == "flow" and window.flow_id == "telegram_code"
    first = window.wizard
    window.go_to_start("cancelled")
    assert window.flow_id == "telegram_code" and window.wizard is not first
    assert window.wizard.isVisible()


def test_idle_countdown_then_reset_leaves_nothing_typed(rig: Rig) -> None:
    window = rig.window()
    resets: list[str] = []
    window.went_to_start.connect(resets.append)
    window.start_flow("telegram_code")
    type_number(rig, window)
    assert any(NUMBER in e.text() for e in window.findChildren(QLineEdit))
    rig.pass_time(window, 104)  # 16 s left: no countdown yet
    assert not window.idle_overlay.isVisible()
    rig.pass_time(window, 2)  # 14 s left: "Are you still there?"
    assert window.idle_overlay.isVisible()
    assert "14" in window.idle_overlay.line.text()
    rig.pass_time(window, 14)
    assert resets == ["idle"]
    assert window.screen_name == "start" and window.wizard is None
    assert not window.idle_overlay.isVisible()
    rig.qtbot.wait(5)  # the old wizard is deleted at the next event-loop turn
    assert held_input(window, [NUMBER, NUMBER[1:]]) == []


def test_a_touch_during_the_countdown_keeps_the_flow(rig: Rig) -> None:
    window = rig.window()
    window.start_flow("telegram_code")
    wait_ready(rig, window)
    rig.pass_time(window, 110)
    assert window.idle_overlay.isVisible()
    rig.qtbot.mouseClick(window.idle_overlay.stay_button, Qt.MouseButton.LeftButton)
    rig.pass_time(window, 0)
    assert not window.idle_overlay.isVisible()
    rig.pass_time(window, 100)
    assert window.screen_name == "flow" and window.flow_id == "telegram_code"


def test_idle_reset_cancels_the_session_no_request_after(rig: Rig, phone: Any) -> None:
    window = rig.window()
    window.start_flow("whatsapp")
    wizard = wait_ready(rig, window)
    rig.qtbot.waitUntil(lambda: wizard.session is not None)
    rig.run_sessions()
    rig.run_sessions(5)  # a poll or two: the QR is up
    rig.qtbot.waitUntil(lambda: wizard.qr.shown_payload is not None)
    session = wizard.session
    rig.pass_time(window, 120)
    assert window.screen_name == "start"
    served = len(phone.requests())
    rig.run_sessions(60)  # a minute of polls that must not happen
    assert session.snapshot().terminal
    assert len(phone.requests()) == served


def test_the_password_leaves_its_field_once_sent_and_nothing_after_a_reset(rig: Rig) -> None:
    window = rig.window()
    window.start_flow("telegram_code")
    wizard = wait_ready(rig, window)
    wizard.password.edit.setText("hunter2-secret")
    wizard._next_from(wizard.password)  # no session: nothing is sent, still taken out
    assert wizard.password.edit.text() == ""
    wizard.password.edit.setText("typed-not-sent")
    window.go_to_start("idle")
    rig.qtbot.wait(5)
    assert held_input(window, ["hunter2-secret", "typed-not-sent"]) == []


def test_after_success_the_done_screen_then_the_start(rig: Rig) -> None:
    window = rig.window()
    resets: list[str] = []
    window.went_to_start.connect(resets.append)
    window.start_flow("telegram_code")
    wizard = wait_ready(rig, window)
    wizard.outcome.success()
    rig.qtbot.waitUntil(lambda: window.screen_name == "done")
    assert window.wizard is None
    assert "connected" in window.done_screen.headline.text()
    rig.pass_time(window, 9)
    assert window.screen_name == "done" and "1 s" in window.done_screen.note.text()
    rig.pass_time(window, 1)
    assert window.screen_name == "start" and resets == ["done"]


def test_a_close_is_ignored_and_the_close_keys_do_nothing(rig: Rig) -> None:
    window = rig.window()
    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted()
    window.close()
    assert window.isVisible()
    for key, mods in (
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    ):
        rig.qtbot.keyClick(window, key, mods)
    assert window.isVisible()


def enter_pin(rig: Rig, window: Any, pin: str) -> None:
    for digit in pin:
        rig.qtbot.mouseClick(
            window.pin_pad.findChild(type(window.pin_pad.cancel_button), f"kioskPin_{digit}"),
            Qt.MouseButton.LeftButton,
        )
    assert window.pin_pad.dots.text().count("●") == len(pin)
    rig.qtbot.mouseClick(
        window.pin_pad.findChild(type(window.pin_pad.cancel_button), "kioskPinOk"),
        Qt.MouseButton.LeftButton,
    )
    assert window.pin_pad.dots.text().strip() == ""  # the digits are gone at once


def test_leaving_needs_the_chord_then_the_admin_pin(rig: Rig) -> None:
    window = rig.window()
    left: list[bool] = []
    window.leave.connect(lambda: left.append(True))
    rig.qtbot.keyClick(window, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert not window.pin_pad.isVisible()  # not the chord
    chord = (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
    )
    rig.qtbot.keyClick(window, Qt.Key.Key_X, chord)
    assert window.pin_pad.isVisible()
    enter_pin(rig, window, "11111111")
    rig.qtbot.waitUntil(lambda: "not right" in window.pin_pad.message.text())
    assert not left and window.pin_pad.isVisible()
    enter_pin(rig, window, PIN)
    rig.qtbot.waitUntil(lambda: bool(left))
    assert not window.pin_pad.isVisible()
    event = QCloseEvent()
    window.closeEvent(event)
    assert event.isAccepted()  # once the admin left, the window may close


def test_a_long_press_on_the_corner_opens_the_pin_pad(rig: Rig) -> None:
    window = rig.window()
    rig.qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    rig.pass_time(window, 4)
    assert not window.pin_pad.isVisible()
    rig.pass_time(window, 1)
    assert window.pin_pad.isVisible()
    rig.qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    rig.qtbot.mouseClick(window.pin_pad.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.pin_pad.isVisible()
    # a short press, or one elsewhere, opens nothing
    rig.qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    rig.pass_time(window, 2)
    rig.qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    rig.pass_time(window, 5)
    rig.qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=QPoint(640, 360))
    rig.pass_time(window, 6)
    assert not window.pin_pad.isVisible()


def test_the_pin_pad_left_open_is_closed_by_the_idle_reset(rig: Rig) -> None:
    window = rig.window()
    window.ask_pin()
    window.pin_pad.press("4")
    rig.pass_time(window, 121)
    assert not window.pin_pad.isVisible() and window.pin_pad.dots.text().strip() == ""


def test_the_language_switch_and_back_to_the_stations_language_after_idle(rig: Rig) -> None:
    from x2desk import i18n

    window = rig.window()
    try:
        rig.qtbot.mouseClick(window.top.languages.buttons["ru"], Qt.MouseButton.LeftButton)
        assert i18n.current_language() == "ru"
        assert window.start_screen.cards["whatsapp"].title_label.text() == i18n._(
            "WhatsApp account"
        )
        rig.pass_time(window, 121)
        assert i18n.current_language() == "en"
        assert window.start_screen.cards["whatsapp"].title_label.text() == "WhatsApp account"
    finally:
        i18n.set_language("en")


def test_an_unexpected_error_goes_back_to_the_start_without_a_dialog(rig: Rig) -> None:
    from x2desk.ui.common import crash_guard

    window = rig.window()
    window.start_flow("telegram_code")
    crash_guard.install(window.recover)
    try:
        crash_guard.report(RuntimeError, RuntimeError("boom"), None)
        rig.qtbot.waitUntil(lambda: window.screen_name == "start")
        assert crash_guard.current_box() is None
    finally:
        crash_guard.uninstall()


def test_a_station_without_its_key_says_it_is_not_ready(rig: Rig) -> None:
    from x2desk.core.saving import open_chosen_store

    open_chosen_store().delete(rig.station.key_ref)
    window = rig.window()
    window.start_flow("whatsapp")
    rig.qtbot.waitUntil(lambda: window.screen_name == "not_ready")
    assert window.wizard is None
    assert "staff" in window.not_ready_screen.line.text()
    rig.pass_time(window, 10)
    assert window.screen_name == "start"


def test_the_config_path_is_not_shown(rig: Rig, tmp_path: Any) -> None:
    config = config_for(rig.station, path=tmp_path / "secret-place" / "kiosk.toml")
    window = rig.window(config=config)
    assert held_input(window, ["secret-place"]) == []


def test_wrong_pins_make_the_next_try_wait(rig: Rig) -> None:
    window = rig.window()
    window.ask_pin()
    for _ in range(3):
        enter_pin(rig, window, "11111111")
        rig.qtbot.waitUntil(lambda: window.pin_pad._job is None)
    assert "Try again in 30 s" in window.pin_pad.message.text()
    left: list[bool] = []
    window.leave.connect(lambda: left.append(True))
    enter_pin(rig, window, PIN)  # during the pause: not even checked
    assert "Try again in" in window.pin_pad.message.text() and not left
    rig.clock.advance(30)
    enter_pin(rig, window, PIN)
    rig.qtbot.waitUntil(lambda: bool(left))


def test_a_late_success_from_a_flow_gone_is_ignored(rig: Rig) -> None:
    window = rig.window(flows=("telegram_code",))
    gone = window.wizard.outcome
    window.go_to_start("cancelled")  # the same flow again, for the next person
    gone.success()
    rig.qtbot.wait(20)
    assert window.screen_name == "flow"


def test_many_flows_on_a_small_screen_scroll_and_no_card_is_cut(rig: Rig) -> None:
    from x2desk.core.kinds import FLOWS

    window = rig.window(flows=tuple(FLOWS))
    window.resize(640, 420)  # a 1024x600 screen with the demo's phone beside the kiosk
    window.show()
    rig.qtbot.waitExposed(window)
    start = window.start_screen
    rig.qtbot.wait(50)  # the layout settles
    for card in start.cards.values():
        assert card.height() >= card.heightForWidth(card.width()), card.text()
    assert start.cards_scroll.verticalScrollBar().maximum() > 0  # the rest is a drag away


def test_each_reset_gives_the_freed_memory_back(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    from x2desk.ui.kiosk import window as window_module

    trimmed: list[bool] = []
    monkeypatch.setattr(window_module, "TRIM_AFTER_MS", 0)
    monkeypatch.setattr(window_module, "trim_heap", lambda: trimmed.append(True) or True)
    window = rig.window()
    rig.qtbot.waitUntil(lambda: len(trimmed) == 1)  # the first start
    window.start_flow("telegram_code")
    window.go_to_start("idle")
    rig.qtbot.waitUntil(lambda: len(trimmed) == 2)
