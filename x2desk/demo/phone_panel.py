"""Demo mode's phone: what the X2Chat app on the phone would show (the QR on the virtual camera)
and do (make a new QR), and the chat's messages, so a test message is seen arriving."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.i18n import _, format_datetime
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.widgets import Banner, button, label
from x2desk.ui.common.workers import Job, run_in_worker


def qr_pixmap(payload: str, size: int = 180) -> QPixmap:
    from x2desk.ui.common.qr_image import qr_image

    return QPixmap.fromImage(qr_image(payload, size))


class PhonePanel(QWidget):
    def __init__(self, session: Any, poll_ms: int = 2000) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("phonePanel")
        self.setAccessibleName(_("Phone (demo)"))
        self.setMinimumWidth(250)
        self._job: Job | None = None
        self._msg_job: Job | None = None
        v = QVBoxLayout(self)
        v.setContentsMargins(14, 12, 14, 12)
        v.setSpacing(8)
        v.addWidget(label(_("X2Chat on the phone"), "phoneTitle", role="heading"))
        v.addWidget(
            label(
                _("This QR is what the virtual camera sees. Make a new one at any time."),
                "phoneHint",
                role="muted",
            )
        )
        self.qr = QLabel()
        self.qr.setObjectName("phoneQr")
        self.qr.setAccessibleName(_("QR on the phone"))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumHeight(190)
        v.addWidget(self.qr)
        self.expiry = label("", "phoneExpiry", role="muted")
        self.expiry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        v.addWidget(self.expiry)
        self.new_button = button(_("Make a new QR"), "phoneNewQr", primary=True)
        self.new_button.clicked.connect(lambda: self.make_qr())
        v.addWidget(self.new_button)
        self.same_bot_button = button(_("New QR, same bot"), "phoneSameBot")
        self.same_bot_button.setToolTip(_("Connect the same bot again (its token rotates)"))
        self.same_bot_button.clicked.connect(lambda: self.make_qr(same_bot=True))
        v.addWidget(self.same_bot_button)
        self.webhook_box = QCheckBox(_("New bots have a webhook"))
        self.webhook_box.setObjectName("phoneWebhook")
        v.addWidget(self.webhook_box)
        self.banner = Banner("phoneBanner")
        v.addWidget(self.banner)
        self.accounts = AccountsPhone(self)
        v.addWidget(self.accounts)
        v.addWidget(label(_("Messages in the chat"), "phoneMessagesTitle", role="heading"))
        self.messages = QListWidget()
        self.messages.setObjectName("phoneMessages")
        self.messages.setAccessibleName(_("Messages in the chat"))
        self.messages.setWordWrap(True)
        self.messages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.messages.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.messages.setTextElideMode(Qt.TextElideMode.ElideNone)
        v.addWidget(self.messages, 1)
        self.info: dict[str, Any] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll_messages)
        self.timer.start()

    def remade(self) -> PhonePanel:
        """A new panel like this one (the window's language changed): the same QR, the same
        account settings; the chat's messages come back at its next look."""
        panel = PhonePanel(self.session, self.timer.interval())
        panel.webhook_box.setChecked(self.webhook_box.isChecked())
        panel.accounts.twofa.setChecked(self.accounts.twofa.isChecked())
        panel.accounts.password.setText(self.accounts.password.text())
        if self.info is not None:
            panel._shown(self.info)
        if getattr(self.session, "panel", None) is self:
            self.session.panel = panel
        self.timer.stop()
        return panel

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
            when = format_datetime(exp, time_only=True)
        elif isinstance(exp, str):
            with contextlib.suppress(ValueError):
                when = format_datetime(dt.datetime.fromisoformat(exp), time_only=True)
        self.expiry.setText(_("One-time, valid until {t}").format(t=when) if when else "")
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
            self._fit_rows()

    def _fit_rows(self) -> None:
        """Give each message the height its wrapped text needs (the theme's item padding makes
        Qt's own estimate one line, which cuts long messages off)."""
        from PySide6.QtCore import QRect, QSize

        width = max(80, self.messages.viewport().width() - 24)
        metrics = self.messages.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        for i in range(self.messages.count()):
            item = self.messages.item(i)
            rect = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text())
            item.setSizeHint(QSize(width, rect.height() + 22))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows()

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)


# ---- the phone of a Telegram / WhatsApp / MAX account (issue 5) --------------------------------


def image_to_gray(image: QImage) -> Any:
    """A QImage as a 2-D uint8 numpy array (what the QR decoder reads)."""
    import numpy as np

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    data = np.frombuffer(gray.constBits(), np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, :width].copy()


def read_qr(image: QImage) -> str | None:
    """The text of the QR in ``image`` (x2desk's own decoder), or None."""
    from x2desk.core.scan.decode import QrDecoder

    found = QrDecoder().decode(image_to_gray(image))
    return found[0].text if found else None


# the desktop's QR labels the phone can scan: account logins, and Green-API's PNG (issue 6)
DESKTOP_QRS = ("accountQrImage", "greenapiQrImage")


def desktop_qr(window: QWidget) -> QLabel | None:
    """The login or pairing QR on the desktop's screen now (the visible one), if any."""
    for object_name in DESKTOP_QRS:
        for qr in window.findChildren(QLabel, object_name):
            if qr.isVisible():
                return qr
    return None


class AccountsPhone(QWidget):
    """The phone of the account being connected: scans the login QR shown on the desktop's page
    (read from the page's pixels) and shows the login code the provider "sent"."""

    def __init__(self, panel: PhonePanel) -> None:
        super().__init__()
        self.panel = panel
        self.setObjectName("accountsPhone")
        self.setAccessibleName(_("Account phone (demo)"))
        self._job: Job | None = None
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 6, 0, 6)
        v.setSpacing(6)
        v.addWidget(label(_("Telegram / WhatsApp / MAX"), "accountsPhoneTitle", role="heading"))
        self.twofa = QCheckBox(_("Account has a 2FA password"))
        self.twofa.setObjectName("phoneTwoFa")
        v.addWidget(self.twofa)
        self.password = QLineEdit("demo-2fa")
        self.password.setObjectName("phoneTwoFaPassword")
        self.password.setAccessibleName(_("2FA password"))
        # a password, even a pretend one: dots (also on a kiosk), like every password field
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        v.addWidget(self.password)
        self.scan_button = button(_("Scan the desktop's QR"), "phoneScanDesktop")
        self.scan_button.clicked.connect(self.scan_desktop)
        v.addWidget(self.scan_button)
        self.code_button = button(_("Show the login code"), "phoneShowCode")
        self.code_button.clicked.connect(self.show_code)
        v.addWidget(self.code_button)
        self.result = label("", "phoneAccountResult", role="muted", selectable=True)
        v.addWidget(self.result)

    def _password(self) -> str | None:
        return self.password.text() if self.twofa.isChecked() else None

    def _phone(self) -> Any:
        return self.panel.session.phone

    def scan_desktop(self) -> None:
        if self._job is not None:
            return
        qr = desktop_qr(self.window())
        if qr is None or not qr.isVisible() or qr.pixmap() is None or qr.pixmap().isNull():
            self.result.setText(_("There is no login QR on the desktop's screen now."))
            return
        image = qr.grab().toImage()  # the pixels on the page, as a camera would see them
        password = self._password()

        def scan() -> str:
            text = read_qr(image)
            if text is None:
                return _("The phone could not read the QR.")
            self._phone().scan(text, password=password)
            return _("Scanned: the desktop logs in at its next check.")

        self.result.setText(_("Scanning…"))
        self._job = run_in_worker(scan, self._done, self._failed, "phone scan")

    def show_code(self) -> None:
        if self._job is not None:
            return
        wizard = self.window().findChild(QWidget, "accountsWizard")
        session_id = getattr(wizard, "current_session_id", lambda: None)()
        greenapi = self.window().findChild(QWidget, "greenapiWizard")
        instance = getattr(greenapi, "current_code_instance", lambda: None)()
        if not session_id and not instance:
            self.result.setText(_("No login is waiting for a code."))
            return
        password = self._password()

        def code() -> str:
            phone = self._phone()
            if instance and not (session_id and wizard is not None and wizard.isVisible()):
                value = phone.greenapi_code(instance, password=password)  # in the Telegram app
            else:
                value = phone.code(session_id, password=password)
            return _("Login code: {c}").format(c=value)

        self._job = run_in_worker(code, self._done, self._failed, "phone code")

    def _done(self, text: str) -> None:
        self._job = None
        self.result.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._job = None
        self.result.setText(message_for(exc))
