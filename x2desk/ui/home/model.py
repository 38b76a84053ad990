"""The home list's model: one row per saved connection (a :class:`~x2desk.core.home.rows.Row`,
read in a worker; never a secret), five columns (label, status, kind, company, last checked),
sorted people's way (labels case-folded, statuses "needs attention first", never checked last).

The sorting is the model's own: each row's keys are made once and Python sorts the list (a sort
proxy asks for its keys through ``data()`` n log n times: 1000 rows took 180 ms, now 20 ms;
``bench/home_rows.py``). The searching and filtering are the record store's
(:class:`~x2desk.core.store.record_query.RecordQuery`, the same as ``x2desk list``): the view
reads the rows again when they change. The model is reset with a whole list at once, or one row
is replaced after a check, so 200 rows cost one layout, not 200.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from x2desk.core.home.rows import Row
from x2desk.core.store.record_schema import sort_key
from x2desk.i18n import N_, _, format_datetime
from x2desk.ui.common import theme
from x2desk.ui.home.icons import kind_icon, status_icon

LABEL, STATUS, KIND, COMPANY, CHECKED = range(5)  # what needs a look, next to its name
HEADERS = (N_("Connection"), N_("Status"), N_("Kind"), N_("Company"), N_("Last checked"))

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the Row itself
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3  # the label's second line (what tells it apart)

if TYPE_CHECKING:
    from x2desk.core.home.checks import CheckResult

Index = QModelIndex | QPersistentModelIndex


def after_check(row: Row, result: CheckResult) -> Row:
    """``row`` as a check that found ``result`` left it (while "check all" goes on)."""
    return replace(
        row,
        label=result.label,
        status=result.status,
        status_text=result.status.text,
        reason=result.reason or "",
        checked_at=result.checked_at,
        checked_text=format_datetime(result.checked_at) if result.checked_at else _("never"),
    )


def describe(row: Row) -> str:
    """One sentence for a screen reader: label, kind, company, status, when checked."""
    parts = [row.label, row.kind_name, row.company, row.status_text]
    checked = _("last checked {when}").format(when=row.checked_text)
    return ", ".join(p for p in (*parts, checked) if p)


class ConnectionsModel(QAbstractTableModel):
    """The rows of the active profile that the view's query found."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []  # in the order shown
        self._keys: list[tuple[Any, ...]] = []  # each row's sort key per column
        self.sort_column = STATUS  # needs attention first, at the start
        self.sort_order = Qt.SortOrder.AscendingOrder

    # ---- contents --------------------------------------------------------------------------

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``, sorted as the table is: one reset (the keys made once, the sort in
        Python's own: a sort proxy would ask for them a few hundred thousand times)."""
        self.beginResetModel()
        self._arrange(list(rows))
        self.endResetModel()

    def _arrange(self, rows: list[Row]) -> None:
        keyed = sorted(
            ((self._sort_keys(r), r) for r in rows),
            key=lambda pair: pair[0][self.sort_column],
            reverse=self.sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._keys = [k for k, _r in keyed]
        self.rows = [r for _k, r in keyed]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A click on a heading (the view asks)."""
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._arrange(self.rows)
        self.layoutChanged.emit()

    def row_at(self, index: Index) -> Row | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def words(self, column: int) -> set[str]:
        """The different words of a column (what its width must fit)."""
        return {self._text(r, column) for r in self.rows}

    def replace(self, row: Row) -> bool:
        """Put ``row`` where the row of the same id is (after a check); False if not shown."""
        at = self.position(row.id)
        if at is None:
            return False
        self.rows[at] = row
        self._keys[at] = self._sort_keys(row)
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(HEADERS) - 1))
        return True

    def position(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), None)

    # ---- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DecorationRole:
            if column == KIND:
                return kind_icon(row.kind)
            if column == STATUS:
                return status_icon(row.status, theme.colors() is theme.DARK)
            return None
        if role == DETAIL_ROLE and column == LABEL:
            return row.where
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return describe(row) if column == LABEL else self._text(row, column)
        return None

    @staticmethod
    def _text(row: Row, column: int) -> str:
        if column == LABEL:
            return row.label
        if column == KIND:
            return row.kind_name
        if column == COMPANY:
            return row.company or "—"
        if column == STATUS:
            return row.status_text
        return row.checked_text

    @staticmethod
    def _tooltip(row: Row, column: int) -> str | None:
        if column == STATUS:
            return row.reason or None
        if column == LABEL:
            return f"{row.label}\n{row.where}" if row.where else row.label
        return None

    @staticmethod
    def _sort_keys(row: Row) -> tuple[Any, ...]:
        """What each column sorts by, in the columns' order (ties: by label)."""
        label = sort_key(row.label)
        return (
            label,
            f"{row.status.attention}\x00{label}",  # needs attention first
            f"{sort_key(row.kind_name)}\x00{label}",
            f"{sort_key(row.company) or chr(0x10FFFF)}\x00{label}",  # no company: last
            # most recent first reads best descending; never checked sorts below all
            row.checked_at if row.checked_at is not None else -1.0,
        )
