"""The kiosk's screens between people: "done" after a success, "offline, trying again" during a
network outage and "not ready" when the station itself is set up wrong (a key missing from the
credential store). Each is a big drawn mark, a headline, a line in plain words and a countdown;
none shows anything a person typed or any secret. Texts are set when a screen is shown, in the
language of that moment.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from x2desk.i18n import _
from x2desk.ui.common.theme import colors
from x2desk.ui.common.widgets import button, label

DONE, OFFLINE, NOT_READY = "done", "offline", "not_ready"


class Mark(QWidget):
    """A drawn circle with a tick (done), three arcs (offline) or an exclamation mark."""

    def __init__(self, kind: str, size: int = 140) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName(f"kioskMark_{kind}")
        self.setFixedSize(QSize(size, size))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        c = colors()
        tone = {DONE: c.success, OFFLINE: c.accent, NOT_READY: c.warning}[self.kind]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        ring = max(4.0, side / 18)
        box = QRectF(ring, ring, side - 2 * ring, side - 2 * ring)
        p.setPen(QPen(QColor(tone), ring))
        p.drawEllipse(box)
        pen = QPen(QColor(tone), ring * 1.3)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        s = side / 100
        if self.kind == DONE:
            path = QPainterPath(QPointF(30 * s, 52 * s))
            path.lineTo(QPointF(44 * s, 66 * s))
            path.lineTo(QPointF(71 * s, 36 * s))
            p.drawPath(path)
        elif self.kind == OFFLINE:
            for radius in (10 * s, 20 * s, 30 * s):
                arc = QRectF(50 * s - radius, 62 * s - radius, 2 * radius, 2 * radius)
                p.drawArc(arc, 45 * 16, 90 * 16)
            p.drawPoint(QPointF(50 * s, 64 * s))
        else:
            p.drawLine(QPointF(50 * s, 28 * s), QPointF(50 * s, 58 * s))
            p.drawPoint(QPointF(50 * s, 72 * s))
        p.end()


class MessageScreen(QWidget):
    """A mark, a headline, a line, a countdown note and (optionally) a button, centred.
    Signals: ``pressed()`` when its button is pressed."""

    pressed = Signal()

    def __init__(self, kind: str, scale: float = 1.0, with_button: bool = True) -> None:
        super().__init__()
        self.kind = kind
        self.setObjectName(f"kiosk_{kind}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(int(48 * scale), int(24 * scale), int(48 * scale), int(24 * scale))
        lay.setSpacing(int(16 * scale))
        lay.addStretch(2)
        self.mark = Mark(kind, int(120 * scale))
        lay.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignHCenter)
        self.headline = label("", "kioskHeadline")
        self.line = label("", "kioskLine")
        self.note = label("", "kioskNote")
        for lab in (self.headline, self.line, self.note):
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(lab)
        self.button: QPushButton | None = None
        if with_button:
            self.button = button("", f"kiosk_{kind}_button", primary=True)
            self.button.clicked.connect(self.pressed)
            lay.addSpacing(int(8 * scale))
            lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(3)

    def say(self, headline: str, line: str, button_text: str = "") -> None:
        self.headline.setText(headline)
        self.line.setText(line)
        self.note.setText("")
        if self.button is not None:
            self.button.setText(button_text)
            self.button.setAccessibleName(button_text)


class DoneScreen(MessageScreen):
    def __init__(self, scale: float = 1.0) -> None:
        super().__init__(DONE, scale)

    def show_done(self, what: str) -> None:
        """``what``: the flow's title (never a name or number the person typed)."""
        self.say(
            _("Done: {what} is connected.").format(what=what),
            _("You can walk away now. Nothing you typed stays on this screen."),
            _("Start again"),
        )

    def count(self, seconds: float) -> None:
        self.note.setText(_("Back to the start in {s} s.").format(s=max(1, math.ceil(seconds))))


class OfflineScreen(MessageScreen):
    def __init__(self, scale: float = 1.0) -> None:
        super().__init__(OFFLINE, scale, with_button=False)

    def show_offline(self) -> None:
        self.say(
            _("Offline for a moment"),
            _(
                "This station cannot reach the internet right now. It keeps trying by itself: "
                "there is nothing you need to do."
            ),
        )

    def count(self, seconds: float, probing: bool) -> None:
        self.note.setText(
            _("Checking the connection…")
            if probing or seconds <= 0
            else _("Trying again in {s} s.").format(s=max(1, round(seconds)))
        )


class NotReadyScreen(MessageScreen):
    def __init__(self, scale: float = 1.0) -> None:
        super().__init__(NOT_READY, scale)

    def show_not_ready(self, what: str) -> None:
        self.say(
            _("This station is not ready"),
            _("{what} cannot be connected here right now. Please tell a member of staff.").format(
                what=what
            ),
            _("Back to the start"),
        )

    def count(self, seconds: float) -> None:
        self.note.setText(_("Back to the start in {s} s.").format(s=max(1, math.ceil(seconds))))
