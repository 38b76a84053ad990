"""The Green-API QR: the PNG the instance gives, shown at once and replaced by each new one
(x2desk asks every 5 s, and the countdown counts down to the next ask, so the line under the QR
and the instructions agree); a QR no fresh one replaced is taken off the screen. While the
instance is starting or asleep the page says so, and what to do, with the busy indicator
running."""

from __future__ import annotations

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import N_, _, ngettext
from x2desk.ui.common.qr_panel import QR_PX, QrLoginPage
from x2desk.ui.common.widgets import label
from x2desk.ui.greenapi.common import STEP_PAIR, greenapi_message

SCAN_STEPS = N_(
    "On the phone that holds the account, open Telegram > Settings > Devices > Link Desktop "
    "Device, and point the camera at this QR. x2desk shows a fresh QR every {s} s: scan the "
    "one on screen."
)


class GreenApiQrPage(QrLoginPage):
    def __init__(self) -> None:
        super().__init__("greenapi_qr", "greenapiQr", _("Green-API pairing QR"))
        self.step = _(STEP_PAIR)
        self.title = _("Pair the instance: scan the QR")
        self.shown_png: bytes | None = None  # the PNG on screen (tests, the demo phone)
        self.redraws = 0  # how many QRs were drawn (tests)
        self.instance_label = label("", "greenapiQrInstance", role="muted")
        self.side.addWidget(self.instance_label)
        self.interval_s = 5  # how often x2desk asks for a fresh QR (the wizard sets it)
        self._drawn_at: float | None = None  # when the QR on screen came (the wizard's clock)
        self.instructions = label(_(SCAN_STEPS).format(s=5), "greenapiQrSteps")
        self.side.addWidget(self.instructions)
        self.status = label("", "greenapiQrStatus", role="heading")
        self.side.addWidget(self.status)
        self.finish_side()
        self.clear_qr(_("Asking Green-API for a QR…"))

    def set_interval(self, seconds: float) -> None:
        self.interval_s = max(1, round(seconds))
        self.instructions.setText(_(SCAN_STEPS).format(s=self.interval_s))

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
        self._drawn_at = None

    def _next_in(self, now: float) -> str | None:
        """The seconds to the next fresh QR: x2desk asks every ``interval_s`` since this one came
        (the same QR may come back: the count starts again, as the instructions say)."""
        if self._drawn_at is None:
            return None
        since = max(0.0, now - self._drawn_at)
        left = self.interval_s - int(since) % self.interval_s
        return ngettext("A fresh QR in {s} second", "A fresh QR in {s} seconds", left).format(
            s=left
        )

    def has_qr(self) -> bool:
        return self.shown_png is not None

    def show_snapshot(self, snap: Snapshot, now: float = 0.0) -> None:
        """Draw ``snap``: a new QR at once, none when it expired, what the instance is doing
        (``now``: the wizard's clock, for the seconds to the next QR)."""
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
                self._drawn_at = now
        elif not has_qr and self.shown_version is not None:
            self.clear_qr(_("The QR expired. Getting a new one…"))
        elif not has_qr and snap.state is State.LOADING:
            self.clear_qr(_("Waiting for the instance…"))
        self.panel.show_countdown(has_qr, self._next_in(now))
        if snap.retry_in:
            self.show_error(
                greenapi_message(snap.error)
                + " "
                + ngettext(
                    "Trying again in {s} second.",
                    "Trying again in {s} seconds.",
                    int(snap.retry_in),
                ).format(s=int(snap.retry_in))
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
