"""Read a QR from the screen, the clipboard or an image file, decoding off the GUI thread.

The X2Chat desktop app may show the QR on this very computer: "Capture screen" grabs every screen
(``QScreen.grabWindow(0)``) and decodes each picture. More than one distinct code is refused
(:class:`~x2desk.core.errors.TooManyCodes`: the user must say which one by closing the others),
one is the answer, none gets a clear message. The clipboard and files work the same way.

Qt objects (screens, clipboard, pixmaps) are touched on the GUI thread only; the conversion to
arrays and the decoding run in a ``QThreadPool`` worker.

Signals of :class:`ScreenGrabber`:
    found(str)           the one code's text
    failed(str, str)     an error's key and message (``too_many_codes``, ``no_code``...)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication, QImage, QScreen

from x2desk.core.errors import ScanError, X2DeskError
from x2desk.core.scan.capture import Decoder, single_text
from x2desk.ui.common.gui_thread import Mailbox
from x2desk.ui.scan.capture_bridge import to_array

Job = Callable[[Decoder], str]


class _Task(QRunnable):
    def __init__(self, job: Job, decoder: Callable[[], Decoder], done: Callable[[Any], None]):
        super().__init__()
        self._job, self._decoder, self._done = job, decoder, done

    def run(self) -> None:
        try:
            outcome: Any = self._job(self._decoder())
        except X2DeskError as exc:
            outcome = exc
        except Exception as exc:  # never let a worker die silently
            outcome = ScanError(f"Reading the picture failed ({type(exc).__name__}). Try again.")
        self._done(outcome)


class _LazyDecoder:
    """Makes the decoder on first use, on the worker (a plain object: workers hold no QObject)."""

    def __init__(self, factory: Callable[[], Decoder] | None) -> None:
        self._factory = factory
        self._decoder: Decoder | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Decoder:
        with self._lock:
            if self._decoder is None:
                if self._factory is not None:
                    self._decoder = self._factory()
                else:
                    from x2desk.core.scan.decode import QrDecoder

                    self._decoder = QrDecoder()
            return self._decoder


class ScreenGrabber(QObject):
    """One grab at a time; see the module docstring for the signals."""

    found = Signal(str)
    failed = Signal(str, str)

    def __init__(
        self,
        decoder_factory: Callable[[], Decoder] | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._decoder = _LazyDecoder(decoder_factory)
        self._pool = pool or QThreadPool.globalInstance()
        self._busy = False
        self._inbox = Mailbox(self._deliver)  # workers post here; they never hold this QObject

    @property
    def busy(self) -> bool:
        return self._busy

    def grab_screens(self, screens: Sequence[QScreen] | None = None) -> None:
        """Grab every screen (or ``screens``) now; ``found`` or ``failed`` follows."""
        # deep copies: the worker must not share pixels with anything the GUI thread paints
        shots = [s.grabWindow(0).toImage().copy() for s in screens or QGuiApplication.screens()]
        shots = [shot for shot in shots if not shot.isNull()]
        if not shots:
            self._fail_now(
                ScanError(
                    "x2desk could not capture the screen here (some desktops, such as Wayland "
                    "sessions, do not allow it). Save a screenshot and open it, or copy the QR "
                    "image to the clipboard instead."
                )
            )
            return
        where = "the screen" if len(shots) == 1 else "the screens"
        self._run(lambda decoder: _one_code(decoder, shots, where))

    def grab_clipboard(self) -> None:
        """Read the image on the clipboard (or the image file copied in a file manager)."""
        clipboard = QGuiApplication.clipboard()
        image = clipboard.image().copy()
        if not image.isNull():
            self._run(lambda decoder: _one_code(decoder, [image], "the clipboard image"))
            return
        mime = clipboard.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()] if mime else []
        if files:
            self.decode_file(files[0])
            return
        self._fail_now(
            ScanError(
                "The clipboard holds no image. Copy the QR picture (or a screenshot of it), then "
                "try again; a copied token goes in the Paste field instead."
            )
        )

    def decode_file(self, path: str | Path) -> None:
        """Read an image file (Open image…, drag and drop)."""
        name = Path(path).name

        def job(decoder: Decoder) -> str:
            from x2desk.core.scan.decode import load_image

            image = load_image(path)
            return single_text((c.text for c in decoder.decode(image)), where=name)

        self._run(job)

    # ---- internals -----------------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        self._busy = True
        self._pool.start(_Task(job, self._decoder, self._inbox.post))

    def _fail_now(self, exc: X2DeskError) -> None:
        self._busy = False
        self.failed.emit(exc.key, exc.message)

    def _deliver(self, outcome: Any) -> None:
        self._busy = False
        if isinstance(outcome, X2DeskError):
            self.failed.emit(outcome.key, outcome.message)
        else:
            self.found.emit(str(outcome))


def _one_code(decoder: Decoder, images: Sequence[QImage], where: str) -> str:
    texts: list[str] = []
    for image in images:
        texts.extend(code.text for code in decoder.decode(to_array(image)))
    return single_text(texts, where=where)
