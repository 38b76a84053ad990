"""Choosing a file to save to or to read, without a nested event loop: a window-modal
:class:`QFileDialog` opened with ``open()``, its answer handed to a callback. The system's own
dialog where there is a desktop; Qt's (the same on every system, driven by the autopilot and the
tests) on the offscreen platform. Object names: ``<name>`` on the dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QWidget


def _dialog(parent: QWidget, object_name: str, title: str, filters: list[str]) -> QFileDialog:
    dlg = QFileDialog(parent, title)
    dlg.setObjectName(object_name)
    dlg.setNameFilters(filters)
    if QGuiApplication.platformName() == "offscreen":
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        name = dlg.findChild(QLineEdit, "fileNameEdit")
        if name is not None:  # no completion pop-up over a path typed whole (the autopilot)
            name.setCompleter(None)  # type: ignore[arg-type]
    return dlg


def _when_chosen(dlg: QFileDialog, chosen: Callable[[Path, str], None]) -> None:
    def finished(result: int) -> None:
        files = dlg.selectedFiles()
        picked = dlg.selectedNameFilter()
        dlg.deleteLater()
        owner = dlg.parentWidget()
        if owner is not None:  # the keys go back to the window
            owner.window().activateWindow()
        if result == QDialog.DialogCode.Accepted and files:
            chosen(Path(files[0]), picked)

    dlg.finished.connect(finished)
    dlg.open()


def save_file(
    parent: QWidget,
    object_name: str,
    title: str,
    suggested: Path,
    filters: list[str],
    chosen: Callable[[Path, str], None],
    suffix: str = "",
) -> QFileDialog:
    """Ask where to save (``suggested``: the folder and name offered; the dialog asks before
    replacing a file); ``chosen(path, name_filter)`` when the person agrees."""
    dlg = _dialog(parent, object_name, title, filters)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dlg.setFileMode(QFileDialog.FileMode.AnyFile)
    if suffix:
        dlg.setDefaultSuffix(suffix)
    dlg.setDirectory(str(suggested.parent))
    dlg.selectFile(suggested.name)
    _when_chosen(dlg, chosen)
    return dlg


def open_file(
    parent: QWidget,
    object_name: str,
    title: str,
    filters: list[str],
    chosen: Callable[[Path, str], None],
    folder: Path | None = None,
) -> QFileDialog:
    """Ask which existing file to read; ``chosen(path, name_filter)``."""
    dlg = _dialog(parent, object_name, title, filters)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
    dlg.setDirectory(str(folder or Path.home()))
    _when_chosen(dlg, chosen)
    return dlg
