"""Which account or bot to connect through the connections provider: one card per provider flow
of :data:`x2desk.core.kinds.FLOWS`, in the table's order, in the same card style as the chooser
before it (:class:`~x2desk.ui.choose.ChoiceCard`: the title over its description, wrapped, never
clipped). Enter or a double click on a card chooses it."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QGridLayout

from x2desk.core.kinds import Service, flows_of
from x2desk.i18n import _
from x2desk.ui.accounts.common import LIMITS_TEXT
from x2desk.ui.choose import ChoiceCard
from x2desk.ui.common.reflow import arrange_on_resize, room
from x2desk.ui.common.widgets import label
from x2desk.ui.common.wizard import STEP_CHOOSE, StatusPage

COLUMNS = 2  # where the page has room for them (one column on a narrow page)
CARD_MIN_WIDTH = 260  # a card's words need about this much before they wrap too much


class KindPage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_kind")
        self.step = _(STEP_CHOOSE)
        self.title = _("Which account or bot?")
        self.subtitle = _(
            "x2desk connects it through your connections provider: nobody copies a password."
        )
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, ChoiceCard] = {}
        self.grid = grid = QGridLayout()
        grid.setSpacing(10)
        self._columns = COLUMNS
        for i, flow in enumerate(flows_of(Service.ACCOUNTS)):
            title, detail = _(flow.title), _(flow.detail)
            card = ChoiceCard(title, detail)
            card.setObjectName(f"kind_{flow.id}")
            card.setAccessibleName(title)
            card.setAccessibleDescription(detail)
            card.activated.connect(self.submitted)
            self.group.addButton(card)
            self.buttons[flow.id] = card
            grid.addWidget(card, i // COLUMNS, i % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        self.cards = list(self.buttons.values())
        arrange_on_resize(self, self._arrange)
        self.lay.addLayout(grid)
        next(iter(self.buttons.values())).setChecked(True)
        self.group.buttonToggled.connect(lambda *_args: self.changed.emit())
        self.limits = label(_(LIMITS_TEXT), "kindLimits", role="muted")
        self.lay.addWidget(self.limits)
        self.lay.addStretch(1)
        self.add_status()

    def _arrange(self) -> None:
        """Two columns of cards where the room the page is shown in allows, else one."""
        widest = max(max(c.sizeHint().width() for c in self.cards), CARD_MIN_WIDTH)
        columns = COLUMNS if room(self) >= COLUMNS * widest + self.grid.spacing() else 1
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

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
