"""The home's table: one saved connection a row (the model's five columns), whole rows selected
one at a time, sorted by a click on a heading (needs attention first, at the start); the label
column takes the room the others leave, each of which is as wide as its words in the language
shown. Below :data:`LABEL_MIN` the table scrolls sideways rather than squeeze the labels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from x2desk.i18n import _
from x2desk.ui.home.delegate import PAD_X, ConnectionDelegate, row_height, title_font
from x2desk.ui.home.model import (
    CHECKED,
    COMPANY,
    KIND,
    LABEL,
    STATUS,
    ConnectionsModel,
)

SIZED = (STATUS, KIND, COMPANY, CHECKED)  # as wide as their words (the label takes the rest)
MAX_COLUMN = 280
LABEL_MIN = 230  # narrower than this, the table scrolls sideways instead


class ConnectionsTable(QTableView):
    """The table: whole rows selected one at a time, sorted by a heading's click."""

    def __init__(self, model: ConnectionsModel) -> None:
        super().__init__()
        self.setObjectName("connectionsTable")
        self.setAccessibleName(_("Saved connections"))
        self.rows = model
        self.setModel(model)
        self.setItemDelegate(ConnectionDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(row_height(self.font()))
        header = self.horizontalHeader()
        header.setObjectName("connectionsHeader")
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(90)
        for column in SIZED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)  # needs attention first

    def fit_columns(self) -> None:
        """Each column but the label's as wide as its widest word (heading included), with its
        icon and padding; at most :data:`MAX_COLUMN`. The words differ per language."""
        model = self.rows
        metrics = self.fontMetrics()
        bold = QFontMetrics(title_font(self.font()))
        for column in SIZED:
            words = model.words(column)
            widest = max((metrics.horizontalAdvance(w) for w in words), default=0)
            heading = bold.horizontalAdvance(
                str(model.headerData(column, Qt.Orientation.Horizontal))
            )
            icon = 28 if column in (KIND, STATUS) else 0
            width = max(widest + icon + 2 * PAD_X + 8, heading + 48)
            self.horizontalHeader().resizeSection(column, min(width, MAX_COLUMN))
        self._fit_label()

    def _fit_label(self) -> None:
        """The label column takes the room the others leave, but never less than LABEL_MIN."""
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in SIZED)
        header.resizeSection(LABEL, max(LABEL_MIN, self.viewport().width() - others))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:  # the window, or a scroll bar came or went
            self._fit_label()
        return super().viewportEvent(event)
