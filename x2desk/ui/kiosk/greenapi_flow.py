"""The kiosk's Green-API flow: pair the config's instance (``profile.greenapi_instance`` at
``profile.greenapi_api_url``) by QR or by a login code. Its apiTokenInstance is read from the
credential store (``greenapi:<idInstance>``) in a worker and goes only into the pairing: the
instance page, with its ID, address and token fields, is never shown. By code, the first page
asks only for the phone number; by QR, the QR comes first. A cloud password is taken out of its
field as soon as it is sent. The station pairs its one instance for each visitor: still linked to
the last one's phone, it is logged out and paired anew (no page shows the earlier account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.greenapi.method import BY_CODE, BY_QR
from x2desk.ui.greenapi.wizard import PAIRING_PAGES, GreenApiWizard
from x2desk.ui.kiosk.flows import FlowOutcome, StationNotReady

if TYPE_CHECKING:
    from x2desk.core.kiosk.config import Profile
    from x2desk.core.session.states import Snapshot
    from x2desk.ui.context import AppContext


def load_token(id_instance: str) -> Secret:
    """The instance's saved apiTokenInstance (blocking: a worker's)."""
    from x2desk.core.saving import open_chosen_store
    from x2desk.core.store.credentials import secret_ref

    token = open_chosen_store().load(secret_ref("greenapi", id_instance))
    if token is None:
        raise StationNotReady("no apiTokenInstance is saved for the config's greenapi_instance")
    return token


class KioskGreenApiWizard(GreenApiWizard):
    """A :class:`GreenApiWizard` for the configured instance (see the module)."""

    def __init__(self, ctx: AppContext, flow_id: str, profile: Profile, **kwargs: object) -> None:
        super().__init__(ctx, **kwargs)  # type: ignore[arg-type]
        self.outcome = FlowOutcome(self, flow_id)
        self.flow_id = flow_id
        self.profile = profile
        self.by_code = flow_id == "greenapi_code"
        self.frame.show_step_list(False)
        self.qr.hide_next_when_disabled = True  # nothing to press while it waits
        self.method.cards[BY_CODE if self.by_code else BY_QR].setChecked(True)
        for card in self.method.cards.values():
            card.hide()
        self.method.title = _("Your Telegram phone number")
        self.method.subtitle = _("Telegram sends a login code to its app on that phone.")
        if self.code.show_box is not None:
            self.code.show_box.hide()
        self.paired.connect(lambda _paired: self.outcome.success())

    def _first_page(self) -> str:
        return "greenapi_method" if self.by_code else "greenapi_qr"

    # ---- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """The phone number page (by code), or straight to pairing (by QR)."""
        self.stop_session()
        self.repair_record = None
        for page in (self.method, self.code, self.password):
            page.reset()
        if self.by_code:
            self._show("greenapi_method")
        else:
            self._begin()

    def connect_another(self) -> None:
        self.shutdown()
        self.back_to_choose.emit()

    def fix_details(self) -> None:
        """The instance's details are the config's: start this flow over."""
        self.start()

    # ---- pairing the configured instance -------------------------------------------------------

    def _begin(self) -> None:
        """The token from the store (a worker), then the pairing."""
        phone = self.method.phone_number() if self.by_code else None  # InputError: nothing sent
        id_instance = self.profile.greenapi_instance or ""
        page = self.method if self.by_code else self.qr
        if not self.by_code:
            self.qr.clear_qr(_("Getting ready…"))
            self._show("greenapi_qr")
        page.set_busy(True, _("Getting ready…"))

        def ready(token: Secret) -> None:
            self._job = None
            page.set_busy(False)
            self._pair(id_instance, token, self.profile.greenapi_api_url, phone)

        def unusable(exc: BaseException) -> None:
            self._job = None
            self.outcome.failed(exc)

        self._job = run_in_worker(lambda: load_token(id_instance), ready, unusable, "kiosk token")

    def show_snapshot(self, snap: Snapshot) -> None:
        """The station's instance still linked to the last visitor's phone: logged out and
        paired anew for this one (the page that would show that account is never shown)."""
        from x2desk.core.greenapi.pairing import ACTION_KEEP

        if self.pairing is not None and ACTION_KEEP in snap.actions:
            self.log_out_and_pair()
            return
        super().show_snapshot(snap)

    def submit_password(self) -> None:
        super().submit_password()
        self.password.edit.clear()  # sent: out of the field at once

    def _next_from(self, page: WizardPage) -> None:
        super()._next_from(page)
        if page.page_id == "greenapi_code":
            self.code.edit.clear()

    def _back_from(self, page: WizardPage) -> None:
        pid = page.page_id
        first = self._first_page()
        after_qr = not self.by_code and (pid in PAIRING_PAGES or pid == "greenapi_result")
        if pid == first or after_qr:
            self.shutdown()
            self.back_to_choose.emit()
            return
        super()._back_from(page)
