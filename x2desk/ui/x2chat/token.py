"""Get the token: camera (live preview, viewfinder, outline), paste, image file (or drop), screen.

The camera runs through :class:`CaptureBridge` (capture and decoding on its own threads); files
and screen grabs are decoded in a worker. Whatever is read is classified once
(:func:`~x2desk.core.x2chat.tokens.classify`; the Paste tab does it as the text changes) and the
:class:`Intake` goes to the wizard: a Webhook QR or a Telegram login QR gets its own explanation
and scanning goes on; the QR just used is not taken again until it leaves the view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import X2DeskError
from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.i18n import N_, _
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.scan.viewfinder import Viewfinder
from x2desk.ui.x2chat.actions import STEP_TOKEN
from x2desk.ui.x2chat.just_used import REFUSED_PAUSE_MS, JustUsedQr
from x2desk.ui.x2chat.paste import PasteTab

if TYPE_CHECKING:
    from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif)"
TITLES = (  # the page's title on each tab
    N_("Show the X2Chat QR to the camera"),
    N_("Paste the integration token"),
    N_("Open a picture of the QR"),
    N_("Read the QR from this screen"),
)


class TokenPage(WizardPage):
    """Whatever is read goes to ``submit(intake)`` (the wizard), classified once."""

    page_id = "token"

    TAB_CAMERA, TAB_PASTE, TAB_IMAGE, TAB_SCREEN = range(4)

    def __init__(self, ctx: AppContext, submit: Callable[[Intake], Intake]) -> None:
        super().__init__()
        self.ctx = ctx
        self._submit = submit
        self.step = _(STEP_TOKEN)
        self.title = _(TITLES[self.TAB_CAMERA])
        self.subtitle = _(
            "In the X2Chat app, open the bot and make an integration QR. {hint}"
        ).format(hint=_("Integration tokens are one-time and live 5 minutes."))
        self.setAcceptDrops(True)
        self.bridge: Any = None
        self._camera_on = False
        self._job: Job | None = None
        self._active = False
        self.just_used = JustUsedQr()  # Back from Confirm does not bounce straight forward
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.banner = Banner("tokenBanner")
        self.paste = PasteTab()
        self.paste_edit, self.paste_hint = self.paste.edit, self.paste.hint
        self.paste.changed.connect(self.changed)
        self.paste.submitted.connect(self.submit_paste)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tokenTabs")
        self.tabs.setAccessibleName("How to get the token")
        self.tabs.addTab(self._camera_tab(), _("&Camera"))
        self.tabs.addTab(self.paste, _("&Paste token"))
        self.tabs.addTab(self._image_tab(), _("&Image file"))
        self.tabs.addTab(self._screen_tab(), _("&Screen"))
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.banner)
        note = _(
            "Nobody needs to copy or see the bot's secret token: x2desk fetches it, and it is "
            "kept safely by this computer's password store."
        )
        lay.addWidget(label(note, "tokenTtlNote", role="muted"))

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
        self.camera_combo.setMinimumWidth(200)
        self.camera_combo.activated.connect(lambda _i: self.start_camera())
        self.mirror_box = QCheckBox(_("&Mirror preview"))
        self.mirror_box.setObjectName("mirrorPreview")
        self.mirror_box.setAccessibleName("Mirror preview")
        self.mirror_box.toggled.connect(self._set_mirror)
        self.retry_camera = button(_("&Retry"), "cameraRetry")
        self.retry_camera.clicked.connect(self.start_camera)
        self.retry_camera.hide()
        top.addWidget(label(_("Camera:"), wrap=False))
        top.addWidget(self.camera_combo)
        top.addWidget(self.mirror_box)
        top.addStretch(1)
        top.addWidget(self.retry_camera)
        v.addLayout(top)
        self.camera_status = label("", "cameraStatus", role="muted")  # above: never scrolled off
        v.addWidget(self.camera_status)
        self.viewfinder = Viewfinder()
        v.addWidget(self.viewfinder, 1)
        return w

    def _image_tab(self) -> QWidget:
        w, v = self._tab(16)
        drop = label(
            _("Drop a screenshot or photo of the QR here,\nor choose an image file."),
            "dropArea",
        )
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop.setMinimumHeight(160)
        drop.setStyleSheet(
            "QLabel#dropArea { border: 2px dashed palette(mid); border-radius: 12px; }"
        )
        v.addWidget(drop, 1)
        self.open_image_button = button(_("&Open image…"), "openImage")
        self.open_image_button.clicked.connect(self.choose_image)
        v.addWidget(self.open_image_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.image_busy = BusyIndicator("imageBusy", _("Reading the image…"))
        self.image_busy.hide()
        v.addWidget(self.image_busy)
        return w

    def _screen_tab(self) -> QWidget:
        w, v = self._tab(
            16,
            _(
                "If the X2Chat desktop app shows the QR on this computer's screen, x2desk "
                "can read it from there. Make sure only that one QR is visible."
            ),
        )
        self.capture_screen_button = button(_("Capture &screen"), "captureScreen")
        self.capture_screen_button.clicked.connect(self.capture_screen)
        v.addWidget(self.capture_screen_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.screen_busy = BusyIndicator("screenBusy", _("Looking for the QR on screen…"))
        self.screen_busy.hide()
        v.addWidget(self.screen_busy)
        v.addStretch(1)
        return w

    # ---- page life -----------------------------------------------------------------------------

    def enter(self) -> None:
        self._active = True
        self.title = _(TITLES[self.tabs.currentIndex()])
        self.banner.clear_message()
        self.viewfinder.accepted = False
        self.just_used.back_on_page()
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

    def reset(self, fresh: bool = False) -> None:  # fresh: the wizard opened anew
        self.paste.clear()
        self.banner.clear_message()
        if fresh:
            self.just_used.forget()

    def can_next(self) -> bool:
        return self.tabs.currentIndex() == self.TAB_PASTE and self.paste.intake.ok

    def _tab_changed(self, index: int) -> None:
        if not self._active:
            return
        self.banner.clear_message()  # it spoke of what another tab read
        self.title = _(TITLES[index])
        if index == self.TAB_CAMERA:
            self._load_cameras()
        else:
            self.stop_camera()
        if index == self.TAB_PASTE:
            self.paste_edit.setFocus()
        self.changed.emit()

    # ---- camera --------------------------------------------------------------------------------

    def _load_cameras(self) -> None:
        if self.ctx.camera_factory is not None:
            self._set_cameras([(_("Virtual phone camera (demo)"), "demo")])
            return
        if self.ctx.camera:
            self._set_cameras([(Path(self.ctx.camera).name or self.ctx.camera, self.ctx.camera)])
            return

        def listing() -> list[tuple[str, str]]:
            from x2desk.core.scan.frames import list_cameras

            return [(c.name, str(c.index)) for c in list_cameras()]

        self.camera_status.setText(_("Looking for cameras…"))
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
            self.viewfinder.clear(_("No camera found"))
            self.camera_status.setText(
                _(
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
        from x2desk.ui.scan.capture_bridge import CaptureBridge

        self.retry_camera.hide()
        self.viewfinder.clear(_("Starting the camera…"))
        self.camera_status.setText(self.just_used.hint())
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
        if self.just_used.frame(bool(corners)):  # the QR just used left the view
            self.camera_status.setText(self.just_used.hint())

    def _on_camera_text(self, text: str) -> None:
        if not self._camera_on:
            return
        if self.just_used.refuses(text):  # not again until it leaves the view
            self.camera_status.setText(self.just_used.hint())
            QTimer.singleShot(REFUSED_PAUSE_MS, self._resume_camera)
            return
        self.viewfinder.accepted = True
        self._read(text, "camera")

    def _camera_failed(self, key: str, message: str) -> None:
        self.stop_camera()
        self.viewfinder.clear(_("Camera stopped"))
        self.camera_status.setText(message)
        self.retry_camera.show()

    def _set_mirror(self, on: bool) -> None:
        if self.bridge is not None:
            self.bridge.set_mirror(on)  # frames and outlines come back mirrored

    # ---- paste ---------------------------------------------------------------------------------

    def submit_paste(self) -> None:
        self._read(self.paste.intake, "paste")

    # ---- files and screen ----------------------------------------------------------------------

    def choose_image(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Open an image of the QR"), str(Path.home()), _(IMAGE_FILTER)
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
            where = _("the screen") if source == "screen" else _("this image")
            self.banner.show_message(
                _(
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
        self.banner.show_message(_("Drop an image file of the QR (PNG, JPEG…)."), "warning")

    # ---- a text was read -----------------------------------------------------------------------

    def _read(self, read: str | Intake, source: str) -> None:
        """A text was read (camera, image, screen) or the pasted one submitted: classified once
        here (or already, by the Paste tab), and the :class:`Intake` handed to the wizard."""
        intake = read if isinstance(read, Intake) else classify(read)
        if intake.ok and source == "camera":
            self.just_used.taken(str(read))
        intake = self._submit(intake)
        if intake.ok:
            self.banner.clear_message()
            return
        # Not an integration token: say what it was, keep scanning.
        self.banner.show_message(_(intake.explanation), "warning")
        if source == "camera" and self.bridge is not None:
            self.viewfinder.accepted = False
            QTimer.singleShot(1500, self._resume_camera)

    def _resume_camera(self) -> None:
        if self.bridge is not None and self._camera_on and self._active:
            self.bridge.resume()
