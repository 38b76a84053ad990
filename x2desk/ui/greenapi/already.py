"""The instance is already authorised (linked to a phone): keep it as it is, or log it out and
pair it again with a new QR. Nothing happens until the person chooses."""

from __future__ import annotations

from x2desk.i18n import _
from x2desk.ui.common.widgets import button, card, label
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_PAIR, GreenApiActions


class AlreadyPage(StatusPage):
    def __init__(self, actions: GreenApiActions) -> None:
        super().__init__("greenapi_already")
        self.wiz = actions
        self.step = _(STEP_PAIR)
        self.title = _("This instance is already paired")
        self.subtitle = _(
            "Green-API says instance {i} is already linked to a phone. Choose what to do."
        )
        self.next_text = ""
        self.headline = label("", "greenapiAlreadyText")
        self.lay.addWidget(self.headline)
        keep_card, keep_lay = card("greenapiKeepCard")
        self.keep_button = button(_("&Keep it as it is"), "greenapiKeep", primary=True)
        self.keep_button.setAccessibleDescription(
            _("Save the instance without touching its pairing")
        )
        keep_lay.addWidget(self.keep_button)
        keep_lay.addWidget(
            label(
                _(
                    "The phone stays linked and nothing is interrupted. x2desk confirms the "
                    "instance is authorised and saves it."
                ),
                "greenapiKeepText",
                role="muted",
            )
        )
        self.lay.addWidget(keep_card)
        repair_card, repair_lay = card("greenapiRepairCard")
        self.repair_button = button(_("&Log out and pair again"), "greenapiLogoutPair")
        self.repair_button.setAccessibleDescription(_("Unlink the current phone and show a new QR"))
        repair_lay.addWidget(self.repair_button)
        repair_lay.addWidget(
            label(
                _(
                    "Unlinks the phone now linked (anything using this instance stops until "
                    "the new pairing), then shows a new QR to scan with the right phone."
                ),
                "greenapiRepairText",
                role="muted",
            )
        )
        self.lay.addWidget(repair_card)
        self.add_status()
        self.lay.addStretch(1)
        self.keep_button.clicked.connect(self._keep)
        self.repair_button.clicked.connect(self._repair)

    def set_instance(self, id_instance: str) -> None:
        self.subtitle = _(
            "Green-API says instance {i} is already linked to a phone. Choose what to do."
        ).format(i=id_instance)
        self.banner.clear_message()
        self.set_buttons_enabled(True)
        self.changed.emit()

    def set_buttons_enabled(self, enabled: bool) -> None:
        self.keep_button.setEnabled(enabled)
        self.repair_button.setEnabled(enabled)

    def _keep(self) -> None:
        self.set_buttons_enabled(False)
        self.wiz.keep()

    def _repair(self) -> None:
        self.set_buttons_enabled(False)
        self.wiz.log_out_and_pair()

    def enter(self) -> None:
        self.keep_button.setFocus()

    def can_next(self) -> bool:
        return False
