"""The preferences: language, look (the system's, light or dark), the country of phone numbers
typed without +, whether to ask before a QR replaces a connected bot's token, and the camera
(which one, mirrored or not). Each takes effect at once and is saved in a worker: the language
and look in the window's own settings, the rest in ``settings.json``
(:mod:`x2desk.core.store.settings`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QFormLayout, QWidget

from x2desk import i18n
from x2desk.i18n import _
from x2desk.ui.app import THEME_KEY
from x2desk.ui.common import theme
from x2desk.ui.common.language_switch import NAMES
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.workers import run_in_worker

if TYPE_CHECKING:
    from x2desk.core.store.settings import Settings
    from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark")


def apply_theme(choice: str, settings: QSettings | None = None) -> None:
    """Use the look ``choice`` (system, light, dark) now, and keep it for the next start."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply(app, dark={"dark": True, "light": False}.get(choice))
    if settings is not None:
        settings.setValue(THEME_KEY, choice)
        settings.sync()


def update(change: Callable[[Settings], None], what: str) -> None:
    """Change one preference in ``settings.json`` (a worker; a failure is logged, not shown:
    the preference works for this run anyway)."""

    def save() -> None:
        from x2desk.core.store.settings import update_settings

        update_settings(change)

    run_in_worker(save, None, lambda exc: log.warning("cannot save %s: %s", what, exc), what)


class GeneralPage(QWidget):
    def __init__(self, ctx: AppContext, window_settings: QSettings | None) -> None:
        super().__init__()
        self.setObjectName("settingsGeneral")
        self.ctx = ctx
        self.window_settings = window_settings
        form = QFormLayout(self)
        form.setContentsMargins(18, 18, 18, 18)
        form.setVerticalSpacing(12)
        self.language = QComboBox()
        name(self.language, "settingsLanguage", _("Language"))
        for code in i18n.LANGUAGES:
            self.language.addItem(NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.language.activated.connect(self._language)
        form.addRow(_("&Language"), self.language)
        self.theme = QComboBox()
        name(self.theme, "settingsTheme", _("Look"))
        for code, text in zip(THEMES, (_("As the system"), _("Light"), _("Dark")), strict=True):
            self.theme.addItem(text, code)
        chosen = str(window_settings.value(THEME_KEY, "")) if window_settings is not None else ""
        self.theme.setCurrentIndex(max(0, self.theme.findData(chosen)))
        self.theme.activated.connect(
            lambda _i: apply_theme(self.theme.currentData(), window_settings)
        )
        form.addRow(_("L&ook"), self.theme)
        self.region = QComboBox()
        name(self.region, "settingsPhoneRegion", _("Phone numbers' country"))
        self.region.activated.connect(self._region)
        form.addRow(_("&Phone numbers"), self.region)
        form.addRow("", label(_("The country a number typed without + is read in."), role="muted"))
        self.confirm = QCheckBox(_("Ask before a QR replaces a connected bot's &token"))
        name(self.confirm, "settingsConfirmRotation", _("Ask before a QR replaces a token"))
        self.confirm.toggled.connect(self._confirm)
        form.addRow("", self.confirm)
        self.camera = QComboBox()
        name(self.camera, "settingsCamera", _("Camera"))
        self.camera.activated.connect(self._camera)
        form.addRow(_("&Camera"), self.camera)
        self.mirror = QCheckBox(_("&Mirror the camera's picture"))
        name(self.mirror, "settingsMirror", _("Mirror the camera's picture"))
        self.mirror.setChecked(ctx.camera_mirror)
        self.mirror.toggled.connect(self._mirror)
        form.addRow("", self.mirror)
        self._loading = False

    # ---- reading what is saved -------------------------------------------------------------

    def load(self) -> None:
        """Fill the choices from the settings and the cameras (a worker)."""
        demo = self.ctx.camera_factory is not None

        def read() -> tuple[Any, list[tuple[str, str]], list[str], str]:
            from x2desk.core.store.settings import load_settings
            from x2desk.ui.common.phone_field import countries, starting_region

            cameras: list[str] = []
            if not demo:
                from x2desk.core.scan.cameras import list_cameras

                cameras = [c.name for c in list_cameras()]
            regions = [(f"{n} (+{code})", iso) for n, iso, code in countries()]
            return load_settings(), regions, cameras, starting_region()

        run_in_worker(read, self._show, lambda exc: log.warning("settings: %s", exc), "settings")

    def _show(self, found: tuple[Settings, list[tuple[str, str]], list[str], str]) -> None:
        settings, regions, cameras, region = found
        self._loading = True
        self.region.clear()
        self.region.addItem(_("None: every number with + and its country code"), "")
        for text, iso in regions:
            self.region.addItem(text, iso)
        self.region.setCurrentIndex(max(0, self.region.findData(region)))
        self.confirm.setChecked(settings.confirm_rotation)
        self.camera.clear()
        if self.ctx.camera_factory is not None:
            self.camera.addItem(_("Virtual phone camera (demo)"), "")
        else:
            self.camera.addItem(_("The first camera found"), "")
            for camera in cameras:
                self.camera.addItem(camera, camera)
            if settings.camera_name and self.camera.findData(settings.camera_name) < 0:
                self.camera.addItem(
                    _("{name} (not connected)").format(name=settings.camera_name),
                    settings.camera_name,
                )
            self.camera.setCurrentIndex(max(0, self.camera.findData(settings.camera_name or "")))
        self.mirror.setChecked(settings.camera_mirror)
        self._loading = False

    # ---- choices ---------------------------------------------------------------------------

    def _language(self, _index: int) -> None:
        from x2desk.ui.common.language import language

        code = str(self.language.currentData())
        language().set(code)  # the language switch's one call (ui/common/language.py)

    def _region(self, _index: int) -> None:
        from x2desk.ui.common.phone_field import remember_region

        region = str(self.region.currentData() or "")
        run_in_worker(lambda: remember_region(region), None, lambda _e: None, "phone region")

    def _confirm(self, on: bool) -> None:
        if not self._loading:
            update(lambda s: setattr(s, "confirm_rotation", on), "confirm_rotation")

    def _camera(self, _index: int) -> None:
        chosen = str(self.camera.currentData() or "") or None
        update(lambda s: setattr(s, "camera_name", chosen), "camera_name")

    def _mirror(self, on: bool) -> None:
        self.ctx.camera_mirror = on
        if not self._loading:
            update(lambda s: setattr(s, "camera_mirror", on), "camera_mirror")
