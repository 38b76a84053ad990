"""Which account or bot to connect through the connections provider: one choice per provider
flow of :data:`x2desk.core.kinds.FLOWS`, in the table's order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QRadioButton

from x2desk.core.kinds import Service, flows_of
from x2desk.i18n import _
from x2desk.ui.common.wizard import STEP_CHOOSE, StatusPage


class KindPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_kind")
        self.step = _(STEP_CHOOSE)
        self.title = _("Which account or bot?")
        self.subtitle = _(
            "x2desk connects it through your connections provider: nobody copies a password."
        )
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for flow in flows_of(Service.ACCOUNTS):
            title, detail = _(flow.title), _(flow.detail)
            b = QRadioButton(f"{title}  —  {detail}")
            b.setObjectName(f"kind_{flow.id}")
            b.setAccessibleName(title)
            b.setAccessibleDescription(detail)
            self.group.addButton(b)
            self.buttons[flow.id] = b
            self.lay.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        next(iter(self.buttons.values())).setChecked(True)
        self.group.buttonToggled.connect(lambda *_args: self.changed.emit())
        self.lay.addStretch(1)
        self.add_status()

    def selected(self) -> str | None:
        for key, b in self.buttons.items():
            if b.isChecked():
                return key
        return None

    def select(self, key: str) -> None:
        self.buttons[key].setChecked(True)

    def enter(self) -> None:
        b = self.buttons.get(self.selected() or "")
        if b is not None:
            b.setFocus()

    def can_next(self) -> bool:
        return self.selected() is not None
