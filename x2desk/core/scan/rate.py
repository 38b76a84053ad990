"""How often the camera's frames are decoded: every frame while something QR-like is in view,
a few a second otherwise, so an idle camera page spares the battery.

A full decode of an empty 720p frame costs about one zxing-cpp pass; the finder-pattern gate
alone (the decoder's ``peek``) costs a tenth of that. While nothing QR-like is in view, each
frame gets only the peek, and a full decode runs ``idle_fps`` times a second (a code whose finder
patterns are smeared is still caught by those, through the texture gate); the moment the peek
sees a finder pattern, or a decode saw any candidate, every frame is decoded again, for at least
``linger`` seconds. So the first read after a QR appears comes as soon as before.
"""

from __future__ import annotations

from collections.abc import Callable

from x2desk.core.clock import SYSTEM_CLOCK, Clock

IDLE_FPS = 4.0
LINGER_S = 1.5


class DecodeRate:
    """Decides, frame by frame, whether to decode in full (not thread-safe: the decode thread's)."""

    def __init__(
        self, clock: Clock = SYSTEM_CLOCK, idle_fps: float = IDLE_FPS, linger: float = LINGER_S
    ) -> None:
        self._clock = clock
        self.idle_interval = 1.0 / max(idle_fps, 1e-3)
        self.linger = linger
        self._busy_until = float("-inf")  # full rate until then
        self._next_idle = float("-inf")  # the next decode of an idle view is due then

    @property
    def busy(self) -> bool:
        """Decoding every frame (something QR-like was in view lately)."""
        return self._clock.monotonic() < self._busy_until

    def due(self, peek: Callable[[], bool]) -> bool:
        """Whether this frame gets a full decode. ``peek`` (the cheap gate) runs only when the
        answer depends on it."""
        now = self._clock.monotonic()
        if now < self._busy_until or now >= self._next_idle:
            return True
        if peek():
            self._busy_until = now + self.linger
            return True
        return False

    def decoded(self, promising: bool) -> None:
        """A full decode ran; ``promising``: it found a code or a candidate for one."""
        now = self._clock.monotonic()
        if promising:
            self._busy_until = now + self.linger
        self._next_idle = now + self.idle_interval
