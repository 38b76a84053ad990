"""The Green-API QR: the PNG the instance gives, shown at once and replaced by each new one
(x2desk asks every 5 s); an expired QR is taken off the screen. While the instance is starting
or asleep the page says so, and what to do, with the busy indicator running."""

from __future__ import annotations

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import _
from x2desk.ui.common.qr_panel import QR_PX, QrLoginPage
from x2desk.ui.common.widgets import label
from x2desk.ui.greenapi.common import STEP_PAIR, greenapi_message

SCAN_STEPS = (
    "On the phone that holds the account, open WhatsApp > Settings > Linked devices > "
    "Link a device, and point the camera at this QR. A new QR comes every 5 s: scan the "
    "newest one."
)


class GreenApiQrPage(QrLoginPage):
    def __init__(self) -> None:
        super().__init__("greenapi_qr", "greenapiQr", "Green-API pairing QR")
        self.step = _(STEP_PAIR)
        self.title = _("Pair the instance: scan the QR")
        self.shown_png: bytes | None = None  # the PNG on screen (tests, the demo phone)
        self.redraws = 0  # how many QRs were drawn (tests)
        self.instance_label = label("", "greenapiQrInstance", role="muted")
        self.side.addWidget(self.instance_label)
        self.instructions = label(_(SCAN_STEPS), "greenapiQrSteps")
        self.side.addWidget(self.instructions)
        self.status = label("", "greenapiQrStatus", role="heading")
        self.side.addWidget(self.status)
        self.finish_side()
        self.clear_qr(_("Asking Green-API for a QR…"))

    def set_instance(self, id_instance: str, repair: bool = False) -> None:
        self.instance_label.setText(
            (_("Re-pairing instance {i}") if repair else _("Instance {i}")).format(i=id_instance)
        )
        self.status.setText("")
        self.banner.clear_message()
        self.clear_qr(_("Checking the instance…"))

    def clear_qr(self, text: str) -> None:
        self.panel.clear(text)
        self.shown_png = None

    def has_qr(self) -> bool:
        return self.shown_png is not None

    def show_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: a new QR at once, none when it expired, what the instance is doing."""
        from x2desk.ui.common.qr_image import png_image

        png = snap.qr_image
        has_qr = png is not None and snap.qr_seconds_left != 0  # expired: never left up
        if png is not None and has_qr and self.panel.is_new(snap.qr_version):
            image = png_image(png, QR_PX)
            if image.isNull():
                has_qr = False
                self.clear_qr(_("Green-API sent a QR x2desk cannot show; asking again…"))
            else:
                self.panel.draw(image, snap.qr_version)
                self.shown_png = png
                self.redraws += 1
        elif not has_qr and self.shown_version is not None:
            self.clear_qr(_("The QR expired. Getting a new one…"))
        elif not has_qr and snap.state is State.LOADING:
            self.clear_qr(_("Waiting for the instance…"))
        left = snap.qr_seconds_left
        self.panel.show_countdown(
            has_qr,
            None if left is None else _("This QR is valid for {s} s more").format(s=left),
        )
        if snap.retry_in:
            self.show_error(
                greenapi_message(snap.error)
                + " "
                + _("Trying again in {s} s.").format(s=int(snap.retry_in))
            )
            self.status.setText("")
        else:
            self.banner.clear_message()
            if has_qr and snap.state is State.WAITING_FOR_QR:
                self.status.setText(_("Waiting for the phone to scan it…"))
            else:
                self.status.setText(_(snap.text))
        waiting = snap.state in (State.STARTING, State.LOADING) or not has_qr
        caption = (
            _("Waiting for the instance…")
            if snap.state is State.LOADING
            else _("Waiting for Green-API…")
        )
        self.set_busy(waiting, caption)
