"""What the kiosk lays over its screens: "Are you still there?" in the last seconds before an
idle reset, and the admin's PIN pad (after the exit chord or the long press on the corner).

Both cover the whole window (a dimmed backdrop and a card in the middle), so nothing under them
can be pressed. The PIN pad shows one dot per digit and keeps the digits only until they are
checked (in a worker: scrypt takes ~50 ms); no text field ever holds them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from x2desk.core.kiosk.pin import PIN_MAX_DIGITS, PinAttempts
from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.common.widgets import button, label
from x2desk.ui.common.workers import Job, run_in_worker

log = logging.getLogger("x2desk.kiosk")

DOT = "●"


class Overlay(QFrame):
    """A dimmed layer over the whole parent with a card (``card_lay``) in its middle."""

    def __init__(self, parent: QWidget, object_name: str, scale: float) -> None:
        super().__init__(parent)
        self.host = parent
        self.setObjectName("kioskOverlay")
        self.setAccessibleName(object_name)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.card = QFrame()
        self.card.setObjectName("kioskDialog")
        self.card.setProperty("overlay", object_name)
        self.card_lay = QVBoxLayout(self.card)
        pad = int(32 * scale)
        self.card_lay.setContentsMargins(pad, pad, pad, pad)
        self.card_lay.setSpacing(int(14 * scale))
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False

    def open(self) -> None:
        self.setGeometry(self.host.rect())
        self.raise_()
        self.show()


class IdleOverlay(Overlay):
    """Signals: ``stay()`` when "I'm still here" is pressed."""

    stay = Signal()

    def __init__(self, parent: QWidget, scale: float = 1.0) -> None:
        super().__init__(parent, "kioskIdle", scale)
        self.headline = label("", "kioskHeadline")
        self.line = label("", "kioskLine")
        for lab in (self.headline, self.line):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card_lay.addWidget(lab)
        self.stay_button = button("", "kioskStillHere", primary=True)
        self.stay_button.clicked.connect(self.stay)
        self.card_lay.addWidget(self.stay_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def count(self, seconds: float) -> None:
        self.headline.setText(_("Are you still there?"))
        self.line.setText(
            _("This screen starts over in {s} s and clears everything typed here.").format(
                s=max(1, round(seconds))
            )
        )
        self.stay_button.setText(_("I'm still here"))
        self.stay_button.setAccessibleName(_("I'm still here"))


class PinPad(Overlay):
    """Signals: ``accepted()`` (the right PIN), ``cancelled()``. ``attempts`` counts wrong PINs
    and makes the next try wait after each run of them (kept across openings)."""

    accepted = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget, attempts: PinAttempts, scale: float = 1.0) -> None:
        super().__init__(parent, "kioskPinPad", scale)
        self.attempts = attempts
        self._digits: list[str] = []
        self._job: Job | None = None
        self.headline = label("", "kioskHeadline")
        self.line = label("", "kioskLine")
        self.dots = label("", "kioskPinDots", wrap=False)
        self.message = label("", "kioskPinMessage")
        for lab in (self.headline, self.line, self.dots, self.message):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card_lay.addWidget(lab)
        self.card_lay.addLayout(self._keypad())
        self.cancel_button = button("", "kioskPinCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.card_lay.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def _keypad(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(10)
        keys: list[tuple[str, str, Callable[[], None]]] = [
            (d, f"kioskPin_{d}", self._presser(d)) for d in "123456789"
        ]
        keys += [
            ("⌫", "kioskPinBack", self.backspace),
            ("0", "kioskPin_0", self._presser("0")),
            (_("OK"), "kioskPinOk", self.submit),
        ]
        for index, (text, object_name, slot) in enumerate(keys):
            key = button(text, object_name, primary=object_name == "kioskPinOk")
            key.setProperty("pinKey", True)
            key.clicked.connect(slot)
            grid.addWidget(key, index // 3, index % 3)
        return grid

    def _presser(self, digit: str) -> Callable[[], None]:
        return lambda: self.press(digit)

    # ---- life ----------------------------------------------------------------------------------

    def open(self) -> None:
        self.clear()
        self.headline.setText(_("Staff only"))
        self.line.setText(_("Type the admin PIN to leave the kiosk."))
        self.cancel_button.setText(_("Cancel"))
        self.message.setText("")
        super().open()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_pad(self) -> None:
        """Hide it and forget the digits typed (a reset, Cancel, the right PIN)."""
        self.clear()
        if self._job is not None:
            self._job.discard()
            self._job = None
        self.hide()

    def clear(self) -> None:
        self._digits.clear()
        self._show_dots()

    def cancel(self) -> None:
        self.close_pad()
        self.cancelled.emit()

    # ---- typing --------------------------------------------------------------------------------

    def press(self, digit: str) -> None:
        if self._job is None and len(self._digits) < PIN_MAX_DIGITS:
            self._digits.append(digit)
            self._show_dots()

    def backspace(self) -> None:
        if self._digits and self._job is None:
            self._digits.pop()
            self._show_dots()

    def _show_dots(self) -> None:
        self.dots.setText(" ".join(DOT * len(self._digits)) or " ")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.backspace()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Escape:
            self.cancel()
        event.accept()

    # ---- checking ------------------------------------------------------------------------------

    def submit(self) -> None:
        if self._job is not None or not self._digits:
            return
        wait = self.attempts.wait_s()
        if wait > 0:
            self.clear()
            self.say_wait(wait)
            return
        pin = Secret("".join(self._digits))
        self.clear()
        self.message.setText(_("Checking…"))
        attempts = self.attempts
        self._job = run_in_worker(lambda: attempts.try_pin(pin), self._checked, self._failed, "pin")

    def _checked(self, right: bool) -> None:
        self._job = None
        if right:
            self.close_pad()
            self.accepted.emit()
            return
        wait = self.attempts.wait_s()
        log.warning("kiosk: a wrong admin PIN; next try in %.0f s", wait)  # untranslated: the log
        if wait > 0:
            self.say_wait(wait)
        else:
            self.message.setText(_("That PIN is not right. Try again."))

    def _failed(self, _exc: BaseException) -> None:
        self._job = None
        self.message.setText(_("That PIN is not right. Try again."))

    def say_wait(self, seconds: float) -> None:
        self.message.setText(
            _("Too many wrong PINs. Try again in {s} s.").format(s=max(1, round(seconds)))
        )
