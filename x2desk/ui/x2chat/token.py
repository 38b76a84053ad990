"""Get the token: camera (live preview, viewfinder, outline), paste, image file (or drop), screen.

The camera is a :class:`~x2desk.ui.scan.camera_panel.CameraPanel` (capture and decoding on
their own threads); files and screen grabs are decoded in a worker. Whatever is read is
classified once (:func:`~x2desk.core.x2chat.tokens.classify`; the Paste tab does it as the text
changes) and the :class:`Intake` goes to the wizard: a Webhook QR or a Telegram login QR gets its
own explanation and scanning goes on; the QR just used is not taken again until it leaves the
view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
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
from x2desk.ui.scan.camera_panel import CameraPanel
from x2desk.ui.x2chat.actions import STEP_TOKEN
from x2desk.ui.x2chat.just_used import JustUsedQr
from x2desk.ui.x2chat.paste import PasteTab

if TYPE_CHECKING:
    from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

IMAGE_FILTER = N_("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff *.gif)")
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
        self.tabs.setAccessibleName(_("How to get the token"))
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
        self.camera = CameraPanel(self.ctx)
        self.camera.gate = self.just_used  # the QR just used is not taken again from this view
        self.camera.text_read.connect(lambda text: self._read(text, "camera"))
        v.addWidget(self.camera, 1)
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
        self.just_used.back_on_page()
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
            self.camera.activate()
        else:
            self.camera.deactivate()
        if index == self.TAB_PASTE:
            self.paste_edit.setFocus()
        self.changed.emit()

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
        self.banner.show_message(intake.explanation, "warning")
        if source == "camera":
            QTimer.singleShot(1500, self.camera.resume)
