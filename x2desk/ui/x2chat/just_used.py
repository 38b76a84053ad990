"""The QR the camera just handed on, not taken again from the same view.

Back from Confirm (a token declined) or a failed redeem (a token used) shows the token page
again while the same QR is still in front of the camera: read again within 250 ms, it bounced
the person straight forward and the other tabs could not be reached. :class:`JustUsedQr`
remembers that text; the page refuses it until the QR has left the view (``gone_frames``
preview frames in a row without a code in them) and come back.
"""

from __future__ import annotations

from x2desk.i18n import _

# Preview frames in a row without a code (each already 0.5 s after the last read: the capture's
# corner lifetime) before the QR counts as taken out of view: about half a second at 30 fps.
GONE_FRAMES = 15


class JustUsedQr:
    def __init__(self, gone_frames: int = GONE_FRAMES) -> None:
        self.gone_frames = gone_frames
        self._taken: str | None = None  # the text last handed on from the camera
        self._refused: str | None = None  # the text not taken again until it leaves the view
        self._without_code = 0
        self.refusals = 0  # how often it was seen and refused (tests)

    def taken(self, text: str) -> None:
        """The camera's ``text`` went to the flow."""
        self._taken = text

    def back_on_page(self) -> None:
        """The page shows again after that token was declined or used: refuse it from now."""
        if self._taken is not None:
            self._refused = self._taken
            self._without_code = 0

    def forget(self) -> None:
        """A new start (the wizard opened afresh): any QR may be read."""
        self._taken = self._refused = None
        self._without_code = 0

    def frame(self, has_code: bool) -> bool:
        """A preview frame (with a code in it or not); True when the refused QR just counted
        as gone (it will be taken when it comes back)."""
        if self._refused is None:
            return False
        if has_code:
            self._without_code = 0
            return False
        self._without_code += 1
        if self._without_code < self.gone_frames:
            return False
        self._refused = None
        return True

    def refuses(self, text: str) -> bool:
        """Whether ``text`` is the QR just used, still not taken out of view."""
        if self._refused is not None and text == self._refused:
            self.refusals += 1
            return True
        return False

    def hint(self) -> str:
        """What the camera's status line says: how to hold the QR, or why it is not taken."""
        if self._refused is None:
            return _("Hold the QR inside the frame, about 20 cm away.")
        return _(
            "This is the QR you just used. Show a new one, or take it out of view and back to "
            "use it again; or choose another way above."
        )

    @property
    def waiting(self) -> bool:
        """A QR is refused until it leaves the view."""
        return self._refused is not None
