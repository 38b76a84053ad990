"""The X2Chat bot flows, as a person runs them in the demo.

1. ``x2chat_bot_camera``: the phone's QR through the camera; the first redeem is rate limited
   (injected 429 with Retry-After), the countdown runs out, "Try again" connects; the bot is
   checked and a test message arrives on the phone.
2. ``x2chat_bot_spent_qr``: the same (now spent) QR scanned again: the token page says at once
   that it was used on this computer, for which bot (nothing is sent); a new QR from the phone
   panel, scanned, connected.
3. ``x2chat_bot_paste``: the token typed in the Paste tab (cut short first: the hint says so);
   the redeem's answer is lost (injected), a new token is made and typed, connected.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from x2desk.ui.autopilot.runner import Flow, Pilot, StepFailed
from x2desk.ui.autopilot.words import sample, says

REDEEM = "/api/v1/integrations/redeem"
TEST_TEXT = "Checking the bot from the autopilot."  # typed in the window's language (sample)
PASSPHRASE = "demo autopilot passphrase"
TAB_CAMERA, TAB_PASTE = 0, 1
SCAN_TIMEOUT_S = 25.0  # the virtual camera: start, focus, two agreeing reads


# ---- small moves shared by the flows -------------------------------------------------------------


def phone_qr_key(pilot: Pilot) -> int:
    return pilot.pixmap_key("phoneQr")


def new_qr_on_phone(pilot: Pilot, button: str = "phoneNewQr") -> None:
    """Press the phone panel's button and wait until the phone shows the new QR."""
    before = phone_qr_key(pilot)
    pilot.click(button)
    pilot.wait_until(lambda: phone_qr_key(pilot) not in (0, before), "the phone to show a new QR")


def open_wizard(pilot: Pilot, shot: str | None = None) -> None:
    pilot.wait_visible("home")
    pilot.click("connectButton")
    pilot.page("choose")
    pilot.click("choice_x2chat_bot")
    if shot:
        pilot.shot(shot)
    pilot.click("wizardNext")
    pilot.page("token")


def scan_with_camera(pilot: Pilot, shot: str | None = None) -> None:
    """On the token page with the camera tab: wait for the camera to read the phone's QR."""
    if pilot.visible("tokenTabs") is not None and pilot.visible("viewfinder") is None:
        pilot.click_tab("tokenTabs", TAB_CAMERA)
    if shot:
        painted = pilot.wait_until(
            lambda: _frames_painted(pilot) > 0 or pilot.is_visible("page_confirm"),
            "the camera preview",
            SCAN_TIMEOUT_S,
        )
        if painted and not pilot.is_visible("page_confirm"):
            pilot.shot(shot)
    pilot.page("confirm", SCAN_TIMEOUT_S)


def _frames_painted(pilot: Pilot) -> int:
    return int(getattr(pilot.visible("viewfinder"), "frames_painted", 0))


def confirm_and_connect(pilot: Pilot, shot: str | None = None) -> None:
    pilot.page("confirm")
    if shot:
        pilot.shot(shot)
    if pilot.wait_visible("wizardNext").isEnabled():
        raise StepFailed("Connect is enabled before the rotation warning was confirmed")
    pilot.click("confirmRotation")
    pilot.click("wizardNext")


def until(pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 20) -> None:
    """Wait for ``condition``; when the machine has no keyring on the way (the store choice
    shows), keep the credentials in the encrypted file and go on waiting."""
    for _attempt in range(3):
        pilot.wait_until(lambda: condition() or pilot.is_visible("useEncryptedFile"), what, timeout)
        if condition():
            return
        use_encrypted_file(pilot)
    raise StepFailed(f"the encrypted file store was refused; still waiting for {what}")


def wait_for_check(pilot: Pilot) -> None:
    """After "Connect bot": the check page, then "Finish" enabled when the checks are done."""
    until(pilot, lambda: pilot.is_visible("page_check"), "the bot to be connected")
    pilot.control("wizardNext", timeout=20)


def use_encrypted_file(pilot: Pilot) -> None:
    """No system keyring here (a headless machine): keep the credentials in the encrypted file."""
    pilot.shot("no-keyring")
    pilot.click("useEncryptedFile")
    pilot.type_text("passphrase", PASSPHRASE)
    if pilot.is_visible("passphraseAgain"):
        pilot.type_text("passphraseAgain", PASSPHRASE)
    pilot.click("passphraseOk")
    pilot.wait_hidden("passphraseDialog")
    with contextlib.suppress(StepFailed):  # not taken: :func:`until` offers it again
        pilot.wait_hidden("useEncryptedFile", timeout=10)


def finish_and_go_home(pilot: Pilot, shot: str | None = None) -> None:
    pilot.click("wizardNext")  # Finish
    pilot.page("saved")
    masked = pilot.wait_text("savedToken", lambda t: "…" in t, "the masked token")
    if len(masked) > 16:
        raise StepFailed("the saved page shows more of the token than its ends")
    if shot:
        pilot.shot(shot)
    pilot.click("wizardNext")  # Done
    pilot.wait_visible("home")


def redeem_failure(pilot: Pilot, what: str, button: str) -> str:
    """Wait on the redeem page for the error whose way forward is ``button``; its message."""
    until(pilot, lambda: pilot.is_visible(button), f"the redeem page to offer {button!r}")
    pilot.page("redeem")
    return pilot.wait_text("redeemError", bool, what)


def connections_listed(pilot: Pilot) -> int:
    from x2desk.ui.autopilot.moves import home_rows

    return len(home_rows(pilot))


# ---- the flows ----------------------------------------------------------------------------------


def camera_rate_limited(pilot: Pilot) -> None:
    with pilot.step("the home view"):
        pilot.wait_visible("home")
        pilot.wait_until(lambda: phone_qr_key(pilot), "the phone to show its first QR")
        pilot.shots.save(pilot.window, "home")
    with pilot.step("open the wizard, choose an X2Chat bot"):
        open_wizard(pilot, shot="choose")
    with pilot.step("show the phone's QR to the camera"):
        scan_with_camera(pilot, shot="token-camera")
    with pilot.step("confirm the rotation warning, connect (the server is rate limiting)"):
        pilot.phone(
            "make the redeem rate limited",
            lambda p: p.fault(REDEEM, "status", 429, retry_after=2),
        )
        confirm_and_connect(pilot, shot="confirm")
    with pilot.step("rate limited: wait for the countdown, try again"):
        redeem_failure(pilot, "why it failed", "retryCountdown")
        pilot.wait_text("retryCountdown", lambda t: any(c.isdigit() for c in t), "a countdown")
        pilot.shot("redeem-rate-limited")
        pilot.click("retryRedeem", timeout=10)
    with pilot.step("the bot is checked"):
        wait_for_check(pilot)
        pilot.wait_text("botUsername", lambda t: "@" in t, "the bot's username")
        pilot.shot("check")
    with pilot.step("send a test message and see it arrive on the phone"):
        pilot.type_text("testMessageText", sample(TEST_TEXT))
        pilot.click("sendTestMessage")
        pilot.wait_text("testResult", lambda t: t.startswith("✓"), "the message was delivered")
        pilot.wait_until(
            lambda: _phone_has_message(pilot, sample(TEST_TEXT)), "the message on the phone"
        )
        pilot.shot("check-delivered")
    with pilot.step("finish: the bot is saved"):
        finish_and_go_home(pilot, shot="saved")
        pilot.wait_until(lambda: connections_listed(pilot), "the bot in the home list")


def _phone_has_message(pilot: Pilot, text: str) -> bool:
    lst = pilot.visible("phoneMessages")
    if not isinstance(lst, QListWidget):
        return False
    return any(lst.item(i).text() == text for i in range(lst.count()))


USED_HERE = (
    "This QR was already used on this computer at {time} for {bot}: it works only once. To "
    "connect the bot again, make a new QR in X2Chat."
)


def spent_qr(pilot: Pilot) -> None:
    with pilot.step("scan the same QR again: used here, said at once, nothing sent"):
        open_wizard(pilot)
        if pilot.visible("viewfinder") is None:
            pilot.click_tab("tokenTabs", TAB_CAMERA)
        said = pilot.wait_text(
            "tokenBanner",
            lambda t: says(t, USED_HERE),
            "that this QR was used here",
            SCAN_TIMEOUT_S,
        )
        if "@" not in said:
            raise StepFailed(f"the note does not name the bot: {said!r}")
        if pilot.is_visible("page_confirm"):
            raise StepFailed("a QR used here went on to the rotation warning")
        pilot.shot("token-used-here")
    with pilot.step("make a new QR on the phone and scan again"):
        new_qr_on_phone(pilot, "phoneSameBot")
        scan_with_camera(pilot)
        confirm_and_connect(pilot)
    with pilot.step("connected with the new QR"):
        wait_for_check(pilot)
        finish_and_go_home(pilot)


def paste_answer_lost(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose Paste token"):
        open_wizard(pilot)
        pilot.click_tab("tokenTabs", TAB_PASTE)
    issued: dict[str, Any] = {}
    with pilot.step("type a token cut short: the hint says so"):
        issued.update(pilot.phone("make a token for a new bot", lambda p: p.issue_token()))
        token = str(issued["token"])
        pilot.type_text("pasteToken", token[:20])
        pilot.wait_text(
            "pasteHint",
            lambda t: says(
                t,
                "This token is cut short: it has {n} of the {total} characters of an X2Chat "
                "token. Copy it again, whole, or scan the QR instead.",
            ),
            "the token is cut short",
        )
        if pilot.wait_visible("wizardNext").isEnabled():
            raise StepFailed("Next is enabled for a token cut short")
        pilot.shot("token-paste-short")
    with pilot.step("type the whole token, press Enter, connect (the answer gets lost)"):
        pilot.type_text("pasteToken", token)
        pilot.wait_text("pasteHint", lambda t: t.startswith("✓"), "the token is valid")
        pilot.press("pasteToken", Qt.Key.Key_Return)
        pilot.phone(
            "lose the redeem's answer", lambda p: p.fault(REDEEM, "drop_after_commit", times=1)
        )
        confirm_and_connect(pilot)
    with pilot.step("the answer was lost: it says to make a new token"):
        redeem_failure(pilot, "that the answer was lost", "scanAgain")
        pilot.shot("redeem-answer-lost")
    with pilot.step("make a new token for the same bot, type it, connect"):
        again = pilot.phone(
            "make a new token for the same bot",
            lambda p: p.issue_token(bot_id=str(issued["bot_id"])),
        )
        pilot.click("scanAgain")
        pilot.page("token")
        pilot.type_text("pasteToken", str(again["token"]))
        pilot.press("pasteToken", Qt.Key.Key_Return)
        confirm_and_connect(pilot)
    with pilot.step("connected: both bots are listed"):
        wait_for_check(pilot)
        finish_and_go_home(pilot)
        pilot.wait_until(lambda: connections_listed(pilot) >= 2, "both bots in the home list")
        pilot.shot("home-connected")


FLOWS = [
    Flow("x2chat_bot_camera", camera_rate_limited, prefix="x2chat"),
    Flow("x2chat_bot_spent_qr", spent_qr, prefix="x2chat"),
    Flow("x2chat_bot_paste", paste_answer_lost, prefix="x2chat"),
]
