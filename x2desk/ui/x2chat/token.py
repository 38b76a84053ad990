"""Get the token: camera (live preview, viewfinder, outline), paste, image file (or drop), screen.

The camera is a :class:`~x2desk.ui.scan.camera_panel.CameraPanel` (capture and decoding on
their own threads); files and screen grabs are decoded in a worker. Whatever is read goes to the
wizard's :meth:`submit`, which classifies it: a Webhook QR or a Telegram login QR gets its own
explanation and scanning goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import X2DeskError
from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.i18n import _
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.scan.camera_panel import CameraPanel

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
        self.camera = CameraPanel(self.ctx)
        self.camera.text_read.connect(lambda text: self._read(text, "camera"))
        v.addWidget(self.camera)
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
        if self.tabs.currentIndex() == self.TAB_CAMERA:
            self.camera.activate()
        elif self.tabs.currentIndex() == self.TAB_PASTE:
            self.paste_edit.setFocus()

    def leave(self) -> None:
        self._active = False
        self.camera.deactivate()
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
            self.camera.activate()
        else:
            self.camera.deactivate()
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
        from x2desk.ui.scan.decoding import decode_images, grab_screens

        self.banner.clear_message()
        self.screen_busy.start()
        try:
            shots = grab_screens()  # Qt screen grabs happen on the GUI thread (fast)
        except X2DeskError as exc:
            self._read_failed(exc, self.screen_busy)
            return
        where = _("the screen") if len(shots) == 1 else _("the screens")
        self._job = run_in_worker(
            lambda: decode_images(shots, where),
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
        if source == "camera":
            QTimer.singleShot(1500, self.camera.resume)
