"""The camera part of a page: the camera picker, the live preview, and what to do when it fails.

:class:`CameraPanel` lists the cameras in a worker (their names come from
:func:`~x2desk.core.scan.cameras.list_cameras`), opens the one the user picked last time, by name
(saved in the settings: indices change when a camera is plugged in), and runs it through a
:class:`~x2desk.ui.scan.capture_bridge.CaptureBridge`. :func:`camera_source` is the window's one
camera opener. Trouble is said in plain words in the status line: a camera held by another
program or not allowed says so and offers Retry; an unplugged camera is watched for (the list is
asked again every ``watch_interval_ms``) and scanning starts again by itself when a camera of the
same name returns. While the window is hidden or minimised nothing is read or decoded.

Signal: ``text_read(str)``: a code was read (two agreeing frames); the capture pauses until
:meth:`CameraPanel.resume`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QVBoxLayout, QWidget

from x2desk.core.errors import X2DeskError
from x2desk.core.scan.cameras import CameraInfo, find_camera
from x2desk.core.scan.frames import FrameSource
from x2desk.i18n import _
from x2desk.ui.common.widgets import button, label
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.scan.viewfinder import Viewfinder

DEMO = "demo"
WATCH_INTERVAL_MS = 2000
REFUSED_PAUSE_MS = 300  # a refused read (see ``gate``): the camera looks again after this long
Choice = CameraInfo | str  # a listed camera, the demo's virtual one, or a --camera value


def camera_source(choice: Choice, ctx: Any) -> FrameSource:
    """The frame source for a camera choice, its capture thread yielding to the GUI thread.
    Raises the frames module's error for a bad ``--camera`` value (cheap checks only: the
    device is opened on the capture thread)."""
    from x2desk.core.scan.cameras import CameraSource
    from x2desk.core.scan.frames import open_source
    from x2desk.ui.scan.background import NiceSource

    if choice == DEMO and ctx.camera_factory is not None:
        return NiceSource(ctx.camera_factory())
    if isinstance(choice, CameraInfo):
        return NiceSource(CameraSource(choice))
    return NiceSource(open_source(choice))


def _listing() -> tuple[list[CameraInfo], str | None]:
    """The cameras, and the name of the one picked last time (worker)."""
    from x2desk.core.scan.cameras import list_cameras
    from x2desk.core.store.settings import load_settings

    try:
        remembered = load_settings().camera_name
    except X2DeskError:  # a damaged settings file: no camera remembered
        remembered = None
    return list_cameras(), remembered


def _remember(name: str) -> None:
    """Save the picked camera's name (worker)."""
    from x2desk.core.store.settings import load_settings, save_settings

    settings = load_settings()
    if settings.camera_name != name:
        settings.camera_name = name
        save_settings(settings)


class CameraPanel(QWidget):
    """See the module docstring. ``listing``, ``make_source`` and ``watch_interval_ms`` are the
    seams tests use (no camera on the build machines)."""

    text_read = Signal(str)

    def __init__(
        self,
        ctx: Any,
        *,
        listing: Callable[[], tuple[list[CameraInfo], str | None]] = _listing,
        make_source: Callable[[Choice, Any], FrameSource] = camera_source,
        remember: Callable[[str], None] = _remember,
        watch_interval_ms: int = WATCH_INTERVAL_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._listing, self._make_source, self._remember = listing, make_source, remember
        self.bridge: Any = None
        # what may refuse a read and word the status line (the X2Chat page's JustUsedQr)
        self.gate: Any = None
        self.idle_fps: float | bool | None = True  # True: the bridge's default; None: every frame
        self._on = False
        self._active = False
        self._job: Job | None = None
        self._remembered: str | None = None
        self._watched: QWidget | None = None
        self._watch = QTimer(self)
        self._watch.setInterval(watch_interval_ms)
        self._watch.timeout.connect(self._look_for_lost_camera)
        self._build()

    def _build(self) -> None:
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.combo = QComboBox()
        self.combo.setObjectName("cameraPicker")
        self.combo.setAccessibleName(_("Camera"))
        self.combo.setMinimumWidth(160)
        # a long camera name is shortened in the box (its list shows it whole), never widens
        # the page past the window
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(14)
        self.combo.activated.connect(self._picked)
        self.mirror_box = QCheckBox(_("&Mirror preview"))
        self.mirror_box.setObjectName("mirrorPreview")
        self.mirror_box.setAccessibleName(_("Mirror preview"))
        self.mirror_box.toggled.connect(self._set_mirror)
        self.retry_button = button(_("&Retry"), "cameraRetry")
        self.retry_button.clicked.connect(self.start)
        self.retry_button.hide()
        self.picker_label = label(_("Camera:"), wrap=False)
        top.addWidget(self.picker_label)
        top.addWidget(self.combo)
        top.addWidget(self.mirror_box)
        top.addStretch(1)
        top.addWidget(self.retry_button)
        v.addLayout(top)
        self.status = label("", "cameraStatus", role="muted")  # above: never scrolled off
        v.addWidget(self.status)
        self.viewfinder = Viewfinder()
        v.addWidget(self.viewfinder, 1)

    # ---- life ----------------------------------------------------------------------------------

    def activate(self) -> None:
        """The page shows the camera: list the cameras, then start the chosen one."""
        self._active = True
        self.viewfinder.accepted = False
        self.mirror_box.setChecked(bool(getattr(self.ctx, "camera_mirror", False)))
        self._load_cameras()

    def deactivate(self) -> None:
        """The page or tab is left: release the camera (on its own thread), stop watching."""
        self._active = False
        self._watch.stop()
        self.stop()
        if self._job is not None:
            self._job.discard()
            self._job = None

    @property
    def running(self) -> bool:
        return bool(self.bridge is not None and self._on and self.bridge.running)

    def _load_cameras(self) -> None:
        if self.ctx.camera_factory is not None:
            self._set_cameras([(_("Virtual phone camera (demo)"), DEMO)])
            return
        if self.ctx.camera:
            self._set_cameras([(Path(self.ctx.camera).name or self.ctx.camera, self.ctx.camera)])
            return
        self.status.setText(_("Looking for cameras…"))
        self._job = run_in_worker(
            self._listing, self._listed, lambda _exc: self._listed(([], None))
        )

    def set_fixed(self, mirror: bool = True) -> None:
        """The kiosk: no picker and no mirror box (the camera is the config's, by
        ``ctx.camera_name``), the preview mirrored as a person facing the camera expects."""
        for widget in (self.picker_label, self.combo, self.mirror_box):
            widget.hide()
        self.mirror_box.setChecked(mirror)

    def _listed(self, found: tuple[list[CameraInfo], str | None]) -> None:
        self._job = None
        cameras, remembered = found
        wanted = getattr(self.ctx, "camera_name", None)  # the kiosk's: a part of the name
        if wanted:
            part = wanted.casefold()
            remembered = next((c.name for c in cameras if part in c.name.casefold()), remembered)
        self._remembered = remembered or self._remembered  # the settings' choice, else this run's
        self._set_cameras([(c.name, c) for c in cameras])

    def _set_cameras(self, cameras: list[tuple[str, Choice]]) -> None:
        previous = self._remembered or self.combo.currentText()
        self.combo.clear()
        for name, choice in cameras:
            self.combo.addItem(name, choice)
        index = self.combo.findText(previous) if previous else -1
        self.combo.setCurrentIndex(max(index, 0) if cameras else -1)
        if not cameras:
            self.viewfinder.clear(_("No camera found"))
            self.status.setText(
                _(
                    "No camera was found. Connect a webcam and press Retry, or use Paste token, "
                    "Image file or Screen."
                )
            )
            self.retry_button.show()
            return
        if self._active:
            self.start()

    def _picked(self, _index: int) -> None:
        choice = self.combo.currentData()
        if isinstance(choice, CameraInfo):
            self._remembered = choice.name
            run_in_worker(lambda: self._remember(choice.name), name="remember camera")
        self.start()

    # ---- the capture ---------------------------------------------------------------------------

    def start(self) -> None:
        self.stop()
        self._watch.stop()
        choice = self.combo.currentData()
        if choice is None:
            self._load_cameras()
            return
        self.retry_button.hide()
        self.viewfinder.clear(_("Starting the camera…"))
        self.status.setText(self._hint())
        try:
            source = self._make_source(choice, self.ctx)
        except X2DeskError as exc:
            self._failed(exc.key, exc.message)
            return
        self._ensure_bridge().start(source)
        self._on = True

    def _ensure_bridge(self) -> Any:
        if self.bridge is None:
            from x2desk.ui.scan.capture_bridge import CaptureBridge

            self.bridge = CaptureBridge(parent=self, idle_fps=self.idle_fps)
            self.bridge.frame.connect(self._on_frame)
            self.bridge.accepted.connect(self._on_text)
            self.bridge.failed.connect(self._failed)
            self.bridge.set_mirror(self.mirror_box.isChecked())
            self.bridge.hold(self._window_hidden())
        return self.bridge

    def stop(self) -> None:
        """Ask the capture to stop; it releases the camera on its own thread (never blocks)."""
        if self.bridge is not None and self._on:
            self.bridge.stop()
        self._on = False

    def resume(self) -> None:
        """Scan again after a read that was not what the page wanted."""
        if self.bridge is not None and self._on and self._active:
            self.viewfinder.accepted = False
            self.bridge.resume()

    def _on_frame(self, image: QImage, corners: Any) -> None:
        if not self._on:
            return
        if self.viewfinder.message and not self.viewfinder.accepted:
            self.viewfinder.set_message("")
        self.viewfinder.set_frame(image, corners or ())
        if self.gate is not None and self.gate.frame(bool(corners)):  # the refused QR left
            self.status.setText(self._hint())

    def _on_text(self, text: str) -> None:
        if not self._on:
            return
        if self.gate is not None and self.gate.refuses(text):  # not again from this view
            self.status.setText(self._hint())
            QTimer.singleShot(REFUSED_PAUSE_MS, self.resume)
            return
        self.viewfinder.accepted = True
        self.text_read.emit(text)

    def _hint(self) -> str:
        if self.gate is not None:
            return str(self.gate.hint())
        return _("Hold the QR inside the frame, about 20 cm away.")

    def _set_mirror(self, on: bool) -> None:
        if hasattr(self.ctx, "camera_mirror"):
            self.ctx.camera_mirror = on  # the rest of this window's run (the settings: for good)
        if self.bridge is not None:
            self.bridge.set_mirror(on)  # frames and outlines come back mirrored

    # ---- trouble -------------------------------------------------------------------------------

    def _failed(self, key: str, message: str) -> None:
        self.stop()
        self.status.setText(message)
        if key == "camera_unplugged":
            self.viewfinder.clear(_("Camera unplugged"))
            self.retry_button.hide()
            self._watch.start()  # scanning starts again by itself when it returns
            return
        self.viewfinder.clear(_("Camera stopped"))
        self.retry_button.show()

    def _look_for_lost_camera(self) -> None:
        if self._job is None and self._active:
            self._job = run_in_worker(self._listing, self._maybe_back, lambda _exc: self._idle())

    def _idle(self) -> None:
        self._job = None

    def _maybe_back(self, found: tuple[list[CameraInfo], str | None]) -> None:
        self._job = None
        lost = self.combo.currentText()
        camera = find_camera(found[0], lost)
        if camera is None or not self._active or not self._watch.isActive():
            return
        self._watch.stop()
        self.combo.setItemData(self.combo.currentIndex(), camera)  # its index may have changed
        self.start()
        self.status.setText(_("{name} is back: scanning again.").format(name=lost))

    # ---- a hidden window reads nothing ---------------------------------------------------------

    def showEvent(self, event: Any) -> None:  # noqa: N802
        window = self.window()
        if window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        self._update_hold()
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Hide, QEvent.Type.Show, QEvent.Type.WindowStateChange):
            self._update_hold()
        return False

    def _window_hidden(self) -> bool:
        window = self.window()
        return not window.isVisible() or window.isMinimized()

    def _update_hold(self) -> None:
        if self.bridge is not None:
            self.bridge.hold(self._window_hidden())
