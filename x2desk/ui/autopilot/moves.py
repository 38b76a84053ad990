"""The moves the accounts and Green-API flows share: the accounts wizard's first pages, the
login QR on the desktop (waiting for a fresh one, reading its pixels as a phone camera would),
and the demo phone's buttons (2FA, scan the desktop's QR, show the login code)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox

from x2desk.ui.autopilot.runner import Pilot, StepFailed

PASSWORD_2FA = "demo-2fa"  # the account's two-step verification password (typed on the phone)
ROTATION_TIMEOUT_S = 20.0  # one rotation of the login QR (6 s in the autopilot's sandbox)
CONNECT_TIMEOUT_S = 15.0
MIN_QR_LEFT_S = 3  # scan only a QR with at least this long to live (no race with its rotation)
_COUNTDOWN = re.compile(r"(\d+)\s*s")
_CODE = re.compile(r"(\d{4,8})")


def open_accounts(pilot: Pilot, kind: str, shots: bool = False) -> None:
    """From the home view: Connect…, "Messenger account or bot", Next, the kind, Next."""
    pilot.wait_visible("home")
    pilot.click("connectButton")
    pilot.page("choose")
    pilot.click("choice_accounts")
    if shots:
        pilot.shot("choose")
    pilot.click("wizardNext")
    choose_kind(pilot, kind, shots)


def choose_kind(pilot: Pilot, kind: str, shot: bool = False) -> None:
    pilot.page("account_kind")
    pilot.click(f"kind_{kind}")
    if shot:
        pilot.shot("kind")
    pilot.click("wizardNext")
    pilot.page("account_provider")


def provider_next(pilot: Pilot, key: str | None = None, shot: str | None = None) -> None:
    """On the provider page: type ``key`` (or keep the one filled in), Next when it is enabled."""
    pilot.page("account_provider")
    if key is not None:
        pilot.type_text("providerKey", key)
    else:
        pilot.wait_until(lambda: pilot.text("providerKey"), "the provider's key to be filled in")
    remember = pilot.control("providerRemember")
    if isinstance(remember, QCheckBox) and remember.isChecked():
        # a throwaway sandbox key has no place in this computer's keyring
        pilot.click("providerRemember")
        pilot.wait_until(lambda: not remember.isChecked(), "'Remember the key' to be off")
    pilot.control("wizardNext")
    if shot:
        pilot.shot(shot)
    pilot.click("wizardNext")


def qr_key(pilot: Pilot) -> int:
    """The QR on the desktop's page (0: none)."""
    return pilot.pixmap_key("accountQrImage")


def qr_seconds_left(pilot: Pilot) -> int:
    found = _COUNTDOWN.search(pilot.text("accountQrCountdown"))
    return int(found.group(1)) if found else 0


def wait_for_qr(pilot: Pilot, fresh: bool = False) -> int:
    """Wait for a QR on the page (``fresh``: one with time to scan it); its key."""
    pilot.page("account_qr")
    return pilot.wait_until(
        lambda: (
            (k := qr_key(pilot)) and (not fresh or qr_seconds_left(pilot) >= MIN_QR_LEFT_S) and k
        ),
        "a login QR on the page" + (" with time left to scan it" if fresh else ""),
        ROTATION_TIMEOUT_S,
    )


def read_desktop_qr(pilot: Pilot, name: str = "accountQrImage") -> str:
    """What the phone's camera reads from the QR on the desktop's page (x2desk's decoder, on a
    worker)."""
    from x2desk.demo.phone_panel import read_qr

    image = pilot.control(name)
    picture: QImage = image.grab().toImage()
    text = pilot.phone("read the QR on the desktop's screen", lambda _p: read_qr(picture))
    if not text:
        raise StepFailed("the phone could not read the QR on the desktop's screen")
    return text


def set_phone_2fa(pilot: Pilot, on: bool) -> None:
    """Tick or untick the demo phone's "Account has a 2FA password" (a click, as a person)."""
    box = pilot.control("phoneTwoFa")
    if isinstance(box, QCheckBox) and box.isChecked() != on:
        pilot.click("phoneTwoFa")
        pilot.wait_until(lambda: box.isChecked() == on, "the 2FA box to change")
    if on:
        pilot.type_text("phoneTwoFaPassword", PASSWORD_2FA)


def scan_desktop(pilot: Pilot) -> None:
    """The phone scans the desktop's QR (its button); a QR that rotated meanwhile: again."""
    for _attempt in range(3):
        wait_for_qr(pilot, fresh=True)
        pilot.click("phoneScanDesktop")
        said = pilot.wait_text("phoneAccountResult", _scan_done, "what the phone did")
        if said.startswith("Scanned"):
            return
        pilot.idle(300)
    raise StepFailed(f"the phone could not scan the desktop's QR: {said}")


def _scan_done(text: str) -> bool:
    return text not in ("", "Scanning…")


def login_code_on_phone(pilot: Pilot) -> str:
    """Press "Show the login code" on the phone and read it."""
    before = pilot.text("phoneAccountResult")  # an earlier login's code is not this one's
    pilot.click("phoneShowCode")
    text = pilot.wait_text(
        "phoneAccountResult",
        lambda t: "code:" in t and t != before,
        "the login code",
        CONNECT_TIMEOUT_S,
    )
    found = _CODE.search(text)
    if found is None:
        raise StepFailed(f"the phone shows no code: {text}")
    return found.group(1)


def wait_connected(pilot: Pilot, what: str, shot: str | None = None) -> str:
    """The result page says ``what`` is connected; the details shown."""
    pilot.page("account_result", CONNECT_TIMEOUT_S)
    pilot.wait_text(
        "resultHeadline",
        lambda t: t.endswith("connected.") and "not connected" not in t,
        f"{what} connected",
        CONNECT_TIMEOUT_S,
    )
    if not pilot.wait_visible("resultLimits").isVisible():
        raise StepFailed("the result page does not say what the API cannot do")
    if shot:
        pilot.shot(shot)
    return pilot.text("resultDetails")


def finish(pilot: Pilot) -> None:
    pilot.click("wizardNext")  # Finish
    pilot.wait_visible("home")


def wait_error(pilot: Pilot, banner: str, words: str, timeout: float | None = None) -> str:
    return pilot.wait_text(banner, lambda t: words in t.lower(), f"“{words}”", timeout)


def expect_next_disabled(pilot: Pilot, why: str) -> None:
    pilot.idle(50)
    if pilot.wait_visible("wizardNext").isEnabled():
        raise StepFailed(f"Next is enabled {why}")


def provider_connections(pilot: Pilot) -> dict[str, dict[str, Any]]:
    state = pilot.phone("look at the provider's connections", lambda p: p.state())
    return dict(state["connections"])


def of_type(connections: dict[str, dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return sorted((c for c in connections.values() if c["type"] == kind), key=lambda c: c["id"])


def scan_refused(phone: Any, payload: str) -> bool:
    """The phone scans ``payload`` (a QR it read earlier); True when the sandbox refuses it."""
    from x2desk.sandbox.phone import QrRefused

    try:
        phone.scan(payload)
    except QrRefused:
        return True
    return False
