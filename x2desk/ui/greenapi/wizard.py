"""The Green-API wizard: pair an instance by its rotating QR (issue 6) or by a login code sent to
the Telegram app (issue 11), and re-pair a saved one from the home list.

The flow logic is :class:`~x2desk.core.greenapi.pairing.GreenApiPairing` (no Qt): this
controller builds it from what the person typed, starts it and renders its snapshots, which a
:class:`SessionRelay` brings to the GUI thread (the pairing calls its
observers on its poller's worker thread). The pages only show a snapshot and hand the person's
input back here. Network and store work runs on the pairing's scheduler or in
:func:`~x2desk.ui.common.workers.run_in_worker`; nothing blocks the window. Leaving a pairing page,
Cancel and closing the window cancel the pairing: no request is sent after that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.core.session.states import Running, Snapshot, State
from x2desk.i18n import _
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.already import AlreadyPage
from x2desk.ui.greenapi.code import GreenApiCodePage
from x2desk.ui.greenapi.common import STEPS, api_url_for, greenapi_message
from x2desk.ui.greenapi.instance import InstancePage
from x2desk.ui.greenapi.method import MethodPage
from x2desk.ui.greenapi.password import GreenApiPasswordPage
from x2desk.ui.greenapi.qr import GreenApiQrPage
from x2desk.ui.greenapi.repair import RepairSteps
from x2desk.ui.greenapi.result import GreenApiResultPage

if TYPE_CHECKING:
    from x2desk.core.greenapi.pairing import GreenApiPairing
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record

log = logging.getLogger(__name__)

PAIRING_PAGES = frozenset({"greenapi_qr", "greenapi_code", "greenapi_password", "greenapi_already"})
QR_REFRESH_S = 5.0  # the seed: a new QR every 5 s (core.greenapi.QR_REFRESH_S, without httpx)
QR_LIFETIME_S = 20.0


class GreenApiWizard(RepairSteps):
    """Signals: ``closed()`` (done or cancelled), ``back_to_choose()`` (Back on the first page),
    ``page_shown(page_id)`` (all three from :class:`SessionWizard`), ``paired(PairedInstance)``.

    ``scheduler_factory`` and ``clock`` let tests run the pairing on a fake clock;
    ``interval_s`` is how often a new QR is asked for (5 s; ``ctx.greenapi_poll_s`` when set),
    ``qr_lifetime_s`` how long one QR may stay up, ``countdown_ms`` how often the countdown is
    redrawn."""

    STEPS = STEPS
    paired = Signal(object)
    batch_requested = Signal()  # "Pair many from a CSV file…" on the instance page

    CLOSE_JOB = "close green-api pairing"

    def __init__(
        self,
        ctx: AppContext,
        clock: Clock = SYSTEM_CLOCK,
        scheduler_factory: Callable[[], Any] | None = None,
        interval_s: float = QR_REFRESH_S,
        backoff_s: tuple[float, ...] | None = None,
        qr_lifetime_s: float = QR_LIFETIME_S,
        countdown_ms: int = 1000,
    ) -> None:
        super().__init__(
            ctx,
            object_name="greenapiWizard",
            heading=_("Connect a Green-API instance"),
            steps=[_(step) for step in STEPS],
            clock=clock,
            scheduler_factory=scheduler_factory,
            countdown_ms=countdown_ms,
        )
        # demo --autopilot polls faster (a context setting); tests pass their own interval
        poll_s = ctx.greenapi_poll_s
        self.interval_s = float(poll_s if poll_s is not None else interval_s)
        self.backoff_s = backoff_s
        self.qr_lifetime_s = qr_lifetime_s
        self.pairing: GreenApiPairing | None = None
        self.repair_record: Record | None = None  # the saved record being re-paired, if any
        self.id_instance = ""
        self.api_url = ctx.greenapi_url
        self._token_masked = ""
        self._locked_record_id: int | str | None = None  # a re-pair waiting for the passphrase

        self.instance = InstancePage()
        self.instance.suggest_url = self._suggest_url
        self.instance.batch_button.clicked.connect(self._to_batch)
        self.method = MethodPage()
        self.qr = GreenApiQrPage()
        self.qr.set_interval(self.interval_s)
        self.code = GreenApiCodePage()
        self.already = AlreadyPage(self)
        self.password = GreenApiPasswordPage()
        self.result = GreenApiResultPage(self)
        self.add_pages(
            self.instance, self.method, self.qr, self.code, self.already, self.password,
            self.result,
        )  # fmt: skip

    # ---- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """The instance page, empty (in demo mode filled from the sandbox's console)."""
        self.stop_session()
        self.repair_record = None
        self.api_url = self.ctx.greenapi_url
        for page in (self.instance, self.method, self.code, self.password):
            page.reset()
        self._show("greenapi_instance")
        if self.ctx.demo_greenapi_instance is not None:
            self._prefill_demo(self.ctx.demo_greenapi_instance)

    def _prefill_demo(self, console: Callable[[], dict[str, Any]]) -> None:
        """Demo: a new instance from the sandbox's console, its id and token filled in."""

        def make() -> tuple[str, Secret]:
            info = console()
            return str(info["idInstance"]), Secret(str(info["apiTokenInstance"]))

        def done(result: tuple[str, Secret]) -> None:
            self._job = None
            id_instance, token = result
            self.instance.fill(
                id_instance,
                token,
                _(
                    "Demo: the sandbox's Green-API console made instance {i}; its id and token "
                    "are filled in."
                ).format(i=id_instance),
            )

        def failed(exc: BaseException) -> None:
            self._job = None
            self.instance.show_error(greenapi_message(exc))

        self._job = run_in_worker(make, done, failed, "demo green-api instance")

    def _to_batch(self) -> None:
        self.shutdown()
        self.batch_requested.emit()

    # ---- the pairing ---------------------------------------------------------------------------

    def _pairing_kwargs(self) -> dict[str, Any]:
        from x2desk.core.session.poller import DEFAULT_BACKOFF_S

        return {
            "clock": self.clock,
            "scheduler": self._make_scheduler(),
            "interval_s": self.interval_s,
            "backoff_s": self.backoff_s or DEFAULT_BACKOFF_S,
            "qr_lifetime_s": self.qr_lifetime_s,
        }

    def _suggest_url(self, id_instance: str) -> str:
        """The API address to follow a typed ID with (:func:`api_url_for`)."""
        return api_url_for(self.ctx.greenapi_url)(id_instance)

    def _begin(self) -> None:
        """Next on the method page: check the values, then pair (by QR, or by a code)."""
        id_instance, token, api_url = self.instance.values()  # InputError: nothing sent
        self._pair(id_instance, token, api_url, self.method.phone_number())

    def _pair(self, id_instance: str, token: Secret, api_url: str, phone: str | None) -> None:
        """Pair the instance (by a code sent to ``phone``, else by QR)."""
        from x2desk.core.greenapi.client import GreenApiClient
        from x2desk.core.greenapi.pairing import GreenApiPairing

        self.stop_session()
        client = GreenApiClient(api_url, id_instance, token)
        self.api_url = client.api_url
        pairing = GreenApiPairing(  # its label: asked for at the end (the result page)
            client, "", credentials=self.ctx.file_store, phone=phone, **self._pairing_kwargs()
        )
        if phone is not None:
            self._remember_region()
            self.code.set_phone(phone)
        self._attach(pairing, client.id_instance, token, repair=False)

    def _remember_region(self) -> None:
        from x2desk.ui.common.phone_field import remember_region

        region = self.method.phone.region()
        run_in_worker(lambda: remember_region(region), None, lambda _e: None, "phone region")

    def _begin_repair(self, record: Record, credentials: CredentialStore) -> None:
        from x2desk.core.greenapi.pairing import GreenApiPairing

        pairing = GreenApiPairing.from_record(record, credentials, **self._pairing_kwargs())
        self.repair_record = record
        self.api_url = pairing.client.api_url
        self._attach(pairing, pairing.client.id_instance, pairing.client.api_token, repair=True)

    def _attach(
        self, pairing: GreenApiPairing, id_instance: str, token: Secret, repair: bool
    ) -> None:
        self.pairing = pairing
        self.id_instance = id_instance
        self._token_masked = token.masked
        self._attach_session(pairing)
        self.qr.set_instance(id_instance, repair)
        self.already.set_instance(id_instance)
        if pairing.by_code:
            self._show("greenapi_code")
            self.code.set_busy(True, _("Asking Green-API to send the code…"))
        else:
            self._show("greenapi_qr")
            self.qr.set_busy(True, _("Checking the instance with Green-API…"))
        self._run_session(pairing)

    def _running(self) -> Running | None:
        return self.pairing

    def current_code_instance(self) -> str | None:
        """The instance a phone-code pairing waits on (the demo phone shows its code)."""
        pairing = self.pairing
        return pairing.client.id_instance if pairing is not None and pairing.by_code else None

    def _release(self) -> Callable[[], None] | None:
        pairing = self.pairing
        self.pairing = None
        if pairing is None:
            return None
        pairing.cancel()
        own_thread = self.scheduler_factory is None

        def close() -> None:
            if own_thread:
                pairing.close()
            pairing.client.close()

        return close

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show ``snap`` on the page for its state."""
        from x2desk.core.greenapi.pairing import ACTION_KEEP  # loaded with the pairing

        if self.pairing is None:
            return
        self.snapshot = snap
        state = snap.state
        by_code = self.pairing.by_code
        if state is State.STARTING:
            if self.frame.current in (self.qr, self.code):
                self._page_for_code_or_qr(snap, by_code)
            # otherwise a keep or a logout is under way: the page that asked shows it
        elif state is State.WAITING_FOR_CODE or (state is State.LOADING and by_code):
            self._show("greenapi_code")
            self.code.show_snapshot(snap)
            self.code.set_busy(snap.busy or state is State.LOADING, _(snap.text))
        elif state in (State.WAITING_FOR_QR, State.LOADING):
            self._show("greenapi_qr")
            self.qr.show_snapshot(snap, self.clock.monotonic())
        elif state is State.WAITING_FOR_PASSWORD:
            if self.frame.current is not self.password:
                self.qr.clear_qr("")  # linked: the QR is of no use any more
                self.password.reset()
                self._show("greenapi_password")
            self.password.show_snapshot(snap)
        elif ACTION_KEEP in snap.actions:  # failed: already authorised; the person chooses
            self.timer.stop()
            self.qr.clear_qr("")
            self.already.set_instance(self.id_instance)
            self._show("greenapi_already")
        elif state in (State.AUTHENTICATED, State.CREATING_CONNECTION):
            self.qr.clear_qr("")
            for page in (self.password, self.code):
                page.set_busy(False)
            self.result.show_working(_("Green-API confirms the instance; saving it…"))
            self._show("greenapi_result")
        elif state is State.CONNECTED:
            self.timer.stop()
            self._finished(snap)
        else:  # failed, cancelled, expired
            self._show_ended(snap)
        self.frame.refresh()

    def _page_for_code_or_qr(self, snap: Snapshot, by_code: bool) -> None:
        if by_code:
            self.code.set_busy(True, _("Asking Green-API to send the code…"))
        else:
            self.qr.show_snapshot(snap, self.clock.monotonic())

    def _show_ended(self, snap: Snapshot) -> None:
        from x2desk.core.greenapi.pairing import ACTION_SAVE_AGAIN

        self.timer.stop()
        self.qr.clear_qr("")
        for page in (self.qr, self.code, self.password, self.already):
            page.set_busy(False)
        self.result.show_failed(snap, ACTION_SAVE_AGAIN in snap.actions)
        self._show("greenapi_result")

    def _finished(self, snap: Snapshot) -> None:
        paired = snap.result
        self.qr.clear_qr("")
        self.result.show_paired(paired, self._token_masked, self.api_url)
        self._show("greenapi_result")
        if paired is not None and self._recorded is not paired:
            self._recorded = paired
            self.paired.emit(paired)

    # ---- actions from pages --------------------------------------------------------------------

    def keep(self) -> None:
        if self.pairing is not None and self.pairing.keep():
            self.result.show_working(_("Keeping the pairing; confirming with Green-API…"))
            self._show("greenapi_result")
            self.timer.start()

    def log_out_and_pair(self) -> None:
        if self.pairing is not None and self.pairing.log_out_and_pair():
            self._show("greenapi_qr")
            self.qr.clear_qr(_("Logging the instance out…"))
            self.qr.set_busy(True, _("Logging out; a new QR comes in a moment…"))
            self.timer.start()

    def submit_password(self) -> None:
        if self.pairing is None:
            return
        try:
            sent = self.pairing.submit_password(self.password.value())
        except InputError as exc:
            self.password.show_error(exc.message)
            return
        if sent:
            self.password.banner.clear_message()
            self.password.set_busy(True, _("Sending the password to Green-API…"))

    def restart(self) -> None:
        """Try again after a failure or a cancel (a new attempt with the same instance; after
        Green-API refused the ID or token: back to them instead)."""
        from x2desk.ui.greenapi.result import WRONG_DETAILS

        key = getattr(self.snapshot, "error_key", None)
        if self.pairing is None or key in WRONG_DETAILS:
            if self.pairing is None and self.repair_record is not None:
                self.start_repair(self.repair_record.id)
            else:
                self.fix_details()
            return
        self.qr.set_instance(self.id_instance, self.repair_record is not None)
        if self.pairing.by_code:
            self.code.reset()
            self._show("greenapi_code")
        else:
            self._show("greenapi_qr")
        self.timer.start()
        self.pairing.restart()

    def _saving_again(self) -> None:
        self.result.show_working(_("Saving the instance…"))
        self._show("greenapi_result")
        self.timer.start()

    def use_file_store(self, passphrase: Secret) -> None:
        """The keyring failed: keep the token in the encrypted file (made with ``passphrase``)."""
        pairing = self.pairing
        if pairing is None:
            return
        self.result.show_working(_("Opening the encrypted file store…"))

        def done(store: CredentialStore) -> None:
            self._job = None
            self.ctx.file_store = store  # for the next pairing in this window
            self._saving_again()

        def failed(exc: BaseException) -> None:
            self._job = None
            if self.snapshot is not None:
                self.result.show_failed(self.snapshot, True)
            self.result.show_error(greenapi_message(exc))

        opening = lambda: pairing.use_file_store(passphrase)  # noqa: E731
        self._job = run_in_worker(opening, done, failed, "encrypted file store")

    def retry_store(self) -> None:
        if self.pairing is not None and self.pairing.save_again(self.ctx.file_store):
            self._saving_again()

    def discard(self) -> None:
        self.stop_session()
        self.result.show_discarded()
        self._show("greenapi_result")

    def fix_details(self) -> None:
        """Back to the instance page (the values typed are still there; a re-paired instance's
        ID and address filled in)."""
        self.stop_session()
        record = self.repair_record
        if record is not None:
            self.instance.fill(str(record.external_id), Secret(""), api_url=record.api_base or "")
        self.repair_record = None
        self.instance.set_busy(False)
        self._show("greenapi_instance")

    # ---- navigation ----------------------------------------------------------------------------

    def _next_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "greenapi_instance":
            self.instance.banner.clear_message()
            self.instance.values()  # InputError: says what is wrong, nothing sent
            self.method.reset()
            self._show("greenapi_method")
        elif pid == "greenapi_method":
            self.method.banner.clear_message()
            self._begin()
        elif pid == "greenapi_code" and self.pairing is not None:
            if self.pairing.submit_code(self.code.value()):
                self.code.banner.clear_message()
                self.code.set_busy(True, _("Checking the code with Green-API…"))
        elif pid == "greenapi_password":
            self.submit_password()
        elif pid == "greenapi_result":
            self.request_close()

    def _back_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "greenapi_instance":
            self.shutdown()
            self.back_to_choose.emit()
        elif pid == "greenapi_method":
            self._show("greenapi_instance")
        elif pid in PAIRING_PAGES or pid == "greenapi_result":
            self.stop_session()
            if self.repair_record is not None:
                self.fix_details()
            else:
                self.method.set_busy(False)
                self._show("greenapi_method")
