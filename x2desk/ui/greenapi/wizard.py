"""The Green-API wizard: pair an instance by its rotating QR (issue 6), and re-pair a saved one
from the home list.

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
from typing import Any

from PySide6.QtCore import Signal

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError, StoreError, X2DeskError
from x2desk.core.secret import Secret
from x2desk.ui.common.session_wizard import SessionWizard
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.already import AlreadyPage
from x2desk.ui.greenapi.common import (
    STEP_DONE,
    STEP_INSTANCE,
    STEP_PAIR,
    STEP_WHAT,
    greenapi_message,
)
from x2desk.ui.greenapi.instance import InstancePage
from x2desk.ui.greenapi.password import GreenApiPasswordPage
from x2desk.ui.greenapi.qr import GreenApiQrPage
from x2desk.ui.greenapi.result import GreenApiResultPage

log = logging.getLogger(__name__)

GREENAPI_CHOICE = "greenapi"
PAIRING_PAGES = frozenset({"greenapi_qr", "greenapi_password", "greenapi_already"})
QR_REFRESH_S = 5.0  # the seed: a new QR every 5 s (core.greenapi.QR_REFRESH_S, without httpx)
QR_LIFETIME_S = 20.0
STORE_EXTRA = "greenapi_credentials"  # ctx.extras: the encrypted file store chosen here


class GreenApiWizard(SessionWizard):
    """Signals: ``closed()`` (done or cancelled), ``back_to_choose()`` (Back on the first page),
    ``page_shown(page_id)`` (all three from :class:`SessionWizard`), ``paired(PairedInstance)``.

    ``scheduler_factory`` and ``clock`` let tests run the pairing on a fake clock;
    ``interval_s`` is how often a new QR is asked for (5 s), ``qr_lifetime_s`` how long one QR
    may stay up, ``countdown_ms`` how often the countdown is redrawn."""

    paired = Signal(object)

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
            heading=self.tr("Connect a Green-API instance"),
            steps=[
                self.tr(STEP_WHAT),
                self.tr(STEP_INSTANCE),
                self.tr(STEP_PAIR),
                self.tr(STEP_DONE),
            ],
            clock=clock,
            scheduler_factory=scheduler_factory,
            countdown_ms=countdown_ms,
        )
        # demo --autopilot polls faster (a context setting); tests pass their own interval
        self.interval_s = float(ctx.extras.get("greenapi_poll_s", interval_s))
        self.backoff_s = backoff_s
        self.qr_lifetime_s = qr_lifetime_s
        self.pairing: Any = None
        self.repair_record: Any = None  # the saved record being re-paired, if any
        self.id_instance = ""
        self.api_url = ctx.greenapi_url
        self._token_masked = ""
        self._credentials: Any = None  # a store chosen on the result page (encrypted file)
        self._prefilled = False
        self._locked_record_id: int | str | None = None  # a re-pair waiting for the passphrase

        self.instance = InstancePage(self)
        self.qr = GreenApiQrPage(self)
        self.already = AlreadyPage(self)
        self.password = GreenApiPasswordPage(self)
        self.result = GreenApiResultPage(self)
        self.add_pages(self.instance, self.qr, self.already, self.password, self.result)

    # ---- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """The instance page, empty (in demo mode filled from the sandbox's console)."""
        self.stop_session()
        self.repair_record = None
        self._credentials = None
        self.api_url = self.ctx.greenapi_url
        self.instance.reset()
        self.password.reset()
        self._prefilled = False
        self._show("greenapi_instance")
        if self.ctx.demo:
            self._prefill_demo()

    def start_repair(self, record_id: int | str) -> None:
        """Re-pair a saved instance (home list): its id, API address and saved token."""
        self.stop_session()
        self._credentials = None
        self.password.reset()
        self.result.show_working(self.tr("Opening the saved instance…"))
        self._show("greenapi_result")
        self._locked_record_id = None
        cached = self.ctx.extras.get(STORE_EXTRA) or self.unlocked_store()

        def load() -> tuple[Any, Any]:
            from x2desk.core.store.credentials import open_credential_store
            from x2desk.core.store.records import RecordStore

            with RecordStore.open() as records:
                record = records.get(record_id)
            try:
                return record, open_credential_store()
            except StoreError:  # no keyring, a locked file: the store opened earlier, if any
                if cached is None:
                    raise
                return record, cached

        def done(result: tuple[Any, Any]) -> None:
            self._job = None
            record, credentials = result
            self.repair_record = record
            try:
                self._begin_repair(record, credentials)
            except X2DeskError as exc:
                self._show_error_result(exc)

        def failed(exc: BaseException) -> None:
            self._job = None
            if self.needs_passphrase(exc):
                self._locked_record_id = record_id
                self._show("greenapi_result")
                self.unlock_for_repair()
            else:
                self._show_error_result(exc)

        self._job = run_in_worker(load, done, failed, "green-api record")

    def unlock_for_repair(self, hint: str = "") -> None:
        """Ask for the encrypted file's passphrase, open it in a worker, then re-pair."""
        record_id = self._locked_record_id
        if record_id is None:
            return

        def opened(store: Any) -> None:
            self.ctx.extras[STORE_EXTRA] = store  # the pairing saves the token there again
            self.start_repair(record_id)

        def failed(exc: BaseException) -> None:
            self.result.show_locked(greenapi_message(exc))
            if self.needs_passphrase(exc):  # a wrong passphrase: ask again, saying so
                self.unlock_for_repair(greenapi_message(exc))

        self.result.show_locked(
            hint
            or self.tr(
                "This instance's apiTokenInstance is kept in the encrypted credentials file, "
                "which is locked. Type its passphrase to open it and re-pair the instance."
            )
        )
        self.ask_to_unlock(opened, failed, hint)

    def _show_error_result(self, exc: BaseException) -> None:
        from x2desk.core.session.machine import Snapshot, State

        err = exc if isinstance(exc, X2DeskError) else X2DeskError(greenapi_message(exc))
        snap = Snapshot(flow="greenapi", state=State.FAILED, text=err.message, error=err)
        self.result.show_failed(snap, store_failed=False)
        self._show("greenapi_result")

    # ---- demo ----------------------------------------------------------------------------------

    def _prefill_demo(self) -> None:
        """Demo: a new instance from the sandbox's console, its id and token filled in."""
        self._prefilled = True
        factory = self.ctx.extras.get("greenapi_instance")
        url = self.ctx.sandbox_url

        def make() -> tuple[str, Secret]:
            if callable(factory):
                info = factory()
            else:
                from x2desk.sandbox.phone import SandboxPhone

                with SandboxPhone(url or self.ctx.greenapi_url) as phone:
                    info = phone.greenapi_instance()
            return str(info["idInstance"]), Secret(str(info["apiTokenInstance"]))

        def done(result: tuple[str, Secret]) -> None:
            self._job = None
            id_instance, token = result
            self.instance.fill(
                id_instance,
                token,
                self.tr(
                    "Demo: the sandbox's Green-API console made instance {i}; its id and token "
                    "are filled in."
                ).format(i=id_instance),
            )

        def failed(exc: BaseException) -> None:
            self._job = None
            self.instance.show_error(greenapi_message(exc))

        self._job = run_in_worker(make, done, failed, "demo green-api instance")

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

    def _begin(self) -> None:
        """Next on the instance page: check the values, then pair."""
        from x2desk.core.greenapi.client import GreenApiClient
        from x2desk.core.greenapi.pairing import GreenApiPairing

        id_instance, token, label = self.instance.values()  # InputError: nothing was sent
        self.stop_session()
        client = GreenApiClient(self.api_url, id_instance, token)
        pairing = GreenApiPairing(
            client,
            label,
            credentials=self._credentials or self.ctx.extras.get(STORE_EXTRA),
            **self._pairing_kwargs(),
        )
        self._attach(pairing, client.id_instance, token, repair=False)

    def _begin_repair(self, record: Any, credentials: Any) -> None:
        from x2desk.core.greenapi.pairing import GreenApiPairing

        pairing = GreenApiPairing.from_record(record, credentials, **self._pairing_kwargs())
        self.repair_record = record
        self.api_url = pairing.client.api_url
        self._attach(pairing, pairing.client.id_instance, pairing.client.api_token, repair=True)

    def _attach(self, pairing: Any, id_instance: str, token: Secret, repair: bool) -> None:
        self.pairing = pairing
        self.id_instance = id_instance
        self._token_masked = token.masked
        self._attach_session(pairing)
        self.qr.set_instance(id_instance, repair)
        self.already.set_instance(id_instance)
        self._show("greenapi_qr")
        self.qr.set_busy(True, self.tr("Checking the instance with Green-API…"))
        self._run_session(pairing)

    def _running(self) -> Any:
        return self.pairing

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

    def show_snapshot(self, snap: Any) -> None:
        """Show ``snap`` on the page for its state."""
        if self.pairing is None:
            return
        self.snapshot = snap
        state = snap.state.value
        if state == "starting":
            if self.frame.current is self.qr:
                self.qr.show_snapshot(snap)
            elif self.frame.current is self.password or self.frame.current is self.already:
                pass  # a keep or a logout under way: the page that asked shows it
        elif state in ("waiting_for_qr", "loading"):
            self._show("greenapi_qr")
            self.qr.show_snapshot(snap)
        elif state == "waiting_for_password":
            if self.frame.current is not self.password:
                self.qr.clear_qr("")  # scanned: the QR is of no use any more
                self.password.reset()
                self._show("greenapi_password")
            self.password.show_snapshot(snap)
        elif "keep" in snap.actions:  # failed: already authorised; the person chooses
            self.timer.stop()
            self.qr.clear_qr("")
            self.already.set_instance(self.id_instance)
            self._show("greenapi_already")
        elif state in ("authenticated", "creating_connection"):
            self.qr.clear_qr("")
            self.password.set_busy(False)
            self.result.show_working(self.tr("Green-API confirms the instance; saving it…"))
            self._show("greenapi_result")
        elif state == "connected":
            self.timer.stop()
            self._finished(snap)
        else:  # failed, cancelled, expired
            self.timer.stop()
            self.qr.clear_qr("")
            for page in (self.qr, self.password, self.already):
                page.set_busy(False)
            self.result.show_failed(snap, self._store_failed(snap))
            self._show("greenapi_result")
        self.frame.refresh()

    def _store_failed(self, snap: Any) -> bool:
        """The instance is paired but its token could not be saved (only the store failed)."""
        from x2desk.core.session.machine import State

        history = getattr(getattr(self.pairing, "session", None), "history", [])
        return isinstance(snap.error, StoreError) and State.CREATING_CONNECTION in history

    def _finished(self, snap: Any) -> None:
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
            self.result.show_working(self.tr("Keeping the pairing; confirming with Green-API…"))
            self._show("greenapi_result")
            self.timer.start()

    def log_out_and_pair(self) -> None:
        if self.pairing is not None and self.pairing.log_out_and_pair():
            self._show("greenapi_qr")
            self.qr.clear_qr(self.tr("Logging the instance out…"))
            self.qr.set_busy(True, self.tr("Logging out; a new QR comes in a moment…"))
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
            self.password.set_busy(True, self.tr("Sending the password to Green-API…"))

    def restart(self) -> None:
        """Try again after a failure or a cancel (a new attempt with the same instance)."""
        if self.pairing is None:
            if self.repair_record is not None:
                self.start_repair(self.repair_record.id)
            else:
                self.fix_details()
            return
        self.qr.set_instance(self.id_instance, self.repair_record is not None)
        self._show("greenapi_qr")
        self.timer.start()
        self.pairing.restart()

    def _keep_with(self, credentials: Any) -> None:
        """The instance is paired; save it again (with ``credentials``, or the default store)."""
        pairing = self.pairing
        if pairing is None:
            return
        pairing.driver.credentials = credentials
        pairing.driver.mode = "keep"
        self.result.show_working(self.tr("Saving the instance…"))
        self._show("greenapi_result")
        self.timer.start()
        pairing.session.restart()

    def use_file_store(self, passphrase: Secret) -> None:
        """The keyring failed: keep the token in the encrypted file (made with ``passphrase``)."""
        self.result.show_working(self.tr("Opening the encrypted file store…"))

        def open_store() -> Any:
            from x2desk.core.store.credentials import open_credential_store, use_encrypted_file

            try:
                return use_encrypted_file(passphrase)
            except StoreError:  # the file exists already: open it with this passphrase
                return open_credential_store(passphrase=passphrase)

        def done(store: Any) -> None:
            self._job = None
            self._credentials = store
            self.ctx.extras[STORE_EXTRA] = store  # for the next pairing in this window
            self._keep_with(store)

        def failed(exc: BaseException) -> None:
            self._job = None
            if self.snapshot is not None:
                self.result.show_failed(self.snapshot, True)
            self.result.show_error(greenapi_message(exc))

        self._job = run_in_worker(open_store, done, failed, "encrypted file store")

    def retry_store(self) -> None:
        self._keep_with(self._credentials)

    def discard(self) -> None:
        self.stop_session()
        self.result.show_discarded()
        self._show("greenapi_result")

    def fix_details(self) -> None:
        """Back to the instance page (the values typed are still there)."""
        self.stop_session()
        if self.repair_record is not None and not self.instance.id_edit.text():
            self.instance.id_edit.setText(str(self.repair_record.external_id))
        self.repair_record = None
        self.instance.set_busy(False)
        self._show("greenapi_instance")

    # ---- navigation ----------------------------------------------------------------------------

    def _next_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "greenapi_instance":
            self.instance.banner.clear_message()
            self._begin()
        elif pid == "greenapi_password":
            self.submit_password()
        elif pid == "greenapi_result":
            self.request_close()

    def _back_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "greenapi_instance":
            self.shutdown()
            self.back_to_choose.emit()
        elif pid in PAIRING_PAGES or pid == "greenapi_result":
            self.fix_details()


# ---- the hook into the X2Chat wizard's "What to connect" page ---------------------------------


def add_greenapi_choice(x2chat_wizard: Any, open_greenapi: Callable[[], None]) -> None:
    """Offer "Green-API instance" on ``x2chat_wizard``'s "What to connect" page; choosing it and
    pressing Next (or Enter on it) calls ``open_greenapi()``.

    Call it after :func:`x2desk.ui.accounts.wizard.add_account_choice` when both are offered:
    this wraps the wizard's own Next, which the accounts' router calls for choices not its own.
    """
    choose = x2chat_wizard.choose
    if GREENAPI_CHOICE in choose.buttons:
        return
    choose.add_choice(
        GREENAPI_CHOICE,
        choose.tr("Green-API instance"),
        choose.tr(
            "A WhatsApp number on a Green-API instance: type its idInstance and token, then "
            "scan the QR it shows with the phone. The token goes to the system keyring."
        ),
    )
    original = x2chat_wizard._next
    hooked = "accounts" in choose.buttons  # the accounts' router calls wizard._next() for us

    def routed_next() -> None:
        wiz = x2chat_wizard
        if wiz.frame.current is wiz.choose and wiz.choose.selected() == GREENAPI_CHOICE:
            wiz.shutdown()
            open_greenapi()
        else:
            original()

    x2chat_wizard._next = routed_next
    if not hooked:
        frame = x2chat_wizard.frame
        try:
            frame.next_requested.disconnect(original)
        except (RuntimeError, TypeError):
            log.debug("the X2Chat wizard's Next was not connected as expected")
        frame.next_requested.connect(lambda: x2chat_wizard._next())
