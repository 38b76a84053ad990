"""Get the token: camera (live preview, viewfinder, outline), paste, image file (or drop), screen.

The camera runs through :class:`CaptureBridge` (capture and decoding on
its own threads); files and screen grabs are decoded in a worker. Whatever is read goes to the
wizard's :meth:`submit`, which classifies it: a Webhook QR or a Telegram login QR gets its own
explanation and scanning goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import X2DeskError
from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.scan.viewfinder import Viewfinder

log = logging.getLogger(__name__)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif)"


class TokenPage(WizardPage):
    """Signals: ``text_read(str, source)``: a code was read (camera/image/screen) or typed."""

    page_id = "token"
    text_read = Signal(str, str)

    TAB_CAMERA, TAB_PASTE, TAB_IMAGE, TAB_SCREEN = range(4)

    def __init__(self, ctx: Any, submit: Callable[[str, str], Intake]) -> None:
        super().__init__()
        self.ctx = ctx
        self._submit = submit
        self.step = self.tr("Get the token")
        self.title = self.tr("Show the X2Chat QR to the camera")
        self.subtitle = self.tr(
            "In the X2Chat app, open the bot and make an integration QR. {hint}"
        ).format(hint=self.tr("Integration tokens are one-time and live 5 minutes."))
        self.setAcceptDrops(True)
        self.bridge: Any = None
        self._camera_on = False
        self._job: Job | None = None
        self._active = False
        self.last_intake: Intake | None = None

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.banner = Banner("tokenBanner")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tokenTabs")
        self.tabs.setAccessibleName("How to get the token")
        self.tabs.addTab(self._camera_tab(), self.tr("&Camera"))
        self.tabs.addTab(self._paste_tab(), self.tr("&Paste token"))
        self.tabs.addTab(self._image_tab(), self.tr("&Image file"))
        self.tabs.addTab(self._screen_tab(), self.tr("&Screen"))
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.banner)
        ttl = label(
            self.tr(
                "Tokens live 5 minutes and work once. Nobody needs to copy or see the bot's "
                "secret token: x2desk fetches it and keeps it in the system keyring."
            ),
            "tokenTtlNote",
            role="muted",
        )
        lay.addWidget(ttl)

    # ---- tabs ----------------------------------------------------------------------------------

    @staticmethod
    def _tab(margin: int, intro: str = "") -> tuple[QWidget, QVBoxLayout]:
        """A tab's widget and layout, opening with ``intro`` (if any)."""
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(margin, margin, margin, margin)
        if intro:
            v.addWidget(label(intro))
        return w, v

    def _camera_tab(self) -> QWidget:
        w, v = self._tab(12)
        top = QHBoxLayout()
        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraPicker")
        self.camera_combo.setAccessibleName("Camera")
        self.camera_combo.setMinimumWidth(260)
        self.camera_combo.activated.connect(lambda _i: self.start_camera())
        self.mirror_box = QCheckBox(self.tr("&Mirror preview"))
        self.mirror_box.setObjectName("mirrorPreview")
        self.mirror_box.setAccessibleName("Mirror preview")
        self.mirror_box.toggled.connect(self._set_mirror)
        self.retry_camera = button(self.tr("&Retry"), "cameraRetry")
        self.retry_camera.clicked.connect(self.start_camera)
        self.retry_camera.hide()
        top.addWidget(label(self.tr("Camera:"), wrap=False))
        top.addWidget(self.camera_combo)
        top.addWidget(self.mirror_box)
        top.addStretch(1)
        top.addWidget(self.retry_camera)
        v.addLayout(top)
        self.viewfinder = Viewfinder()
        v.addWidget(self.viewfinder, 1)
        self.camera_status = label("", "cameraStatus", role="muted")
        v.addWidget(self.camera_status)
        return w

    def _paste_tab(self) -> QWidget:
        w, v = self._tab(
            16,
            self.tr(
                'Paste the token from X2Chat\'s "Copy token" button, or its link '
                "(x2chat://bot/integrate?token=…)."
            ),
        )
        self.paste_edit = QLineEdit()
        self.paste_edit.setObjectName("pasteToken")
        self.paste_edit.setAccessibleName("Integration token")
        self.paste_edit.setPlaceholderText("fc6e2368-b677-430d-9f2f-295ce705c9d0")
        self.paste_edit.setClearButtonEnabled(True)
        self.paste_edit.textChanged.connect(self._validate_paste)
        self.paste_edit.returnPressed.connect(self._paste_return)
        v.addWidget(self.paste_edit)
        self.paste_hint = label("", "pasteHint")
        v.addWidget(self.paste_hint)
        v.addStretch(1)
        return w

    def _image_tab(self) -> QWidget:
        w, v = self._tab(16)
        drop = label(
            self.tr("Drop a screenshot or photo of the QR here,\nor choose an image file."),
            "dropArea",
        )
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop.setMinimumHeight(160)
        drop.setStyleSheet(
            "QLabel#dropArea { border: 2px dashed palette(mid); border-radius: 12px; }"
        )
        v.addWidget(drop, 1)
        self.open_image_button = button(self.tr("&Open image…"), "openImage")
        self.open_image_button.clicked.connect(self.choose_image)
        v.addWidget(self.open_image_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.image_busy = BusyIndicator("imageBusy", self.tr("Reading the image…"))
        self.image_busy.hide()
        v.addWidget(self.image_busy)
        return w

    def _screen_tab(self) -> QWidget:
        w, v = self._tab(
            16,
            self.tr(
                "If the X2Chat desktop app shows the QR on this computer's screen, x2desk "
                "can read it from there. Make sure only that one QR is visible."
            ),
        )
        self.capture_screen_button = button(self.tr("Capture &screen"), "captureScreen")
        self.capture_screen_button.clicked.connect(self.capture_screen)
        v.addWidget(self.capture_screen_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.screen_busy = BusyIndicator("screenBusy", self.tr("Looking for the QR on screen…"))
        self.screen_busy.hide()
        v.addWidget(self.screen_busy)
        v.addStretch(1)
        return w

    # ---- page life -----------------------------------------------------------------------------

    def enter(self) -> None:
        self._active = True
        self.title = self._titles()[self.tabs.currentIndex()]
        self.banner.clear_message()
        self.viewfinder.accepted = False
        if self.tabs.currentIndex() == self.TAB_CAMERA:
            self._load_cameras()
        elif self.tabs.currentIndex() == self.TAB_PASTE:
            self.paste_edit.setFocus()

    def leave(self) -> None:
        self._active = False
        self.stop_camera()
        if self._job is not None:
            self._job.discard()
            self._job = None

    def reset(self) -> None:
        self.paste_edit.clear()
        self.banner.clear_message()
        self.last_intake = None

    def can_next(self) -> bool:
        return self.tabs.currentIndex() == self.TAB_PASTE and bool(
            classify(self.paste_edit.text()).ok
        )

    def can_back(self) -> bool:
        return True

    def _tab_changed(self, index: int) -> None:
        if not self._active:
            return
        self.banner.clear_message()  # it spoke of what another tab read
        self.title = self._titles()[index]
        if index == self.TAB_CAMERA:
            self._load_cameras()
        else:
            self.stop_camera()
        if index == self.TAB_PASTE:
            self.paste_edit.setFocus()
        self.changed.emit()

    def _titles(self) -> list[str]:
        return [
            self.tr("Show the X2Chat QR to the camera"),
            self.tr("Paste the integration token"),
            self.tr("Open a picture of the QR"),
            self.tr("Read the QR from this screen"),
        ]

    # ---- camera --------------------------------------------------------------------------------

    def _load_cameras(self) -> None:
        if self.ctx.camera_factory is not None:
            self._set_cameras([(self.tr("Virtual phone camera (demo)"), "demo")])
            return
        if self.ctx.camera:
            self._set_cameras([(Path(self.ctx.camera).name or self.ctx.camera, self.ctx.camera)])
            return

        def listing() -> list[tuple[str, str]]:
            from x2desk.core.scan.cameras import list_cameras

            return [(c.name, str(c.index)) for c in list_cameras()]

        self.camera_status.setText(self.tr("Looking for cameras…"))
        self._job = run_in_worker(listing, self._set_cameras, self._cameras_failed, "cameras")

    def _cameras_failed(self, exc: BaseException) -> None:
        self._set_cameras([])

    def _set_cameras(self, cameras: list[tuple[str, str]]) -> None:
        self._job = None
        previous = self.camera_combo.currentData()
        self.camera_combo.clear()
        for name, spec in cameras:
            self.camera_combo.addItem(name, spec)
        if previous is not None:
            i = self.camera_combo.findData(previous)
            if i >= 0:
                self.camera_combo.setCurrentIndex(i)
        if not cameras:
            self.viewfinder.clear(self.tr("No camera found"))
            self.camera_status.setText(
                self.tr(
                    "No camera was found. Connect a webcam and press Retry, or use Paste token, "
                    "Image file or Screen."
                )
            )
            self.retry_camera.show()
            return
        if self._active and self.tabs.currentIndex() == self.TAB_CAMERA:
            self.start_camera()

    def _make_source(self, spec: str) -> Any:
        """The frame source, wrapped so that its capture thread yields to the GUI thread.
        Raises the frames module's error for a bad ``--camera`` value."""
        from x2desk.ui.scan.background import NiceSource

        if spec == "demo" and self.ctx.camera_factory is not None:
            return NiceSource(self.ctx.camera_factory())
        from x2desk.core.scan.frames import open_source

        return NiceSource(open_source(spec))

    def start_camera(self) -> None:
        self.stop_camera()
        spec = self.camera_combo.currentData()
        if spec is None:
            self._load_cameras()
            return
        try:
            from x2desk.ui.scan.capture_bridge import CaptureBridge
        except ImportError:  # the capture bridge is not installed in this build
            self._camera_failed("no_camera", self.tr("The camera scanner is not available."))
            return
        self.retry_camera.hide()
        self.viewfinder.clear(self.tr("Starting the camera…"))
        self.camera_status.setText(self.tr("Hold the QR inside the frame, about 20 cm away."))
        if self.bridge is None:
            from x2desk.ui.scan.background import NiceDecoder

            bridge = CaptureBridge(lambda: NiceDecoder(), parent=self)
            bridge.frame.connect(self._on_frame)
            bridge.accepted.connect(self._on_camera_text)
            bridge.failed.connect(self._camera_failed)
            self.bridge = bridge
        self.bridge.set_mirror(self.mirror_box.isChecked())
        try:
            source = self._make_source(str(spec))
        except X2DeskError as exc:
            self._camera_failed(exc.key, exc.message)
            return
        self.bridge.start(source)
        self._camera_on = True

    def stop_camera(self) -> None:
        """Ask the capture to stop; it releases the camera on its own thread (never blocks)."""
        if self.bridge is not None and self._camera_on:
            self.bridge.stop()
        self._camera_on = False

    @property
    def camera_running(self) -> bool:
        return bool(self.bridge is not None and self._camera_on and self.bridge.running)

    def _on_frame(self, image: QImage, corners: Any) -> None:
        if not self._camera_on:
            return
        if self.viewfinder.message and not self.viewfinder.accepted:
            self.viewfinder.set_message("")
        self.viewfinder.set_frame(image, corners or ())

    def _on_camera_text(self, text: str) -> None:
        if not self._camera_on:
            return
        self.viewfinder.accepted = True
        self._read(text, "camera")

    def _camera_failed(self, key: str, message: str) -> None:
        self.stop_camera()
        self.viewfinder.clear(self.tr("Camera stopped"))
        self.camera_status.setText(message)
        self.retry_camera.show()

    def _set_mirror(self, on: bool) -> None:
        if self.bridge is not None:
            self.bridge.set_mirror(on)  # frames and outlines come back mirrored

    # ---- paste ---------------------------------------------------------------------------------

    def _validate_paste(self, text: str) -> None:
        intake = classify(text)
        if not text.strip():
            self.paste_hint.setText("")
        elif intake.ok:
            self.paste_hint.setText(self.tr("✓ A valid X2Chat integration token. Press Next."))
            self.paste_hint.setProperty("tone", "hint-ok")
        else:
            self.paste_hint.setText(self.tr(intake.explanation))
            self.paste_hint.setProperty("tone", "hint-bad")
        repolish(self.paste_hint)
        self.changed.emit()

    def _paste_return(self) -> None:
        if self.can_next():
            self.submit_paste()

    def submit_paste(self) -> None:
        self._read(self.paste_edit.text(), "paste")

    # ---- files and screen ----------------------------------------------------------------------

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open an image of the QR"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if path:
            self.read_image(path)

    def read_image(self, path: str) -> None:
        self.tabs.setCurrentIndex(self.TAB_IMAGE)
        self.banner.clear_message()
        self.image_busy.start()

        def decode() -> list[str]:
            from x2desk.ui.scan.decoding import decode_file

            return decode_file(path)

        self._job = run_in_worker(
            decode,
            lambda texts: self._texts_read(texts, "image", self.image_busy),
            lambda exc: self._read_failed(exc, self.image_busy),
            "image",
        )

    def capture_screen(self) -> None:
        self.banner.clear_message()
        self.screen_busy.start()
        from x2desk.ui.scan.decoding import grab_screen_image

        try:
            image = grab_screen_image()  # Qt screen grabs happen on the GUI thread (fast)
        except Exception as exc:
            self._read_failed(exc, self.screen_busy)
            return

        def decode() -> list[str]:
            from x2desk.ui.scan.decoding import decode_array

            return decode_array(image, where="the screen")

        self._job = run_in_worker(
            decode,
            lambda texts: self._texts_read(texts, "screen", self.screen_busy),
            lambda exc: self._read_failed(exc, self.screen_busy),
            "screen",
        )

    def _texts_read(self, texts: list[str], source: str, busy: BusyIndicator) -> None:
        self._job = None
        busy.stop()
        if not texts:
            where = self.tr("the screen") if source == "screen" else self.tr("this image")
            self.banner.show_message(
                self.tr(
                    "No QR code was found in {where}. Make sure the whole QR is visible and "
                    "sharp, or try the camera."
                ).format(where=where),
                "warning",
            )
            return
        self._read(texts[0], source)

    def _read_failed(self, exc: BaseException, busy: BusyIndicator) -> None:
        from x2desk.ui.common.messages import message_for

        self._job = None
        busy.stop()
        self.banner.show_message(message_for(exc), "error")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        md = event.mimeData()
        if md.hasUrls() or md.hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        md = event.mimeData()
        for url in md.urls():
            if url.isLocalFile():
                event.acceptProposedAction()
                self.read_image(url.toLocalFile())
                return
        self.banner.show_message(self.tr("Drop an image file of the QR (PNG, JPEG…)."), "warning")

    # ---- a text was read -----------------------------------------------------------------------

    def _read(self, text: str, source: str) -> None:
        self.text_read.emit(text, source)
        intake = self._submit(text, source)
        self.last_intake = intake
        if intake.ok:
            self.banner.clear_message()
            return
        # Not an integration token: say what it was, keep scanning.
        self.banner.show_message(self.tr(intake.explanation), "warning")
        if source == "camera" and self.bridge is not None:
            self.viewfinder.accepted = False
            QTimer.singleShot(1500, self._resume_camera)

    def _resume_camera(self) -> None:
        if self.bridge is not None and self._camera_on and self._active:
            self.bridge.resume()
