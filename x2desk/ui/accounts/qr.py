"""The login QR (Telegram account or WhatsApp): drawn from the session's payload, redrawn when
it changes, with the seconds it has left and how long the login may still take; an expired QR is
taken off the screen at once. Once the phone has scanned it, the page says so at once and counts
the seconds the other side takes (WhatsApp loads the account for a few seconds)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import N_, _, ngettext
from x2desk.ui.accounts.common import STEP_LOGIN, provider_message
from x2desk.ui.common.qr_panel import QR_PX, QrLoginPage
from x2desk.ui.common.widgets import label

SCAN_STEPS = {
    "telegram_qr": N_(
        "On the phone, open Telegram > Settings > Devices > Link Desktop Device, and point "
        "the camera at this QR."
    ),
    "whatsapp": N_(
        "On the phone, open WhatsApp > Settings > Linked devices > Link a device, and point "
        "the camera at this QR."
    ),
}


class QrPage(QrLoginPage):
    def __init__(self) -> None:
        super().__init__("account_qr", "accountQr", _("Login QR"))
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
        self._loading_since: float | None = None  # when the scan was seen (the wizard's clock)

    def set_flow(self, flow: str) -> None:
        self.flow = flow
        self.title = (
            _("Link WhatsApp: scan the QR")
            if flow == "whatsapp"
            else _("Log in to Telegram: scan the QR")
        )
        self.instructions.setText(_(SCAN_STEPS.get(flow, SCAN_STEPS["telegram_qr"])))
        self.link.hide()
        self.session_left.setText("")
        self._loading_since = None
        self.clear_qr(_("Asking the provider for a QR…"))

    def reset(self) -> None:
        self.banner.clear_message()
        self.set_busy(False)

    def clear_qr(self, text: str) -> None:
        self.panel.clear(text)
        self.shown_payload = None

    def show_snapshot(self, snap: Snapshot, now: float = 0.0) -> None:
        """Draw ``snap``: a new QR at once, none when it expired, the countdowns (``now``: the
        wizard's clock, for the seconds since the scan)."""
        from x2desk.ui.common.qr_image import png_image, qr_image

        has_qr = bool(snap.qr or snap.qr_image)
        if has_qr and snap.qr_seconds_left == 0:
            has_qr = False  # expired this very second: never leave it on screen
        loading = snap.state is State.LOADING
        if has_qr and self.panel.is_new(snap.qr_version):
            image = qr_image(snap.qr, QR_PX) if snap.qr else png_image(snap.qr_image or b"", QR_PX)
            self.panel.draw(image, snap.qr_version)
            self.shown_payload = snap.qr
        elif loading:
            self.clear_qr(_("✓ Scanned"))
        elif not has_qr and self.shown_version is not None:
            self.clear_qr(_("The QR expired. Getting a new one…"))
        left = snap.qr_seconds_left
        self.panel.show_countdown(
            has_qr,
            None
            if left is None
            else ngettext(
                "This QR changes in {s} second", "This QR changes in {s} seconds", left
            ).format(s=left),
        )
        if snap.qr_link:
            self.link.setText(
                _('On another device? <a href="{url}">Open the QR page</a>').format(
                    url=snap.qr_link
                )
            )
            self.link.show()
        self._show_session_left(snap)
        waiting = snap.state is State.STARTING or (not has_qr and not loading)
        if snap.retry_in:
            self.show_error(snap.text)
        elif snap.error is not None and not snap.retry_in:
            self.show_error(provider_message(snap.error))
        else:
            self.banner.clear_message()
        self.status.setText(self._status(snap, now) if not snap.retry_in else "")
        if loading:
            self.set_busy(True, _("The phone linked it; the account is loading…"))
        else:
            self.set_busy(waiting, _("Waiting for the provider…"))

    def _status(self, snap: Snapshot, now: float) -> str:
        if snap.state is not State.LOADING:
            self._loading_since = None
            return _(snap.text)
        if self._loading_since is None:
            self._loading_since = now
        seconds = max(0, int(now - self._loading_since))
        return ngettext(
            "Scanned: the phone linked it. {app} is loading the account ({s} second so far); "
            "this usually takes a few seconds.",
            "Scanned: the phone linked it. {app} is loading the account ({s} seconds so far); "
            "this usually takes a few seconds.",
            seconds,
        ).format(app="WhatsApp" if self.flow == "whatsapp" else "Telegram", s=seconds)

    def _show_session_left(self, snap: Snapshot) -> None:
        if snap.session_seconds_left is None:
            self.session_left.setText("")
            return
        m, s = divmod(snap.session_seconds_left, 60)
        text = (
            _("x2desk shows new QRs for {m}:{s:02d} more.")
            if self.flow == "whatsapp"
            else _("The login session ends in {m}:{s:02d}.")
        )
        self.session_left.setText(text.format(m=m, s=s))
