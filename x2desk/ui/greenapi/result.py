"""The end of a Green-API pairing: paired (which Telegram account, the instance, where its token
is kept, masked; only Finish after it), or why not and the way forward: try again, change the
ID or token (first, when Green-API refused them), or, when only the keyring failed, keep the
token in the encrypted file store. A failed pairing stays on the "Pair" step, not "Done"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import _
from x2desk.ui.common.label_field import LabelField
from x2desk.ui.common.reflow import AdaptiveRow
from x2desk.ui.common.store_choice import StoreChoice
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import button, card, label
from x2desk.ui.common.wizard import StatusPage
from x2desk.ui.greenapi.common import STEP_DONE, STEP_PAIR, GreenApiActions, greenapi_message

if TYPE_CHECKING:
    from x2desk.core.greenapi.pairing import PairedInstance

WRONG_DETAILS = frozenset({"invalid_auth"})  # Green-API refused the ID or the token


class GreenApiResultPage(StatusPage):
    def __init__(self, actions: GreenApiActions) -> None:
        super().__init__("greenapi_result")
        self.step = _(STEP_DONE)
        self.title = _("Pairing…")
        self.outcome = ""  # working | paired | failed | store_failed | cancelled | locked
        self.headline = label("", "greenapiResultHeadline", role="big")
        self.lay.addWidget(self.headline)
        self.details_card, inner = card("greenapiResultCard")
        self.details = label("", "greenapiResultDetails", selectable=True)
        inner.addWidget(self.details)
        self.technical = label("", "greenapiResultTechnical", role="muted", selectable=True)
        inner.addWidget(self.technical)
        self.label_field = LabelField("greenapiResultLabel")
        inner.addWidget(self.label_field)
        self.lay.addWidget(self.details_card)
        self.add_status()
        self.store_choice = StoreChoice(allow_discard=True)
        self.store_choice.use_file.connect(actions.use_file_store)
        self.store_choice.retry.connect(actions.retry_store)
        self.store_choice.discard.connect(actions.discard)
        self.lay.addWidget(self.store_choice)
        self.retry_button = button(_("&Try again"), "greenapiRetry", primary=True)
        self.retry_button.clicked.connect(actions.restart)
        self.fix_button = button(_("C&hange the ID or token"), "greenapiFix")
        self.fix_button.clicked.connect(actions.fix_details)
        self.another_button = button(_("Connect &another"), "greenapiAnother")
        self.another_button.clicked.connect(actions.connect_another)
        self.unlock_button = button(
            _("&Unlock the encrypted file…"), "greenapiUnlock", primary=True
        )
        self.unlock_button.clicked.connect(lambda: actions.unlock_for_repair())
        self.lay.addWidget(
            AdaptiveRow(self.unlock_button, self.retry_button, self.fix_button, self.another_button)
        )
        self.lay.addStretch(1)
        self.next_text = _("&Finish")

    def _hide_all(self, step: str = STEP_PAIR) -> None:
        for w in (
            self.retry_button, self.fix_button, self.another_button, self.details_card,
            self.store_choice, self.unlock_button,
        ):  # fmt: skip
            w.hide()
        self.label_field.clear()
        self.banner.clear_message()
        self.step = _(step)
        self.show_cancel = True
        self._primary_fix(False)

    def _primary_fix(self, primary: bool) -> None:
        if bool(self.fix_button.property("primary")) != primary:
            self.fix_button.setProperty("primary", primary)
            repolish(self.fix_button)

    def show_working(self, text: str) -> None:
        self._hide_all()
        self.outcome = "working"
        self.title = _("Pairing…")
        self.headline.setText(text)
        self.set_busy(True, _("Waiting for Green-API…"))
        self.changed.emit()

    def show_paired(self, paired: PairedInstance, token_masked: str, api_url: str) -> None:
        self._hide_all(STEP_DONE)
        self.set_busy(False)
        self.outcome = "paired"
        self.title = _("Paired")
        self.show_cancel = False  # done: Finish, or connect another
        if paired.phone:
            text = (
                _("Instance {i} was already linked to the Telegram account {p}: kept and saved.")
                if paired.kept
                else _("Instance {i} is linked to the Telegram account {p} and saved.")
            )
        else:
            text = (
                _("Instance {i} was already linked: kept and saved.")
                if paired.kept
                else _("Instance {i} is linked and saved.")
            )
        self.headline.setText(text.format(i=paired.id_instance, p=paired.phone))
        lines = [
            _("Telegram account: {p}").format(p=paired.phone or _("not told by Green-API")),
            _("Instance: {i}").format(i=paired.id_instance),
            _("Token: {t}, kept safely by this computer's password store").format(t=token_masked),
        ]
        self.details.setText("\n".join(lines))
        self.technical.setText(
            _(
                "Details: idInstance {i}, apiUrl {u}, apiTokenInstance {t} in {s}; Green-API "
                "reports the state 'authorized'."
            ).format(i=paired.id_instance, u=api_url, t=token_masked, s=paired.store)
        )
        self.label_field.load(paired.record_id)
        self.details_card.show()
        self.another_button.show()
        self.another_button.setFocus()
        self.changed.emit()

    def show_failed(self, snap: Snapshot, store_failed: bool) -> None:
        self._hide_all()
        self.set_busy(False)
        if snap.state is State.CANCELLED:
            self.outcome = "cancelled"
            self.title = _("Cancelled")
            self.headline.setText(_("Cancelled. Nothing more is sent to Green-API."))
            self.retry_button.setText(_("&Start again"))
            self.retry_button.show()
            self.fix_button.show()
            self.retry_button.setFocus()
        elif store_failed:
            self.outcome = "store_failed"
            self.title = _("Paired, not saved yet")
            self.headline.setText(_("The instance is paired, but its token is not saved."))
            self.show_error(greenapi_message(snap.error))
            self.store_choice.show()
            self.store_choice.file_button.setFocus()
        else:
            self._show_not_paired(snap)
        self.changed.emit()

    def _show_not_paired(self, snap: Snapshot) -> None:
        self.outcome = "failed"
        self.title = _("Not paired")
        self.headline.setText(_("The instance is not paired."))
        self.show_error(greenapi_message(snap.error) if snap.error else _(snap.text))
        self.fix_button.show()
        if snap.error_key in WRONG_DETAILS:  # the same ID and token again would fail again
            self._primary_fix(True)
            self.fix_button.setFocus()
            return
        self.retry_button.setText(_("&Try again"))
        self.retry_button.show()
        self.retry_button.setFocus()

    def show_locked(self, text: str) -> None:
        """Re-pairing: the saved token is in the encrypted file, which is locked."""
        self._hide_all()
        self.set_busy(False)
        self.outcome = "locked"
        self.title = _("Unlock the saved token")
        self.headline.setText(_("The instance's saved token is in the encrypted credentials file."))
        self.show_error(text)
        self.unlock_button.show()
        self.fix_button.show()
        self.unlock_button.setFocus()
        self.changed.emit()

    def show_discarded(self) -> None:
        self._hide_all()
        self.outcome = "cancelled"
        self.title = _("Not saved")
        self.headline.setText(
            _(
                "The token was discarded; nothing was saved on this computer. The instance stays "
                "paired at Green-API: connect it again with its ID and token to save it."
            )
        )
        self.fix_button.show()
        self.changed.emit()

    def can_next(self) -> bool:
        return self.outcome == "paired"

    def can_back(self) -> bool:
        return self.outcome in ("failed", "cancelled", "locked")
