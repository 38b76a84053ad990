"""The wrapping row of buttons survives an item Qt deleted behind its back (seen under Xvfb:
every relayout of the home's button row raised once the accounts wizard opened)."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtWidgets import QPushButton, QWidget

from x2desk.ui.common.flow_layout import FlowLayout


def test_a_deleted_item_is_dropped_not_asked(qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=8)
    buttons = [QPushButton(f"Button {i}") for i in range(3)]
    for button in buttons:
        flow.addWidget(button)
    assert flow.count() == 3
    wide = flow.heightForWidth(1000)
    shiboken6.delete(flow.itemAt(0))  # what Qt does to an item of a widget it destroys
    assert flow.count() == 2
    assert 0 < flow.heightForWidth(1000) <= wide
    assert flow.heightForWidth(60) > flow.heightForWidth(1000)  # narrow: one under another
