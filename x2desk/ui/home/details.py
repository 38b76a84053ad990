"""One connection's details: everything ``x2desk show`` says (never its secret: where it is
kept, by name), and its history (every onboarding attempt, check and change, with when) in a
table that can be saved as CSV. Read in a worker before the dialog opens; the CSV is written in
one too (atomically, readable by its owner only: :func:`x2desk.core.home.history.
write_history_csv`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.printable import printable
from x2desk.i18n import _, format_datetime, ngettext
from x2desk.ui.common.file_dialogs import save_file
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.tables import setup_table
from x2desk.ui.common.widgets import Banner, button, label
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.home.work import Details, export_history


class DetailsDialog(QDialog):
    """Non-modal: the list stays usable beside it."""

    def __init__(self, parent: QWidget, details: Details) -> None:
        super().__init__(parent)
        record = details.record
        self.record_id = record.id
        self.label_text = record.display_label
        self.setObjectName("detailsDialog")
        self.setWindowTitle(
            _("Connection {id}: {label}").format(id=record.id, label=self.label_text)
        )
        self.resize(720, 560)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 18, 22, 16)
        lay.setSpacing(12)
        lay.addWidget(label(self.label_text, "detailsTitle", role="big"))
        form = QFormLayout()
        form.setHorizontalSpacing(20)
        form.setVerticalSpacing(6)
        for name, value in details.facts:
            if value:
                form.addRow(name + ":", label(printable(value), selectable=True))
        lay.addLayout(form)
        lay.addWidget(label(_("History"), "detailsHistoryTitle", role="heading"))
        self.history = self._history_table(details)
        lay.addWidget(self.history, 1)
        self.banner = Banner("detailsBanner")
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.export_button = button(_("E&xport history as CSV…"), "historyExport")
        self.export_button.clicked.connect(self.ask_where)
        self.export_button.setEnabled(bool(details.history))
        close = button(_("&Close"), "detailsClose", primary=True)
        close.clicked.connect(self.accept)
        row.addWidget(self.export_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        close.setDefault(True)
        self.saved_to: Path | None = None  # where the CSV was written last (tests)

    @staticmethod
    def _history_table(details: Details) -> QTableWidget:
        lines = list(reversed(details.history))  # the latest first
        headings = [_("When"), _("What"), _("Note")]
        table = setup_table(QTableWidget(len(lines), 3), "historyTable", _("History"), headings)
        for i, line in enumerate(lines):
            for column, text in enumerate((format_datetime(line.at), line.what, line.note)):
                item = QTableWidgetItem(printable(text))
                item.setToolTip(printable(text))
                table.setItem(i, column, item)
        table.setAlternatingRowColors(True)
        return table

    def ask_where(self) -> None:
        """Export history as CSV…: a save dialog, then the file (in a worker)."""
        slug = "".join(c if c.isalnum() else "-" for c in self.label_text.lower()).strip("-")
        suggested = Path.home() / f"x2desk-history-{slug or self.record_id}.csv"
        save_file(
            self,
            "historyFileDialog",
            _("Export the history as CSV"),
            suggested,
            [_("CSV files (*.csv)")],
            lambda path, _filter: self.export_to(path),
            suffix="csv",
        )

    def export_to(self, path: Path) -> None:
        self.export_button.setEnabled(False)
        record_id = self.record_id

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.saved_to = path
            self.banner.show_message(
                ngettext(
                    "{n} event saved to {path} (readable by you only).",
                    "{n} events saved to {path} (readable by you only).",
                    count,
                ).format(n=count, path=path),
                "info",
            )

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.banner.show_message(message_for(exc), "error")

        run_in_worker(lambda: export_history(record_id, path), done, failed, "history csv")
