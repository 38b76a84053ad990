"""A virtual camera for the demo and the tests: a phone held up to the webcam, showing a QR.

It renders 1280x720 BGR frames of a phone (rounded dark body, a light screen with the X2Chat QR)
that sways a little, with sensor noise and a moving glare, and follows the same interface as the
sources in :mod:`x2desk.core.scan.frames` (``open``, ``read``, ``close``, ``name``, ``is_live``), so
the real capture and decode code reads it. :meth:`VirtualCamera.show` changes the QR on the
phone's screen (thread-safe: the phone panel calls it from the GUI thread).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.scan.matrix import qr_modules

if TYPE_CHECKING:
    import numpy as np


class VirtualCamera:
    """A live frame source showing a phone with ``payload`` as a QR (or a blank screen)."""

    is_live = True

    def __init__(
        self,
        payload: str | None = None,
        *,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        motion: float = 1.0,
        noise: float = 5.0,
        glare: float = 0.5,
        seed: int = 7,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] = time.sleep,
        paced: bool = True,
    ) -> None:
        self.name = "Virtual phone camera (demo)"
        self.width = width
        self.height = height
        self.fps = fps
        self.motion = motion
        self.noise = noise
        self.glare = glare
        self.seed = seed
        self._clock = clock
        self._sleep = sleep
        self._paced = paced
        self._lock = threading.Lock()
        self._payload = payload
        self._sprite: Any = None  # (image, mask) for the current payload
        self._sprite_for: object = object()
        self._background: Any = None
        self._rng: Any = None
        self._noise_buf: Any = None
        self._open = False
        self._start = 0.0
        self.frames = 0

    # ---- control -------------------------------------------------------------------------------

    def show(self, payload: str | None) -> None:
        """Put a new QR (or none) on the phone's screen."""
        with self._lock:
            self._payload = payload

    @property
    def payload(self) -> str | None:
        with self._lock:
            return self._payload

    # ---- FrameSource ---------------------------------------------------------------------------

    def open(self) -> None:
        import numpy as np

        self._rng = np.random.default_rng(self.seed)
        self._background = self._make_background()
        self._start = self._clock.monotonic()
        self.frames = 0
        self._open = True

    def read(self) -> np.ndarray | None:
        if not self._open:
            from x2desk.core.errors import CameraBusy
            from x2desk.i18n import _

            raise CameraBusy(_("The virtual camera is not open."))
        if self._paced:
            due = self._start + self.frames / self.fps
            wait = due - self._clock.monotonic()
            if wait > 0:
                self._sleep(wait)
        frame = self.render(self.frames / self.fps)
        self.frames += 1
        return frame

    def close(self) -> None:
        self._open = False

    @property
    def is_open(self) -> bool:
        """Whether a capture holds it now (the kiosk's autopilot checks it was released)."""
        return self._open

    # ---- drawing -------------------------------------------------------------------------------

    def render(self, t: float) -> np.ndarray:
        """The frame at ``t`` seconds (deterministic for a given seed, payload and t)."""
        import cv2
        import numpy as np

        if self._background is None:
            self._rng = np.random.default_rng(self.seed)
            self._background = self._make_background()
        payload = self.payload
        if self._sprite_for != payload:
            self._sprite = self._make_sprite(payload)
            self._sprite_for = payload
        sprite, mask = self._sprite
        sh, sw = mask.shape[:2]
        m = self.motion
        angle = m * (4.0 * math.sin(t * 0.9) + 1.5 * math.sin(t * 2.3))
        dx = m * (26.0 * math.sin(t * 0.7) + 6.0 * math.sin(t * 3.1))
        dy = m * (14.0 * math.sin(t * 1.1 + 1.0))
        scale = 1.0 + m * 0.04 * math.sin(t * 0.5)
        cx, cy = self.width * 0.5 + dx, self.height * 0.5 + dy
        rot = cv2.getRotationMatrix2D((sw / 2.0, sh / 2.0), angle, scale)
        rot[0, 2] += cx - sw / 2.0
        rot[1, 2] += cy - sh / 2.0
        # Draw only inside the phone's bounding box: a third of the frame.
        half = 0.5 * math.hypot(sw, sh) * scale + 2
        x0, y0 = max(0, int(cx - half)), max(0, int(cy - half))
        x1, y1 = min(self.width, int(cx + half)), min(self.height, int(cy + half))
        rot[0, 2] -= x0
        rot[1, 2] -= y0
        size = (x1 - x0, y1 - y0)
        phone = cv2.warpAffine(sprite, rot, size, flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(mask, rot, size, flags=cv2.INTER_LINEAR)
        w1 = alpha.astype(np.float32) * (1.0 / 255.0)
        frame = self._background.copy()
        roi = frame[y0:y1, x0:x1]
        frame[y0:y1, x0:x1] = cv2.blendLinear(phone, roi, w1, 1.0 - w1)
        if self.glare > 0:
            self._add_glare(frame, t)
        if self.noise > 0:
            frame = cv2.add(frame, self._noise_frame(), dtype=cv2.CV_8U)
        return frame

    def _make_background(self) -> np.ndarray:
        import numpy as np

        h, w = self.height, self.width
        y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
        x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
        base = 70.0 + 60.0 * y + 25.0 * x  # a dim office wall, lighter towards the desk
        img = np.empty((h, w, 3), dtype=np.float32)
        img[..., 0] = base * 0.92
        img[..., 1] = base * 0.95
        img[..., 2] = base
        return img.astype(np.uint8)

    def _noise_frame(self) -> np.ndarray:
        """Sensor noise: one of a few pre-made noise fields (fresh noise costs too much)."""
        import cv2
        import numpy as np

        if self._noise_buf is None or self._noise_buf[0].shape != (self.height, self.width, 3):
            bufs = []
            for _ in range(6):
                b = np.empty((self.height, self.width, 3), dtype=np.int16)
                cv2.randn(b, 0, self.noise)  # type: ignore[call-overload]
                bufs.append(b)
            self._noise_buf = bufs
        return self._noise_buf[self.frames % len(self._noise_buf)]

    def _make_sprite(self, payload: str | None) -> tuple[np.ndarray, np.ndarray]:
        import cv2
        import numpy as np

        pw, ph = 300, 600
        radius = 42
        mask = np.zeros((ph, pw), dtype=np.uint8)
        _rounded_rect(mask, 0, 0, pw - 1, ph - 1, radius, 255)
        img = np.zeros((ph, pw, 3), dtype=np.uint8)
        _rounded_rect(img, 0, 0, pw - 1, ph - 1, radius, (28, 24, 22))
        # screen
        sx0, sy0, sx1, sy1 = 14, 16, pw - 15, ph - 17
        _rounded_rect(img, sx0, sy0, sx1, sy1, 30, (250, 248, 246))
        cv2.rectangle(img, (pw // 2 - 40, sy0 + 10), (pw // 2 + 40, sy0 + 24), (28, 24, 22), -1)
        # app header
        cv2.rectangle(img, (sx0, sy0 + 40), (sx1, sy0 + 96), (223, 107, 47), -1)
        cv2.putText(
            img, "X2Chat", (sx0 + 18, sy0 + 78), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
            (255, 255, 255), 2, cv2.LINE_AA,
        )  # fmt: skip
        # No words on the pretend phone but the app's name: the demo runs in every language.
        if payload:
            matrix = np.array(qr_modules(payload), dtype=np.uint8)
            n = matrix.shape[0]
            side = sx1 - sx0 - 24
            module = max(1, side // n)
            qr = np.where(matrix > 0, 20, 250).astype(np.uint8)
            qr = cv2.resize(
                qr,  # type: ignore[assignment]
                (n * module, n * module),
                interpolation=cv2.INTER_NEAREST,
            )
            q = qr.shape[0]
            qx = (pw - q) // 2
            qy = sy0 + 160
            img[qy : qy + q, qx : qx + q] = qr[..., None]
            _timer(img, (sx0 + 30, qy + q + 30), "5:00")  # a clock face and the minutes it lives
        else:  # an empty frame where the QR will be
            side = sx1 - sx0 - 60
            x0, y0 = sx0 + 30, ph // 2 - side // 2
            for i in range(0, side, 16):
                cv2.line(img, (x0 + i, y0), (x0 + min(i + 8, side), y0), (170, 170, 170), 2)
                cv2.line(
                    img, (x0 + i, y0 + side), (x0 + min(i + 8, side), y0 + side), (170, 170, 170), 2
                )
                cv2.line(img, (x0, y0 + i), (x0, y0 + min(i + 8, side)), (170, 170, 170), 2)
                cv2.line(img, (x0 + side, y0 + i), (x0 + side, y0 + min(i + 8, side)),
                         (170, 170, 170), 2)  # fmt: skip
        return img, mask

    def _add_glare(self, frame: np.ndarray, t: float) -> None:
        import cv2
        import numpy as np

        h, w = frame.shape[:2]
        gx = int(w * (0.45 + 0.08 * math.sin(t * 0.6)))
        gy = int(h * (0.35 + 0.06 * math.cos(t * 0.8)))
        rx, ry = 150, 80
        x0, y0 = max(0, gx - rx), max(0, gy - ry)
        x1, y1 = min(w, gx + rx), min(h, gy + ry)
        if x1 <= x0 or y1 <= y0:
            return
        yy, xx = np.ogrid[y0:y1, x0:x1]
        d = ((xx - gx) / rx) ** 2 + ((yy - gy) / ry) ** 2
        g = (np.clip(1.0 - d, 0.0, 1.0) ** 2 * (90.0 * self.glare)).astype(np.uint8)
        roi = frame[y0:y1, x0:x1]
        cv2.add(roi, cv2.merge([g, g, g]), dst=roi)


def _timer(img: Any, at: tuple[int, int], text: str) -> None:
    """A small clock face and ``text`` (digits) beside it."""
    import cv2

    x, y = at
    cv2.circle(img, (x, y), 9, (110, 110, 110), 2, cv2.LINE_AA)
    cv2.line(img, (x, y), (x, y - 6), (110, 110, 110), 2, cv2.LINE_AA)
    cv2.line(img, (x, y), (x + 5, y), (110, 110, 110), 2, cv2.LINE_AA)
    cv2.putText(
        img, text, (x + 18, y + 6), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (110, 110, 110), 1, cv2.LINE_AA
    )


def _rounded_rect(img: Any, x0: int, y0: int, x1: int, y1: int, r: int, color: Any) -> None:
    import cv2

    cv2.rectangle(img, (x0 + r, y0), (x1 - r, y1), color, -1)
    cv2.rectangle(img, (x0, y0 + r), (x1, y1 - r), color, -1)
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        cv2.circle(img, (cx, cy), r, color, -1, cv2.LINE_AA)
