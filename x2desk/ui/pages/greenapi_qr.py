"""The Green-API QR: the PNG the instance gives, shown at once and replaced by each new one
(x2desk asks every 5 s); an expired QR is taken off the screen. While the instance is starting
or asleep the page says so, and what to do, with the busy indicator running."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from x2desk.ui.pages.account_common import AccountPage
from x2desk.ui.pages.greenapi_common import STEP_PAIR, greenapi_message
from x2desk.ui.widgets import card, label

QR_PX = 264

SCAN_STEPS = (
    "On the phone that holds the account, open WhatsApp > Settings > Linked devices > "
    "Link a device, and point the camera at this QR. A new QR comes every 5 s: scan the "
    "newest one."
)


class GreenApiQrPage(AccountPage):
    def __init__(self, wizard: Any) -> None:
        super().__init__(wizard, "greenapi_qr")
        self.step = self.tr(STEP_PAIR)
        self.title = self.tr("Pair the instance: scan the QR")
        self.shown_version: int | None = None  # the QR version on screen (None: no QR)
        self.shown_png: bytes | None = None  # the PNG on screen (tests, the demo phone)
        self.redraws = 0  # how many QRs were drawn (tests)
        body = QHBoxLayout()
        body.setSpacing(24)
        frame, inner = card("greenapiQrCard")
        inner.setContentsMargins(12, 12, 12, 12)
        self.image = QLabel()
        self.image.setObjectName("greenapiQrImage")
        self.image.setAccessibleName("Green-API pairing QR")
        self.image.setFixedSize(QR_PX + 24, QR_PX + 24)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #ffffff; color: #555555; border-radius: 6px;")
        self.image.setWordWrap(True)
        inner.addWidget(self.image, 0, Qt.AlignmentFlag.AlignCenter)
        self.countdown = label("", "greenapiQrCountdown", role="muted")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner.addWidget(self.countdown)
        body.addWidget(frame, 0, Qt.AlignmentFlag.AlignTop)
        side = QVBoxLayout()
        side.setSpacing(10)
        self.instance_label = label("", "greenapiQrInstance", role="muted")
        side.addWidget(self.instance_label)
        self.instructions = label(self.tr(SCAN_STEPS), "greenapiQrSteps")
        side.addWidget(self.instructions)
        self.status = label("", "greenapiQrStatus", role="heading")
        side.addWidget(self.status)
        side.addStretch(1)
        body.addLayout(side, 1)
        self.lay.addLayout(body)
        self.add_status()
        self.lay.addStretch(1)
        self.clear_qr(self.tr("Asking Green-API for a QR…"))

    def set_instance(self, id_instance: str, repair: bool = False) -> None:
        self.instance_label.setText(
            (self.tr("Re-pairing instance {i}") if repair else self.tr("Instance {i}")).format(
                i=id_instance
            )
        )
        self.status.setText("")
        self.banner.clear_message()
        self.clear_qr(self.tr("Checking the instance…"))

    def clear_qr(self, text: str) -> None:
        self.image.clear()
        self.image.setText(text)
        self.countdown.setText("")
        self.shown_version = None
        self.shown_png = None

    def has_qr(self) -> bool:
        return self.shown_png is not None

    def show_snapshot(self, snap: Any) -> None:
        """Draw ``snap``: a new QR at once, none when it expired, what the instance is doing."""
        from x2desk.ui.qr_image import png_image

        png = snap.qr_image
        has_qr = png is not None and snap.qr_seconds_left != 0  # expired: never left up
        if has_qr and snap.qr_version != self.shown_version:
            image = png_image(png, QR_PX)
            if image.isNull():
                has_qr = False
                self.clear_qr(self.tr("Green-API sent a QR x2desk cannot show; asking again…"))
            else:
                self.image.setPixmap(QPixmap.fromImage(image))
                self.shown_version = snap.qr_version
                self.shown_png = png
                self.redraws += 1
        elif not has_qr and self.shown_version is not None:
            self.clear_qr(self.tr("The QR expired. Getting a new one…"))
        elif not has_qr and snap.state.value == "loading":
            self.clear_qr(self.tr("Waiting for the instance…"))
        if has_qr and snap.qr_seconds_left is not None:
            self.countdown.setText(
                self.tr("This QR is valid for {s} s more").format(s=snap.qr_seconds_left)
            )
        elif has_qr:
            self.countdown.setText("")
        if snap.retry_in:
            self.show_error(
                greenapi_message(snap.error)
                + " "
                + self.tr("Trying again in {s} s.").format(s=int(snap.retry_in))
            )
            self.status.setText("")
        else:
            self.banner.clear_message()
            if has_qr and snap.state.value == "waiting_for_qr":
                self.status.setText(self.tr("Waiting for the phone to scan it…"))
            else:
                self.status.setText(self.tr(snap.text))
        waiting = snap.state.value in ("starting", "loading") or not has_qr
        caption = (
            self.tr("Waiting for the instance…")
            if snap.state.value == "loading"
            else self.tr("Waiting for Green-API…")
        )
        self.set_busy(waiting, caption)

    def can_next(self) -> bool:
        return False

    def leave(self) -> None:
        self.set_busy(False)
