"""This computer: where x2desk keeps its data (records, settings, journal) and its logs, with
buttons that open those folders, where the secrets are kept, and "Check this computer": what
``x2desk doctor`` checks (Python, Qt, decoders, cameras, the credential store, the data folder,
the journal), run in a worker and shown here as a table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.status import Status
from x2desk.core.texts import error_text
from x2desk.i18n import N_, _
from x2desk.ui.common.tables import setup_table
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.home.icons import status_icon

if TYPE_CHECKING:
    from x2desk.commands.doctor import Check

log = logging.getLogger(__name__)

# doctor's words -> (the word shown, the sign beside it)
VERDICTS: dict[str, tuple[str, Status]] = {
    "ok": (N_("works"), Status.WORKS),
    "warn": (N_("warning"), Status.UNPAID),
    "fail": (N_("missing"), Status.NEEDS_REAUTH),
}

Checks = Callable[[], list["Check"]]


def doctor_checks() -> list[Check]:
    """Every check of ``x2desk doctor`` (blocking, a few seconds: the Qt probe)."""
    from x2desk.commands.doctor import run_checks

    return run_checks()


def folders() -> tuple[Path, Path, str]:
    """The data folder, the logs' folder and where the secrets are kept (for people)."""
    from x2desk.core.logfile import log_folder
    from x2desk.core.paths import data_dir
    from x2desk.core.store.settings import load_settings

    data = data_dir()
    settings = load_settings()
    if settings.credential_store == "encrypted_file":
        where = _("the encrypted file {path}").format(path=settings.credentials_file or "")
    else:
        where = _("this computer's password store (the system keyring)")
    return data, log_folder(data), where


class ComputerPage(QWidget):
    def __init__(self, checks: Checks = doctor_checks) -> None:
        super().__init__()
        self.setObjectName("settingsComputer")
        self._checks = checks
        self.results: list[Check] | None = None  # the last report (tests)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 18, 18, 18)
        lay.setSpacing(10)
        form = QFormLayout()
        self.data_path = label("", "dataFolder", selectable=True)
        self.logs_path = label("", "logsFolder", selectable=True)
        self.secrets = label("", "secretsWhere", selectable=True)
        self.open_data = button(_("Open"), "openDataFolder")
        self.open_logs = button(_("Open"), "openLogsFolder")
        form.addRow(_("Data:"), self._with_button(self.data_path, self.open_data))
        form.addRow(_("Logs:"), self._with_button(self.logs_path, self.open_logs))
        form.addRow(_("Secrets:"), self.secrets)
        lay.addLayout(form)
        self._paths: dict[str, Path] = {}
        self.open_data.clicked.connect(lambda: self.open_folder("data"))
        self.open_logs.clicked.connect(lambda: self.open_folder("logs"))
        row = QHBoxLayout()
        self.check_button = button(_("Check this &computer"), "checkComputer", primary=True)
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        row.addWidget(
            label(_("What “x2desk doctor” checks, here: it takes a few seconds."), role="muted"), 1
        )
        lay.addLayout(row)
        self.busy = BusyIndicator("doctorBusy", _("Checking this computer…"))
        self.busy.hide()
        lay.addWidget(self.busy)
        self.summary = Banner("doctorSummary")
        lay.addWidget(self.summary)
        self.table = self._report_table()
        lay.addWidget(self.table, 1)

    @staticmethod
    def _with_button(text: QWidget, action: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(text, 1)
        row.addWidget(action)
        return row

    @staticmethod
    def _report_table() -> QTableWidget:
        headings = [_("Result"), _("Check"), _("What was found")]
        table = setup_table(
            QTableWidget(0, 3), "doctorReport", _("This computer's report"), headings, wrap=True
        )
        table.hide()
        return table

    def load(self) -> None:
        def show(found: tuple[Path, Path, str]) -> None:
            data, logs, where = found
            self._paths = {"data": data, "logs": logs}
            self.data_path.setText(str(data))
            self.logs_path.setText(str(logs))
            self.secrets.setText(where)

        run_in_worker(
            folders,
            show,
            lambda exc: self.summary.show_message(error_text(exc), "error"),
            "folders",
        )

    def open_folder(self, which: str) -> bool:
        path = self._paths.get(which)
        if path is None:
            return False
        path.mkdir(parents=True, exist_ok=True)
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    # ---- "Check this computer" -------------------------------------------------------------

    def check(self) -> None:
        self.check_button.setEnabled(False)
        self.summary.clear_message()
        self.busy.start()
        run_in_worker(self._checks, self._show_report, self._failed, "doctor")

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.check_button.setEnabled(True)
        self.summary.show_message(error_text(exc), "error")

    def _show_report(self, results: Iterable[Any]) -> None:
        from x2desk.ui.common import theme

        self.results = list(results)
        self.busy.stop()
        self.check_button.setEnabled(True)
        dark = theme.colors() is theme.DARK
        self.table.setRowCount(len(self.results))
        for i, check in enumerate(self.results):
            word, sign = VERDICTS.get(check.status, (check.status, Status.NOT_CHECKED))
            first = QTableWidgetItem(status_icon(sign, dark), _(word))
            self.table.setItem(i, 0, first)
            self.table.setItem(i, 1, QTableWidgetItem(check.name))
            detail = QTableWidgetItem(check.detail)
            detail.setToolTip(check.detail)
            self.table.setItem(i, 2, detail)
        self.table.resizeRowsToContents()
        self.table.show()
        failed = [c.name for c in self.results if c.essential and c.status == "fail"]
        if failed:
            self.summary.show_message(
                _("x2desk cannot do its work here yet: fix {names}.").format(
                    names=", ".join(failed)
                ),
                "error",
            )
        else:
            warned = [c.name for c in self.results if c.status == "warn"]
            text = _("Everything x2desk needs works.")
            if warned:
                text += " " + _("See the warnings: {names}.").format(names=", ".join(warned))
            self.summary.show_message(text, "info")
