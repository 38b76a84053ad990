"""The moves the accounts and Green-API flows share: the accounts wizard's first pages, the
login QR on the desktop (waiting for a fresh one, reading its pixels as a phone camera would),
and the demo phone's buttons (2FA, scan the desktop's QR, show the login code)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QWidget

from x2desk.core.kinds import Fix
from x2desk.i18n import _
from x2desk.ui.autopilot.pilot import type_keys
from x2desk.ui.autopilot.runner import Pilot, StepFailed
from x2desk.ui.autopilot.words import says, says_error

if TYPE_CHECKING:
    from collections.abc import Callable

    from x2desk.core.home.rows import Row

PASSWORD_2FA = "demo-2fa"  # the account's two-step verification password (typed on the phone)
# Waits follow the screen: a QR's own countdown says when the next one comes; beyond it, the
# page's next check and a slow server's answer (up to SLACK_S) may pass before it shows.
SLACK_S = 10.0
FIRST_QR_S = 20.0  # the first QR: a few slow answers (the provider starts the session)
CONNECT_TIMEOUT_S = 20.0  # a page after an action: a few requests of a slow server
MIN_QR_LEFT_S = 3  # scan only a QR with at least this long to live (no race with its rotation)
_COUNTDOWN = re.compile(r"(\d+)")  # "changes in 12 seconds", "сменится через 12 секунд"
_CODE = re.compile(r"(\d{4,8})")


SCANNED = "Scanned: the desktop logs in at its next check."  # the demo phone, as msgid


def fix_words(fix: Fix) -> Callable[[str], bool]:
    """Whether a text is what the home's fix button says for ``fix``, in the window's language."""
    from x2desk.ui.home.body import FIX_WORDS

    return lambda t: t == _(FIX_WORDS[fix])


def qr_wait_s(pilot: Pilot, countdown: str = "accountQrCountdown") -> float:
    """How long to wait for the next QR: what the QR on screen says it has left, plus the slack
    of a check and a slow answer (no QR yet: the first one's budget)."""
    found = _COUNTDOWN.search(pilot.text(countdown))
    return float(found.group(1)) + SLACK_S if found else FIRST_QR_S


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


def choose_item(pilot: Pilot, name: str, text: str) -> None:
    """Pick the item of the drop-down ``name`` that starts with ``text``, by the keyboard (focus
    it, type the first letters: how a person picks a country without scrolling a long list)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox

    box = pilot.control(name)
    if not isinstance(box, QComboBox):
        raise StepFailed(f"{name!r} is not a drop-down")
    box.setFocus(Qt.FocusReason.TabFocusReason)
    type_keys(box, text)
    pilot.wait_until(lambda: box.currentText().startswith(text), f"{name!r} to show {text!r}", 3)
    pilot.idle(1100)  # the drop-down's type-ahead forgets the letters after a second


def qr_key(pilot: Pilot) -> int:
    """The QR on the desktop's page (0: none)."""
    return pilot.pixmap_key("accountQrImage")


def qr_seconds_left(pilot: Pilot) -> int:
    found = _COUNTDOWN.search(pilot.text("accountQrCountdown"))
    return int(found.group(1)) if found else 0


def wait_for_qr(pilot: Pilot, fresh: bool = False) -> int:
    """Wait for a QR on the page (``fresh``: one with time to scan it); its key. The wait is
    what the screen says: the QR on it now has this long to live, then the next one comes."""
    pilot.page("account_qr", CONNECT_TIMEOUT_S)
    return pilot.wait_until(
        lambda: (
            (k := qr_key(pilot)) and (not fresh or qr_seconds_left(pilot) >= MIN_QR_LEFT_S) and k
        ),
        "a login QR on the page" + (" with time left to scan it" if fresh else ""),
        qr_wait_s(pilot),
    )


def wait_rotation(pilot: Pilot, shown: int) -> None:
    """Wait for the QR on screen to be replaced: as long as its countdown says, plus slack."""
    pilot.wait_until(lambda: qr_key(pilot) not in (0, shown), "the QR to rotate", qr_wait_s(pilot))


def name_connection(pilot: Pilot, name: str | None = None, shot: str | None = None) -> None:
    """A QR login asks for the connection's name first (prefilled): keep it or type ``name``."""
    pilot.page("account_name", CONNECT_TIMEOUT_S)
    pilot.wait_until(lambda: pilot.text("qrConnectionName"), "a name to be suggested")
    if name is not None:
        pilot.type_text("qrConnectionName", name)
    if shot:
        pilot.shot(shot)
    pilot.click("wizardNext")


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


def scan_desktop(pilot: Pilot, qr_shown: Callable[[Pilot], object] | None = None) -> None:
    """The phone scans the desktop's QR (its button) once ``qr_shown`` says one is on the page
    (default: a fresh one on an account's page); a QR that rotated meanwhile (the phone says it
    refused it): again."""
    for _attempt in range(3):
        if qr_shown is None:
            wait_for_qr(pilot, fresh=True)
        else:
            qr_shown(pilot)
        pilot.click("phoneScanDesktop")
        said = pilot.wait_text("phoneAccountResult", _scan_done, "what the phone did")
        if says(said, SCANNED):
            return
        pilot.idle(300)
    raise StepFailed(f"the phone could not scan the desktop's QR: {said}")


def _scan_done(text: str) -> bool:
    return text not in ("", _("Scanning…"))


def login_code_on_phone(pilot: Pilot) -> str:
    """Press "Show the login code" on the phone and read it."""
    before = pilot.text("phoneAccountResult")  # an earlier login's code is not this one's
    pilot.click("phoneShowCode")
    text = pilot.wait_text(
        "phoneAccountResult",
        lambda t: says(t, "Login code: {c}") and t != before,
        "the login code",
        CONNECT_TIMEOUT_S,
    )
    found = _CODE.search(text)
    if found is None:
        raise StepFailed(f"the phone shows no code: {text}")
    return found.group(1)


def wait_connected(pilot: Pilot, what: str, shot: str | None = None) -> str:
    """The result page says ``what`` is connected (and only Finish is left); the details."""
    pilot.page("account_result", CONNECT_TIMEOUT_S)
    pilot.wait_text(
        "resultHeadline",
        lambda t: says(t, "{what} connected.") and not says(t, "{what}: not connected."),
        f"{what} connected",
        CONNECT_TIMEOUT_S,
    )
    if pilot.is_visible("wizardCancel"):
        raise StepFailed("Cancel is offered beside Finish after a success")
    if pilot.is_visible("resultLimits"):
        raise StepFailed("the subscription note repeats after a success")
    if shot:
        pilot.shot(shot)
    return pilot.text("resultDetails")


def finish(pilot: Pilot) -> None:
    pilot.click("wizardNext")  # Finish
    pilot.wait_visible("home")


def wait_error(
    pilot: Pilot, banner: str, error: type[Exception], timeout: float | None = None
) -> str:
    """Wait until ``banner`` says what x2desk says for ``error`` from the provider."""
    from x2desk.core.texts import PROVIDER

    return pilot.wait_text(
        banner, lambda t: says_error(t, error, PROVIDER), f"the {error.__name__} message", timeout
    )


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


# ---- the home list --------------------------------------------------------------------------


def home_rows(pilot: Pilot) -> list[Row]:
    """The rows the home table shows, in its order (what a person reads on it)."""
    home = pilot.visible("home")
    body = getattr(home, "_body", None)
    return list(body.visible_rows()) if body is not None else []


def row_words(row: Row) -> str:
    """A row's words as the table shows them."""
    return "\n".join((row.label, row.where, row.kind_name, row.company, row.status_text))


def click_home_row(pilot: Pilot, match: Callable[[Row], bool], what: str) -> Row:
    """Click the home table's row that ``match`` finds (scrolled into view first), as a person
    does; the row, once it is the selected one."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableView

    table = pilot.control("connectionsTable")
    if not isinstance(table, QTableView):
        raise StepFailed("the home list is not a table")

    def found() -> tuple[int, Row] | None:
        return next(((i, r) for i, r in enumerate(home_rows(pilot)) if match(r)), None)

    at, row = pilot.wait_until(found, f"{what} on the home list")
    index = table.model().index(at, 0)
    table.scrollTo(index)
    viewport: QWidget = table.viewport()
    QTest.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        table.visualRect(index).center(),
    )
    body = getattr(pilot.visible("home"), "_body", None)
    pilot.wait_until(
        lambda: body is not None and (chosen := body.selected()) and chosen.id == row.id,
        f"{what} selected",
    )
    return row
