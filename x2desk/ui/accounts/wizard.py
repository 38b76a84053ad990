"""The accounts wizard: Telegram, MAX and WhatsApp accounts, Telegram bots and Odnoklassniki
groups, connected through the connections provider (issue 5), and re-authorisation of a
Telegram or MAX connection from the home list.

The flow logic is :class:`~x2desk.core.session.machine.LoginSession` (no Qt): this controller
builds the driver for what the person chose, starts the session and renders its snapshots, which
a :class:`SessionRelay` brings to the GUI thread. The pages only show a
snapshot and hand the person's input back here. Network work runs on the session's scheduler
(a worker thread) or in :func:`~x2desk.ui.common.workers.run_in_worker`; nothing blocks the window.
Leaving a login page, Cancel and closing the window cancel the session: polling stops within one
tick and no request is sent after that.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal

from x2desk.core.accounts.shapes import status_word
from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError
from x2desk.core.kinds import FLOWS, REAUTH_FLOW, Entry
from x2desk.core.secret import Secret
from x2desk.core.session.states import Running, Snapshot, State
from x2desk.i18n import _
from x2desk.ui.accounts.common import STEPS, provider_message, suggest_name
from x2desk.ui.accounts.details import (
    DETAILS_PAGE,
    LOGIN_PAGES,
    details_page,
    driver_from_pages,
    is_qr_flow,
)
from x2desk.ui.accounts.keys import BotTokenPage, GroupKeyPage
from x2desk.ui.accounts.kind import KindPage
from x2desk.ui.accounts.login import CodePage, PasswordPage, PhonePage
from x2desk.ui.accounts.name import NamePage
from x2desk.ui.accounts.provider import ProviderPage
from x2desk.ui.accounts.provider_step import ProviderKeySteps
from x2desk.ui.accounts.qr import QrPage
from x2desk.ui.accounts.result import ResultPage
from x2desk.ui.common.phone_field import remember_region
from x2desk.ui.common.wizard import StatusPage, WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.context import AppContext

if TYPE_CHECKING:
    from x2desk.core.accounts.drivers import ProviderDriver
    from x2desk.core.accounts.provider_key import VerifiedKey
    from x2desk.core.session.machine import LoginSession

log = logging.getLogger(__name__)


class AccountsWizard(ProviderKeySteps):
    """Signals: ``closed()`` (done or cancelled), ``back_to_choose()`` (Back on the first page),
    ``page_shown(page_id)`` (all three from :class:`SessionWizard`), ``connected(Connection)``.

    ``scheduler_factory`` and ``clock`` let tests run sessions on a fake clock;
    ``interval_s`` is the poll interval (``ctx.account_poll_s``, 5 s; never below 1 s)."""

    STEPS = STEPS
    connected = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        clock: Clock = SYSTEM_CLOCK,
        scheduler_factory: Callable[[], Any] | None = None,
        interval_s: float | None = None,
        backoff_s: tuple[float, ...] | None = None,
        countdown_ms: int = 1000,
    ) -> None:
        super().__init__(
            ctx,
            object_name="accountsWizard",
            heading=_("Connect an account"),
            steps=[_(step) for step in STEPS],
            clock=clock,
            scheduler_factory=scheduler_factory,
            countdown_ms=countdown_ms,
        )
        self.interval_s = float(interval_s if interval_s is not None else ctx.account_poll_s)
        self.backoff_s = backoff_s or ctx.account_backoff_s
        self.kind: str | None = None  # the flow chosen (a provider flow of core.kinds.FLOWS)
        self.reauth_id: int | str | None = None
        self.base_url = ctx.provider_api
        self.api_key: Secret | None = None
        self.session: LoginSession | None = None
        self._client: Any = None
        self._scheduler: Any = None
        self._loaded_key = False
        self._taken_names: list[str] = []  # the provider's connections' names (for a new name)

        self.kind_page = KindPage()
        self.name_page = NamePage()
        self.provider = ProviderPage()
        self.phone = PhonePage()
        self.bot = BotTokenPage()
        self.group = GroupKeyPage()
        self.qr = QrPage()
        self.code = CodePage()
        self.password = PasswordPage()
        self.result = ResultPage(self)
        self.add_pages(
            self.kind_page, self.provider, self.name_page, self.phone, self.bot, self.group,
            self.qr, self.code, self.password, self.result,
        )  # fmt: skip
        self._add_unlock_button()

    # ---- life ----------------------------------------------------------------------------------

    def start(self, kind: str | None = None) -> None:
        """The first page (or, with ``kind``, straight to the provider page for it)."""
        self.stop_session()
        self.reauth_id = None
        if self.must_use_company:  # the last run re-authorised in a record's own company
            self.must_use_company = False
            self._forget_key()
        self.kind = None
        pages = (
            self.bot,
            self.group,
            self.code,
            self.password,
            self.phone,
            self.qr,
            self.name_page,
        )
        for page in pages:
            page.reset()
        self.group.preferred = None
        if kind is not None:
            self.kind_page.select(kind)
            self.kind = kind
            self._show_provider()
        else:
            self._show("account_kind")

    def start_reauth(
        self,
        connection_type: str,
        connection_id: int | str,
        api_base: str | None = None,
        company_id: str | None = None,
    ) -> None:
        """Re-authorise an existing Telegram or MAX connection (at ``api_base``, in the company
        ``company_id`` it was made in): no new connection afterwards."""
        if connection_type not in REAUTH_FLOW:
            raise InputError(
                _(
                    "Only Telegram and MAX account connections can be re-authorised, not '{kind}'."
                ).format(kind=connection_type)
            )
        self.stop_session()
        self.kind = REAUTH_FLOW[connection_type]
        self.kind_page.select(self.kind)
        self.reauth_id = connection_id
        address = (api_base or self.base_url).strip().rstrip("/")
        company = str(company_id) if company_id not in (None, "") else None
        if address != self.base_url or (company is not None and company != self.company_id):
            self._forget_key()  # the key belongs to one address and company
        self.base_url = address
        self.company_id = company if company is not None else self.company_id
        self.must_use_company = company is not None
        self._show_provider()

    def start_change_key(
        self, connection_id: int | str, api_base: str | None = None, company_id: str | None = None
    ) -> None:
        """Give a connected Odnoklassniki group a new API key (the home's "Change the key…"):
        its address and company, then the group page with it chosen."""
        self.start()
        self.group.preferred = connection_id
        address = (api_base or self.base_url).strip().rstrip("/")
        company = str(company_id) if company_id not in (None, "") else None
        if address != self.base_url or (company is not None and company != self.company_id):
            self._forget_key()
        self.base_url = address
        self.company_id = company if company is not None else self.company_id
        self.kind = "odnoklassniki"
        self.kind_page.select(self.kind)
        self._show_provider()

    def _forget_key(self) -> None:
        self.api_key, self.company, self._loaded_key = None, None, False
        self.company_id = None
        self.provider.key_edit.clear()
        self.provider.clear_companies()

    # ---- after the provider step ---------------------------------------------------------------

    def _connections_listed(self, verified: VerifiedKey) -> None:
        groups = [
            (f"{c.name} (#{c.id}, {status_word(c.status)})", c.id)
            for c in verified.of_type("odnoklassniki")
        ]
        self.group.set_groups(groups)
        self._taken_names = [c.name for c in verified.connections]
        self.result.company = verified.company.name if verified.company else ""

    def _after_provider(self, note: str = "") -> None:
        kind = self.kind or "telegram_qr"
        page_id = details_page(kind, self.reauth_id is not None)
        if page_id is None:
            self._begin(kind)
            return
        suggested = suggest_name(FLOWS[kind].kind, self._taken_names)
        if page_id == "account_phone":
            self.phone.set_flow(kind, self.reauth_id is not None, suggested)
        elif page_id == "account_name":
            self.name_page.set_name(suggested)
        page = self.frame.page(page_id)
        self._show(page_id)
        if note and isinstance(page, StatusPage):
            page.banner.show_message(note, "warning")

    # ---- the session ---------------------------------------------------------------------------

    def _client_for_session(self) -> Any:
        from x2desk.core.accounts.client import ConnectionsClient

        assert self.api_key is not None
        if self._client is None:
            self._client = ConnectionsClient(
                self.base_url, self.api_key, wall_time=self.clock.time, company_id=self.company_id
            )
            if self.company is not None:
                self._client.use_company(self.company)  # its name, for the record
        return self._client

    def _make_driver(self, kind: str) -> ProviderDriver:
        """The driver of ``kind`` with what the pages hold (InputError: nothing was sent)."""
        driver = driver_from_pages(self, kind, self._client_for_session())
        if FLOWS[kind].entry is Entry.PHONE:
            region = self.phone.field.region()  # the number's country, for the next one
            run_in_worker(lambda: remember_region(region), None, lambda _e: None, "phone region")
        return driver

    def _begin(self, kind: str) -> None:
        from x2desk.core.session.machine import LoginSession
        from x2desk.core.session.poller import DEFAULT_BACKOFF_S, ThreadScheduler

        self._drop_session()
        driver = self._make_driver(kind)  # InputError here: nothing was sent
        scheduler = self._make_scheduler()
        if scheduler is None:
            scheduler = ThreadScheduler(self.clock, name="x2desk-accounts")
            self._scheduler = scheduler
        self.session = LoginSession(
            driver,
            clock=self.clock,
            scheduler=scheduler,
            interval_s=self._interval(driver.flow),
            backoff_s=self.backoff_s or DEFAULT_BACKOFF_S,
        )
        self._attach_session(self.session)
        if is_qr_flow(driver.flow):
            self.qr.set_flow(driver.flow)
            self._show("account_qr")
        elif isinstance(self.frame.current, StatusPage):
            self.frame.current.set_busy(True, _("Asking the provider…"))
        self._run_session(self.session)

    def _interval(self, flow: str) -> float:
        """How often the session polls: WhatsApp's status more often (a scan shows sooner)."""
        from x2desk.core.accounts.endpoints import WHATSAPP_POLL_S

        return min(self.interval_s, WHATSAPP_POLL_S) if flow == "whatsapp" else self.interval_s

    def _running(self) -> Running | None:
        return self.session

    def _release(self) -> Callable[[], None] | None:
        session, scheduler, client = self.session, self._scheduler, self._client
        self.session = None
        self._scheduler = None
        self._client = None
        if session is not None:
            session.cancel()
        if scheduler is None and client is None:
            return None

        def close() -> None:
            if scheduler is not None:
                scheduler.close()
            if client is not None:
                client.close()

        return close

    def current_session_id(self) -> str | None:
        """The provider's session id of the login in progress (the demo phone reads its code)."""
        driver = getattr(self.session, "driver", None)
        session = getattr(driver, "session", None)
        return getattr(session, "session_id", None)

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show ``snap`` on the page for its state."""
        if self.session is None:
            return
        self.snapshot = snap
        state = snap.state
        if state is State.STARTING:
            if is_qr_flow(snap.flow):
                self._show("account_qr")
                self.qr.show_snapshot(snap, self.clock.monotonic())
            elif self.frame.current is self.result:
                self.result.show_snapshot(snap)
        elif state in (State.WAITING_FOR_QR, State.LOADING):
            self._show("account_qr")
            self.qr.show_snapshot(snap, self.clock.monotonic())
        elif state is State.WAITING_FOR_CODE:
            if self.frame.current is not self.code:
                self.code.set_flow(snap.flow, getattr(self.session.driver, "phone", ""))
                self._show("account_code")
            self.code.show_snapshot(snap)
        elif state is State.WAITING_FOR_PASSWORD:
            if self.frame.current is not self.password:
                self.password.reset()
                self._show("account_password")
            self.password.show_snapshot(snap)
        else:
            self._show_result(snap)
        self.frame.refresh()

    def _show_result(self, snap: Snapshot) -> None:
        for page in (self.phone, self.bot, self.group, self.qr, self.code, self.password):
            page.set_busy(False)
        self.qr.clear_qr("")  # an ended session leaves no QR behind
        self._show("account_result")
        self.result.show_snapshot(snap)
        if snap.state is State.CONNECTED:
            self.timer.stop()
            self._record(snap)
        elif snap.terminal:
            self.timer.stop()

    def _record(self, snap: Snapshot) -> None:
        """Record the connection made (core: the one recording, GUI and CLI alike)."""
        conn, session = snap.result, self.session
        if conn is None or session is None or self._recorded is conn:
            return
        self._recorded = conn
        self.connected.emit(conn)

        def save() -> int | None:
            from x2desk.core.accounts.drivers import record_login

            record = record_login(session)
            return record.id if record is not None else None

        def saved(record_id: int | None) -> None:
            if self.session is session:
                self.result.label_field.load(record_id)

        def failed(exc: BaseException) -> None:
            self.result.banner.show_message(
                _("Connected at the provider, but not recorded on this computer: {m}").format(
                    m=provider_message(exc)
                ),
                "warning",
            )

        run_in_worker(save, saved, failed, "record connection")

    # ---- actions from pages --------------------------------------------------------------------

    def restart(self) -> None:
        """Start the same flow again (after the session ended, failed or was cancelled)."""
        if self.session is None:
            self._after_provider()
            return
        self.timer.start()
        if is_qr_flow(self.kind):
            self.qr.set_flow(self.kind or "")
        self.session.restart()

    def fix_details(self) -> None:
        key = getattr(self.snapshot, "error_key", None)
        self.stop_session()
        reauth = self.reauth_id is not None
        key_matters = key in ("invalid_auth", "scope_missing", "subscription_required")
        if key_matters or details_page(self.kind, reauth) is None:
            self._show_provider()
        else:
            self._show_details()

    def _show_details(self) -> None:
        page_id = details_page(self.kind, self.reauth_id is not None) or "account_provider"
        page = self.frame.page(page_id)
        if isinstance(page, StatusPage):
            page.set_busy(False)
        self._show(page_id)

    # ---- navigation ----------------------------------------------------------------------------

    def _next_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "account_kind":
            self.kind = self.kind_page.selected()
            self._show_provider()
        elif pid == "account_provider":
            self._verify_provider()
        elif pid in DETAILS_PAGE.values():
            if isinstance(page, StatusPage):
                page.banner.clear_message()
            self._begin(self.kind or "")
        elif pid == "account_code" and self.session is not None:
            self.session.submit_code(self.code.value())
        elif pid == "account_password" and self.session is not None:
            self.session.submit_password(self.password.value())
        elif pid == "account_result":
            self.request_close()

    def _back_from(self, page: WizardPage) -> None:
        if page.is_busy() and page.page_id not in LOGIN_PAGES:
            return
        pid = page.page_id
        if pid == "account_kind":
            self.shutdown()
            self.back_to_choose.emit()
        elif pid == "account_provider":
            if self.reauth_id is not None:
                self.request_close()
            else:
                self._show("account_kind")
        elif pid in DETAILS_PAGE.values():
            self._show_provider()
        elif pid in LOGIN_PAGES or pid == "account_result":
            self.stop_session()
            if details_page(self.kind, self.reauth_id is not None) is not None:
                self._show_details()
            else:
                self._show_provider()
