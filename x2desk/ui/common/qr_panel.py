"""What every login QR page shows: a card with the QR (or a line of text where there is none)
and its countdown on the left, the page's own column on the right.

:class:`QrPanel` is the card: it draws a new QR version at once and clears an old one, so no
expired QR is ever left on screen. :class:`QrLoginPage` is the page body around it (the accounts'
QR page and the Green-API QR page); each page adds its own lines to ``side`` and renders its
snapshots. Object names are ``<prefix>Card``, ``<prefix>Image`` and ``<prefix>Countdown``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

from x2desk.ui.common.reflow import arrange_on_resize, room
from x2desk.ui.common.widgets import card, label
from x2desk.ui.common.wizard import StatusPage

QR_PX = 264


class QrPanel(QWidget):
    """The QR card: ``image`` (the QR, or a line of text) and ``countdown`` under it."""

    def __init__(self, prefix: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown_version: int | None = None  # the QR version on screen (None: no QR)
        self.size_px = QR_PX
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        frame, inner = card(f"{prefix}Card")
        inner.setContentsMargins(12, 12, 12, 12)
        self.image = QLabel()
        self.image.setObjectName(f"{prefix}Image")
        self.image.setAccessibleName(accessible_name)
        self.image.setFixedSize(QR_PX + 24, QR_PX + 24)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #ffffff; color: #555555; border-radius: 6px;")
        self.image.setWordWrap(True)
        inner.addWidget(self.image, 0, Qt.AlignmentFlag.AlignCenter)
        self.countdown = label("", f"{prefix}Countdown", role="muted")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.countdown)
        lay.addWidget(frame)

    def clear(self, text: str) -> None:
        """No QR: ``text`` in its place, no countdown."""
        self.image.clear()
        self.image.setText(text)
        self.countdown.setText("")
        self.shown_version = None

    def set_size(self, px: int) -> None:
        """Show QRs ``px`` wide (the kiosk's touch screen: bigger); the card follows."""
        self.size_px = px
        self.image.setFixedSize(px + 24, px + 24)

    def draw(self, image: QImage, version: int | None) -> None:
        if image.width() != self.size_px:  # whole modules: no smoothing, a crisp code
            image = image.scaled(
                self.size_px,
                self.size_px,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        self.image.setPixmap(QPixmap.fromImage(image))
        self.shown_version = version

    def is_new(self, version: int | None) -> bool:
        """``version`` is not the QR on screen (draw it)."""
        return version != self.shown_version

    def show_countdown(self, has_qr: bool, text: str | None) -> None:
        """The countdown line while a QR is up (``text`` None: no countdown known)."""
        if has_qr:
            self.countdown.setText(text or "")


class QrLoginPage(StatusPage):
    """A page with a :class:`QrPanel` on the left and a column (``side``) on the right; where
    the page has no room for both side by side (a small screen, a large font, longer words),
    the column goes under the QR, so nothing needs scrolling sideways."""

    SIDE_MIN_WIDTH = 220  # the column's words need at least this beside the QR

    def __init__(self, page_id: str, prefix: str, accessible_name: str) -> None:
        super().__init__(page_id)
        self.body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(24)
        self.panel = QrPanel(prefix, accessible_name, self)
        self.image = self.panel.image
        self.countdown = self.panel.countdown
        body.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignTop)
        self.side = QVBoxLayout()
        self.side.setSpacing(10)
        body.addLayout(self.side, 1)
        self.lay.addLayout(body)
        self.add_status()
        self.lay.addStretch(1)
        arrange_on_resize(self, self._arrange)

    def _arrange(self) -> None:
        """Side by side where the room the page is shown in allows, else one under the other."""
        needed = self.panel.sizeHint().width() + self.body.spacing() + self.SIDE_MIN_WIDTH
        across = room(self) >= needed
        direction = QBoxLayout.Direction.LeftToRight if across else QBoxLayout.Direction.TopToBottom
        if self.body.direction() != direction:
            self.body.setDirection(direction)

    @property
    def shown_version(self) -> int | None:
        """The QR version on screen (None: no QR)."""
        return self.panel.shown_version

    def finish_side(self) -> None:
        """Call after adding the page's lines to ``side``: the rest of the column is space."""
        self.side.addStretch(1)

    def can_next(self) -> bool:
        return False

    def leave(self) -> None:
        self.set_busy(False)
