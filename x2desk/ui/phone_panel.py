"""Demo mode's phone: what the X2Chat app on the phone would show (the QR on the virtual camera)
and do (make a new QR), and the chat's messages, so a test message is seen arriving."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import QCheckBox, QLabel, QListWidget, QVBoxLayout, QWidget

from x2desk.ui.messages import message_for
from x2desk.ui.widgets import Banner, button, label
from x2desk.ui.workers import Job, run_in_worker


def qr_pixmap(payload: str, size: int = 180) -> QPixmap:
    from x2desk.demo.virtual_camera import qr_matrix

    m = qr_matrix(payload)
    n = len(m)
    img = QImage(n, n, QImage.Format.Format_RGB32)
    dark, light = QColor("#141414").rgb(), QColor("#ffffff").rgb()
    for y, r in enumerate(m):
        for x, v in enumerate(r):
            img.setPixel(x, y, dark if v else light)
    return QPixmap.fromImage(img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))


class PhonePanel(QWidget):
    def __init__(self, session: Any, poll_ms: int = 2000) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("phonePanel")
        self.setAccessibleName("Phone (demo)")
        self.setMinimumWidth(250)
        self._job: Job | None = None
        self._msg_job: Job | None = None
        v = QVBoxLayout(self)
        v.setContentsMargins(14, 12, 14, 12)
        v.setSpacing(8)
        v.addWidget(label(self.tr("X2Chat on the phone"), "phoneTitle", role="heading"))
        v.addWidget(
            label(
                self.tr("This QR is what the virtual camera sees. Make a new one at any time."),
                "phoneHint",
                role="muted",
            )
        )
        self.qr = QLabel()
        self.qr.setObjectName("phoneQr")
        self.qr.setAccessibleName("QR on the phone")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumHeight(190)
        v.addWidget(self.qr)
        self.expiry = label("", "phoneExpiry", role="muted")
        self.expiry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.expiry)
        self.new_button = button(self.tr("Make a &new QR"), "phoneNewQr", primary=True)
        self.new_button.clicked.connect(lambda: self.make_qr())
        v.addWidget(self.new_button)
        self.same_bot_button = button(self.tr("New QR, &same bot"), "phoneSameBot")
        self.same_bot_button.setToolTip(self.tr("Connect the same bot again (its token rotates)"))
        self.same_bot_button.clicked.connect(lambda: self.make_qr(same_bot=True))
        v.addWidget(self.same_bot_button)
        self.webhook_box = QCheckBox(self.tr("New bots have a &webhook"))
        self.webhook_box.setObjectName("phoneWebhook")
        self.webhook_box.setAccessibleName("New bots have a webhook")
        v.addWidget(self.webhook_box)
        self.banner = Banner("phoneBanner")
        v.addWidget(self.banner)
        v.addWidget(label(self.tr("Messages in the chat"), "phoneMessagesTitle", role="heading"))
        self.messages = QListWidget()
        self.messages.setObjectName("phoneMessages")
        self.messages.setAccessibleName("Messages in the chat")
        self.messages.setWordWrap(True)
        v.addWidget(self.messages, 1)
        self.info: dict[str, Any] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll_messages)
        self.timer.start()

    def make_qr(self, same_bot: bool = False) -> None:
        if self._job is not None:
            return
        self.new_button.setEnabled(False)
        webhook = self.webhook_box.isChecked()
        self._job = run_in_worker(
            lambda: self.session.new_qr(same_bot=same_bot, webhook=webhook),
            self._shown,
            self._failed,
            "phone qr",
        )

    def _shown(self, info: dict[str, Any]) -> None:
        self._job = None
        self.new_button.setEnabled(True)
        self.info = info
        self.banner.clear_message()
        self.qr.setPixmap(qr_pixmap(info["deep_link"]))
        exp = info.get("expires_at")
        when = ""
        if isinstance(exp, int | float):
            when = dt.datetime.fromtimestamp(exp).strftime("%H:%M:%S")
        elif isinstance(exp, str):
            when = exp[11:19]
        self.expiry.setText(self.tr("One-time, valid until {t}").format(t=when) if when else "")
        self.messages.clear()

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        self.new_button.setEnabled(True)
        self.banner.show_message(message_for(exc), "error")

    def poll_messages(self) -> None:
        if self._msg_job is not None or self.info is None:
            return
        chat_id = self.info.get("chat_id")
        self._msg_job = run_in_worker(
            lambda: self.session.messages(chat_id), self._show_messages, self._poll_failed, "msgs"
        )

    def _poll_failed(self, _exc: BaseException) -> None:
        self._msg_job = None

    def _show_messages(self, messages: list[dict[str, Any]]) -> None:
        self._msg_job = None
        texts = [str(m.get("text", "")) for m in messages]
        if texts != [self.messages.item(i).text() for i in range(self.messages.count())]:
            self.messages.clear()
            self.messages.addItems(texts)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)
