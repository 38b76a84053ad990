"""The batch's queue as a table: each instance of the CSV file (its line, id and label), where it
is (waiting, pairing, paired, failed, skipped: a word and a sign) and why it failed. Never a
token: the queue's rows hold none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from x2desk.core.greenapi.batch import BatchRow, RowState
from x2desk.core.printable import printable
from x2desk.core.status import Status
from x2desk.i18n import N_, _
from x2desk.ui.common import theme
from x2desk.ui.common.tables import setup_table
from x2desk.ui.home.icons import status_icon

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

STATE_WORDS: dict[RowState, tuple[str, Status | None]] = {
    RowState.WAITING: (N_("waiting"), Status.NOT_CHECKED),
    RowState.PAIRING: (N_("pairing now"), None),
    RowState.DONE: (N_("paired"), Status.WORKS),
    RowState.FAILED: (N_("failed"), Status.CHECK_FAILED),
    RowState.SKIPPED: (N_("skipped"), Status.UNPAID),
}
HEADINGS = (N_("Line"), N_("Instance"), N_("Label"), N_("State"), N_("What happened"))


def state_word(row: BatchRow) -> str:
    return _(STATE_WORDS[row.state][0])


class BatchTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, len(HEADINGS))
        headings = [_(h) for h in HEADINGS]
        setup_table(self, "batchTable", _("The instances of the file"), headings)
        self.rows: list[BatchRow] = []

    def show_rows(self, rows: list[BatchRow]) -> None:
        keep = self.currentRow()
        self.rows = list(rows)
        self.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self.show_row(i, row)
        if 0 <= keep < len(rows):
            self.selectRow(keep)

    def show_row(self, i: int, row: BatchRow) -> None:
        dark = theme.colors() is theme.DARK
        word, sign = STATE_WORDS[row.state]
        icon: QIcon | None = status_icon(sign, dark) if sign is not None else None
        cells = (str(row.line), row.id_instance, printable(row.label), _(word), row.reason)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 3 and icon is not None:
                item.setIcon(icon)
            if row.state is RowState.PAIRING:
                font = QFont(self.font())
                font.setWeight(QFont.Weight.DemiBold)
                item.setFont(font)
            if column == 4 and text:
                item.setToolTip(text)
            self.setItem(i, column, item)

    def refresh(self, row: BatchRow) -> None:
        if row in self.rows:
            self.show_row(self.rows.index(row), row)

    def selected(self) -> BatchRow | None:
        i = self.currentRow()
        return self.rows[i] if 0 <= i < len(self.rows) else None
