"""The window's read-only tables (a connection's history, this computer's report, a batch's
queue): rows selected whole, no grid, no editing, every column as wide as its words but the last,
which takes the rest."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def setup_table(
    table: QTableWidget, object_name: str, accessible: str, headings: list[str], wrap: bool = False
) -> QTableWidget:
    """Give ``table`` its names, headings and the read-only look; returns it."""
    table.setObjectName(object_name)
    table.setAccessibleName(accessible)
    table.setColumnCount(len(headings))
    table.setHorizontalHeaderLabels(headings)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setShowGrid(False)
    table.setWordWrap(wrap)
    header = table.horizontalHeader()
    for column in range(len(headings) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table
