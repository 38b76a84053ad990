"""The name of a connection made by scanning a QR (a Telegram account, WhatsApp): asked before the
QR, prefilled with the kind's name (numbered when the provider has one of that name already), so
the home list and the provider's dashboard tell connections apart."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from x2desk.i18n import _
from x2desk.ui.accounts.common import STEP_DETAILS
from x2desk.ui.common.widgets import form_layout, label, name
from x2desk.ui.common.wizard import StatusPage

MAX_NAME = 100  # the provider takes 1-100 characters


class NamePage(StatusPage):
    def __init__(self) -> None:
        super().__init__("account_name")
        self.step = _(STEP_DETAILS)
        self.title = _("Name the connection")
        self.subtitle = _(
            "The name shows in x2desk and in the provider's dashboard. Next shows the QR to scan."
        )
        form = form_layout()
        self.name_edit = QLineEdit()
        name(self.name_edit, "qrConnectionName", _("Connection name"))
        self.name_edit.setMaxLength(MAX_NAME)
        form.addRow(_("Connection na&me"), self.name_edit)
        self.lay.addLayout(form)
        self.lay.addWidget(
            label(
                _("For example the shop, the team or the person whose phone it is."),
                "qrConnectionNameNote",
                role="muted",
            )
        )
        self.add_status()
        self.lay.addStretch(1)
        self.name_edit.textChanged.connect(lambda _t: self.changed.emit())
        self.name_edit.returnPressed.connect(self.submitted)
        self.next_text = _("&Show the QR")

    def set_name(self, suggested: str) -> None:
        """Prefill ``suggested`` (a name typed already stays)."""
        if not self.name_edit.text().strip():
            self.name_edit.setText(suggested)
        self.banner.clear_message()
        self.set_busy(False)

    def value(self) -> str:
        return self.name_edit.text().strip()

    def reset(self) -> None:
        self.name_edit.clear()
        self.banner.clear_message()
        self.set_busy(False)

    def enter(self) -> None:
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def can_next(self) -> bool:
        return not self.is_busy() and bool(self.value())
