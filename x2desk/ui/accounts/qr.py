"""The login QR (Telegram account or WhatsApp): drawn from the session's payload, redrawn when
it changes, with the seconds it has left; an expired QR is taken off the screen at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import _
from x2desk.ui.accounts.common import STEP_LOGIN, provider_message
from x2desk.ui.common.qr_panel import QR_PX, QrLoginPage
from x2desk.ui.common.widgets import label

SCAN_STEPS = {
    "telegram_qr": (
        "On the phone, open Telegram > Settings > Devices > Link Desktop Device, and point "
        "the camera at this QR."
    ),
    "whatsapp": (
        "On the phone, open WhatsApp > Settings > Linked devices > Link a device, and point "
        "the camera at this QR."
    ),
}


class QrPage(QrLoginPage):
    def __init__(self) -> None:
        super().__init__("account_qr", "accountQr", "Login QR")
        self.step = _(STEP_LOGIN)
        self.title = _("Scan the QR with your phone")
        self.subtitle = ""
        self.flow = ""
        self.shown_payload: str | None = None  # for tests and the demo phone (never a secret)
        self.instructions = label("", "accountQrSteps")
        self.side.addWidget(self.instructions)
        self.status = label("", "accountQrStatus", role="heading")
        self.side.addWidget(self.status)
        self.link = label("", "accountQrLink")
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.link.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.link.hide()
        self.side.addWidget(self.link)
        self.session_left = label("", "accountSessionLeft", role="muted")
        self.side.addWidget(self.session_left)
        self.finish_side()
        self.clear_qr(_("Asking the provider for a QR…"))

    def set_flow(self, flow: str) -> None:
        self.flow = flow
        self.title = (
            _("Link WhatsApp: scan the QR")
            if flow == "whatsapp"
            else _("Log in to Telegram: scan the QR")
        )
        self.instructions.setText(_(SCAN_STEPS.get(flow, SCAN_STEPS["telegram_qr"])))
        self.link.hide()
        self.clear_qr(_("Asking the provider for a QR…"))

    def clear_qr(self, text: str) -> None:
        self.panel.clear(text)
        self.shown_payload = None

    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: a new QR at once, none when it expired, the countdowns."""
        from x2desk.ui.common.qr_image import png_image, qr_image

        has_qr = bool(snap.qr or snap.qr_image)
        if has_qr and snap.qr_seconds_left == 0:
            has_qr = False  # expired this very second: never leave it on screen
        if has_qr and self.panel.is_new(snap.qr_version):
            image = qr_image(snap.qr, QR_PX) if snap.qr else png_image(snap.qr_image or b"", QR_PX)
            self.panel.draw(image, snap.qr_version)
            self.shown_payload = snap.qr
        elif not has_qr and self.shown_version is not None:
            self.clear_qr(_("The QR expired. Getting a new one…"))
        elif not has_qr and snap.state is State.LOADING:
            self.clear_qr(_("Scanned."))
        left = snap.qr_seconds_left
        self.panel.show_countdown(
            has_qr, None if left is None else _("This QR changes in {s} s").format(s=left)
        )
        if snap.qr_link:
            self.link.setText(
                _('On another device? <a href="{url}">Open the QR page</a>').format(
                    url=snap.qr_link
                )
            )
            self.link.show()
        if snap.session_seconds_left is not None:
            m, s = divmod(snap.session_seconds_left, 60)
            self.session_left.setText(_("The login session ends in {m}:{s:02d}.").format(m=m, s=s))
        else:
            self.session_left.setText("")
        waiting = snap.state in (State.STARTING, State.LOADING) or not has_qr
        if snap.retry_in:
            self.show_error(snap.text)
        elif snap.error is not None and not snap.retry_in:
            self.show_error(provider_message(snap.error))
        else:
            self.banner.clear_message()
        self.status.setText(_(snap.text) if not snap.retry_in else "")
        self.set_busy(waiting, _("Waiting for the provider…"))
