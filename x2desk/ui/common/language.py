"""The window's language: x2desk's own texts come from :mod:`x2desk.i18n` (gettext); Qt's own
(standard dialog buttons, context menus) from Qt's ``qtbase_<lang>.qm``, reinstalled whenever
the language changes so both switch together without a restart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from x2desk import i18n


def qt_translations_dir() -> Path:
    """Where Qt keeps its own .qm files (in a frozen bundle too: PyInstaller keeps the path)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


class Language(QObject):
    """Signals: ``changed(code)`` after a switch, once x2desk's and Qt's texts both follow it."""

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self._qt: QTranslator | None = None
        self._loaded: dict[str, QTranslator | None] = {}  # each language's, loaded once
        self._install_qt(i18n.current_language())
        self._stop = i18n.on_change(self._switched)
        self.destroyed.connect(lambda *_args: self._stop())

    def set(self, code: str) -> None:
        """Switch to ``code`` (``en`` or ``ru``); nothing happens if it is already so."""
        if code != i18n.current_language():
            i18n.set_language(code)

    def _switched(self, code: str) -> None:
        self._install_qt(code)
        self.changed.emit(code)

    def _install_qt(self, code: str) -> None:
        if self._qt is not None:
            self.app.removeTranslator(self._qt)
            self._qt = None
        if code == "en":
            return
        if code not in self._loaded:  # a kiosk switches for every visitor: load it once
            translator = QTranslator(self)
            found = translator.load(f"qtbase_{code}", str(qt_translations_dir()))
            self._loaded[code] = translator if found else None
        self._qt = self._loaded[code]
        if self._qt is not None:
            self.app.installTranslator(self._qt)


def language(app: QApplication | None = None) -> Language:
    """The application's one :class:`Language` (made on first use)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    assert isinstance(app, QApplication)
    found = app.findChild(Language)
    return found if isinstance(found, Language) else Language(app)
