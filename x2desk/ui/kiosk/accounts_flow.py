"""The kiosk's accounts flow: the accounts wizard for one configured flow (WhatsApp, Telegram...)
whose provider address, API key and company come from the config, never from a page.

There is no provider page: its address and key fields are never shown, filled or read, so a key
cannot be sent anywhere but the configured provider. The key is read from the credential store by
the config's reference and checked with the provider in a worker while the flow's first page
waits; a QR login skips the connection's name (the suggested one is used); a login code and a
2FA password are taken out of their fields as soon as they are sent. The kind page, "Connect
another" and re-authorising are out of reach: Back on the first page goes to the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.kinds import FLOWS, Entry
from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.accounts.common import suggest_name
from x2desk.ui.accounts.details import LOGIN_PAGES, details_page, is_qr_flow
from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.common.wizard import StatusPage, WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.kiosk.flows import FlowOutcome, StationNotReady

if TYPE_CHECKING:
    from x2desk.core.accounts.provider_key import VerifiedKey
    from x2desk.core.kiosk.config import Profile
    from x2desk.ui.context import AppContext


def load_and_verify(
    base_url: str, key_ref: str, company_id: int | None
) -> tuple[Secret, VerifiedKey]:
    """The provider key saved under ``key_ref``, checked with the provider at ``base_url`` in
    the configured company (blocking: a worker's)."""
    from x2desk.core.accounts.provider_key import verify_key
    from x2desk.core.saving import open_chosen_store

    key = open_chosen_store().load(key_ref)
    if key is None:
        raise StationNotReady("no provider key is saved under the config's profile.provider_key")
    return key, verify_key(base_url, key, remember=False, company=company_id)


class KioskAccountsWizard(AccountsWizard):
    """An :class:`AccountsWizard` for ``flow_id`` at the config's provider (see the module)."""

    def __init__(self, ctx: AppContext, flow_id: str, profile: Profile, **kwargs: object) -> None:
        super().__init__(ctx, **kwargs)  # type: ignore[arg-type]
        self.outcome = FlowOutcome(self, flow_id)
        self.flow_id = flow_id
        self.profile = profile
        self.base_url = profile.provider_base
        self.company_id = str(profile.company_id) if profile.company_id is not None else None
        self.provider.remember.setChecked(False)
        self.frame.show_step_list(False)
        self.qr.hide_next_when_disabled = True  # nothing to press while it waits
        for page in (self.code, self.password):
            if page.show_box is not None:  # a code is a secret too: never shown in the kiosk
                page.show_box.hide()
        self.connected.connect(lambda _conn: self.outcome.success())

    # ---- life ----------------------------------------------------------------------------------

    def start(self, kind: str | None = None) -> None:
        """Always the configured flow, from its first page."""
        super().start(self.flow_id)

    def connect_another(self) -> None:
        self.shutdown()
        self.back_to_choose.emit()

    def _first_page(self) -> str:
        if is_qr_flow(self.flow_id):
            return "account_qr"
        return details_page(self.flow_id) or "account_qr"

    # ---- the provider: the config's, checked in a worker ---------------------------------------

    def _show_provider(self) -> None:
        """Instead of the provider page: the flow's first page, waiting while the configured
        key is read and checked."""
        page_id = self._first_page()
        page = self.frame.page(page_id)
        if page_id == "account_qr":
            self.qr.set_flow(self.flow_id)
        self._show(page_id)
        if isinstance(page, StatusPage):
            page.set_busy(True, _("Getting ready…"))
        base, ref, company = self.base_url, self.profile.provider_key_ref, self.profile.company_id
        self._job = run_in_worker(
            lambda: load_and_verify(base, ref, company), self._verified, self._unusable, "kiosk key"
        )

    def _verify_provider(self) -> None:
        """Never from the page's fields (the page is never shown): the configured key."""
        self._show_provider()

    def _verified(self, result: tuple[Secret, VerifiedKey]) -> None:
        self._job = None
        key, verified = result
        page = self.frame.current
        if isinstance(page, StatusPage):
            page.set_busy(False)
        self.api_key = key
        self.company = verified.company
        self.company_id = str(verified.company.id) if verified.company else self.company_id
        self._connections_listed(verified)
        self._after_provider()

    def _unusable(self, exc: BaseException) -> None:
        self._job = None
        self.outcome.failed(exc)

    def _after_provider(self, note: str = "") -> None:
        if FLOWS[self.flow_id].entry is Entry.QR:  # no name to ask a stranger: the suggested one
            self.name_page.reset()
            self.name_page.set_name(suggest_name(FLOWS[self.flow_id].kind, self._taken_names))
            self._begin(self.flow_id)
            return
        super()._after_provider(note)

    # ---- what the person sends -----------------------------------------------------------------

    def fix_details(self) -> None:
        if is_qr_flow(self.flow_id):  # its only detail is the configured key: check it again
            self.stop_session()
            self._show_provider()
            return
        super().fix_details()

    def _next_from(self, page: WizardPage) -> None:
        if self.api_key is None and page.page_id != "account_result":
            return  # the configured key is still being checked
        super()._next_from(page)
        if page.page_id in ("account_code", "account_password"):
            self.code.edit.clear()  # sent: out of the field at once
            self.password.edit.clear()

    def show_snapshot(self, snap: object) -> None:
        super().show_snapshot(snap)  # type: ignore[arg-type]
        self.qr.link.hide()  # "open the QR page" would open a browser on the kiosk

    def _back_from(self, page: WizardPage) -> None:
        first = self._first_page()
        if page.page_id == first or (
            first == "account_qr" and page.page_id in (*LOGIN_PAGES, "account_result")
        ):
            self.shutdown()
            self.back_to_choose.emit()
            return
        super()._back_from(page)
