"""Back from Confirm stays back (issue 12): the camera still sees the QR just declined, and it is
not taken again until it leaves the view, so the other tabs can be reached; a QR just used (a
failed redeem) likewise. Enter hands a pasted token on once: one submit, one message."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.demo.virtual_camera import VirtualCamera
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.x2chat.just_used import JustUsedQr
from x2desk.ui.x2chat.wizard import X2ChatWizard

SCAN_MS = 15000


def camera_wizard(qtbot: Any, url: str, clock: FakeClock, camera: VirtualCamera) -> X2ChatWizard:
    ensure_app()
    ctx = AppContext.for_sandbox(url, camera_factory=lambda: camera)
    w = X2ChatWizard(ctx, clock=clock, redeem_grace_ms=0)
    qtbot.addWidget(w)
    w.resize(1000, 680)
    w.show()
    w.start()
    return w


def scanned_then_back(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, clock: FakeClock
) -> tuple[X2ChatWizard, VirtualCamera, dict[str, Any]]:
    """The camera reads a new QR (Confirm), then Back: the wizard, its camera, the QR's token."""
    issued = phone.issue_token()
    cam = VirtualCamera(issued["deep_link"])
    w = camera_wizard(qtbot, sandbox.url, clock, cam)
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=SCAN_MS)
    qtbot.mouseClick(w.frame.back_button, Qt.MouseButton.LeftButton)
    return w, cam, issued


def test_back_from_confirm_does_not_bounce_forward(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    w, cam, issued = scanned_then_back(qtbot, sandbox, phone, fake_clock)
    assert w.frame.current is w.token
    # the camera reads the same QR again, and again: it is refused each time
    qtbot.waitUntil(lambda: w.token.just_used.refusals >= 2, timeout=SCAN_MS)
    assert w.frame.current is w.token and w.rendered is not None
    assert w.rendered.step.value == "intake"
    assert "just used" in w.token.camera.status.text()
    # the other tabs are reachable
    w.token.tabs.setCurrentIndex(w.token.TAB_PASTE)
    assert w.frame.current is w.token and w.token.paste_edit.isVisible()
    w.token.tabs.setCurrentIndex(w.token.TAB_CAMERA)
    # the QR leaves the view and comes back: now it is taken
    cam.show(None)
    qtbot.waitUntil(lambda: not w.token.just_used.waiting, timeout=SCAN_MS)
    assert "Hold the QR" in w.token.camera.status.text()
    cam.show(issued["deep_link"])
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=SCAN_MS)
    w.shutdown()


def test_a_new_qr_is_taken_at_once_after_back(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    w, cam, _first = scanned_then_back(qtbot, sandbox, phone, fake_clock)
    second = phone.issue_token()
    cam.show(second["deep_link"])  # the phone shows a new QR
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=SCAN_MS)
    assert w.rendered is not None and w.rendered.intake is not None
    assert w.rendered.intake.token == second["token"]
    w.shutdown()


def test_a_fresh_start_takes_any_qr() -> None:
    used = JustUsedQr(gone_frames=3)
    used.taken("x2chat://a")
    used.back_on_page()
    assert used.refuses("x2chat://a") and not used.refuses("x2chat://b")
    assert not used.frame(True) and not used.frame(False) and not used.frame(False)
    assert used.frame(False)  # three frames without a code: gone
    assert not used.refuses("x2chat://a")
    used.taken("x2chat://a")
    used.back_on_page()
    used.forget()  # the wizard opened anew
    assert not used.refuses("x2chat://a") and not used.waiting


def test_enter_in_the_paste_field_hands_the_token_on_once(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    from helpers import make_x2chat_wizard

    w = make_x2chat_wizard(qtbot, sandbox.url, fake_clock)
    submitted: list[Any] = []
    flow = w.flow
    assert flow is not None
    real_submit = flow.submit
    flow.submit = lambda intake: submitted.append(intake) or real_submit(intake)  # type: ignore[method-assign]
    w.token.tabs.setCurrentIndex(w.token.TAB_PASTE)
    w.token.paste_edit.setText(phone.issue_token()["token"])
    qtbot.keyClick(w.token.paste_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.frame.current is w.confirm)
    qtbot.wait(50)
    assert len(submitted) == 1
    # Enter from the check box connects, once
    qtbot.mouseClick(w.confirm.understand, Qt.MouseButton.LeftButton)
    w.confirm.understand.setChecked(True)
    w.confirm.understand.setFocus()
    qtbot.keyClick(w.confirm.understand, Qt.Key.Key_Return)
    assert w.confirm.understand.isChecked()  # Enter did not toggle it
    qtbot.waitUntil(
        lambda: w.rendered is not None and w.rendered.step.value == "checked", timeout=10000
    )
    assert w.frame.current is w.check
    assert w.check.webhook.text().count("fetch this bot's messages") == 1
    w.shutdown()


def test_the_banner_gives_the_technical_words_on_a_details_line(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    from helpers import make_x2chat_wizard, paste_and_confirm

    w = make_x2chat_wizard(qtbot, sandbox.url, fake_clock)
    issued = phone.issue_token(webhook_url="https://hooks.example.com/x2chat")
    w.token.tabs.setCurrentIndex(w.token.TAB_PASTE)
    paste_and_confirm(qtbot, w, issued["deep_link"])
    qtbot.waitUntil(
        lambda: w.rendered is not None and w.rendered.step.value == "checked", timeout=10000
    )
    plain, details = w.check.webhook.text().split("\n")
    assert "webhook" not in plain.lower() and "getupdates" not in plain.lower()
    assert "hooks.example.com" in plain
    assert details.startswith("Details:") and "getUpdates" in details
    w.shutdown()


def test_reopening_the_wizard_closed_on_the_token_page_starts_the_camera_again(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    w, _cam, _issued = scanned_then_back(qtbot, sandbox, phone, fake_clock)
    w.request_close()  # Escape on the token page
    assert not w.token.camera.running
    w.start()  # opened again from the chooser: the same QR is taken (a fresh start)
    assert w.token.camera.running or w.frame.current is w.confirm
    qtbot.waitUntil(lambda: w.frame.current is w.confirm, timeout=SCAN_MS)
    w.shutdown()
