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
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError, X2DeskError
from x2desk.core.secret import Secret
from x2desk.ui.accounts.common import provider_message
from x2desk.ui.accounts.keys import BotTokenPage, GroupKeyPage
from x2desk.ui.accounts.kind import KindPage
from x2desk.ui.accounts.login import CodePage, PasswordPage, PhonePage
from x2desk.ui.accounts.provider import ProviderPage
from x2desk.ui.accounts.qr import QrPage
from x2desk.ui.accounts.result import ResultPage
from x2desk.ui.common.session_wizard import SessionWizard
from x2desk.ui.common.widgets import button
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

QR_FLOWS = frozenset({"telegram_qr", "whatsapp"})
DETAILS_PAGE = {
    "telegram_code": "account_phone",
    "max_code": "account_phone",
    "telegram_bot": "account_bot",
    "odnoklassniki": "account_group",
}
REAUTH_FLOW = {"telegram": "telegram_qr", "max_personal": "max_code"}
LOGIN_PAGES = frozenset({"account_qr", "account_code", "account_password"})
ACCOUNT_CHOICE = "accounts"


class AccountsWizard(SessionWizard):
    """Signals: ``closed()`` (done or cancelled), ``back_to_choose()`` (Back on the first page),
    ``page_shown(page_id)`` (all three from :class:`SessionWizard`), ``connected(Connection)``.

    ``scheduler_factory`` and ``clock`` let tests run sessions on a fake clock;
    ``interval_s`` is the poll interval (5 s, or ``ctx.extras["account_poll_s"]``; never
    below 1 s)."""

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
            heading=self.tr("Connect an account"),
            steps=[self.tr("What to connect"), self.tr("Provider"), self.tr("Details"),
                   self.tr("Log in"), self.tr("Done")],
            clock=clock,
            scheduler_factory=scheduler_factory,
            countdown_ms=countdown_ms,
        )  # fmt: skip
        # 5 s, or what the context says (the demo's autopilot: 1 s, the floor)
        self.interval_s = float(
            interval_s if interval_s is not None else ctx.extras.get("account_poll_s", 5.0)
        )
        self.backoff_s = backoff_s or ctx.extras.get("account_backoff_s")
        self.kind: str | None = None
        self.reauth_id: int | str | None = None
        self.base_url = ctx.provider_api
        self.api_key: Secret | None = None
        self.session: Any = None
        self._client: Any = None
        self._scheduler: Any = None
        self._loaded_key = False

        self.kind_page = KindPage(self)
        self.provider = ProviderPage(self)
        self.phone = PhonePage(self)
        self.bot = BotTokenPage(self)
        self.group = GroupKeyPage(self)
        self.qr = QrPage(self)
        self.code = CodePage(self)
        self.password = PasswordPage(self)
        self.result = ResultPage(self)
        self.add_pages(
            self.kind_page, self.provider, self.phone, self.bot, self.group,
            self.qr, self.code, self.password, self.result,
        )  # fmt: skip
        # the saved key is in the encrypted file and it is locked: a way to type its passphrase
        self.unlock_button = button(
            self.tr("&Unlock the saved key…"), "providerUnlock", accessible="Unlock the saved key"
        )
        self.unlock_button.clicked.connect(lambda: self.unlock_key())
        self.unlock_button.hide()
        self.provider.lay.insertWidget(
            self.provider.lay.count() - 1, self.unlock_button, 0, Qt.AlignmentFlag.AlignLeft
        )

    # ---- life ----------------------------------------------------------------------------------

    def start(self, kind: str | None = None) -> None:
        """The first page (or, with ``kind``, straight to the provider page for it)."""
        self.stop_session()
        self.reauth_id = None
        self.kind = None
        for page in (self.bot, self.group, self.code, self.password):
            page.reset()
        if kind is not None:
            self.kind_page.select(kind)
            self.kind = kind
            self._show_provider()
        else:
            self._show("account_kind")

    def start_reauth(
        self, connection_type: str, connection_id: int | str, api_base: str | None = None
    ) -> None:
        """Re-authorise an existing Telegram or MAX connection: no new connection afterwards."""
        if connection_type not in REAUTH_FLOW:
            raise InputError(
                f"Only Telegram and MAX account connections can be re-authorised, not "
                f"'{connection_type}'."
            )
        self.stop_session()
        self.kind = REAUTH_FLOW[connection_type]
        self.kind_page.select(self.kind)
        self.reauth_id = connection_id
        if api_base:
            self.base_url = api_base
        self._show_provider()

    # ---- provider ------------------------------------------------------------------------------

    def _show_provider(self) -> None:
        self.provider.banner.clear_message()
        if self.reauth_id is not None:
            self.provider.show_info(
                self.tr("Re-authorising connection {id}: no new connection will be made.").format(
                    id=self.reauth_id
                )
            )
        self.provider.fill(self.base_url, self.api_key)
        self._show("account_provider")
        if self.api_key is None and not self._loaded_key:
            self._load_key()

    def _load_key(self) -> None:
        """Prefill the key: the credential store, or in demo mode the sandbox's dashboard.

        When the store is the encrypted file and it is locked, offer its passphrase dialog (at
        once when re-authorising) and prefill the key once it is open."""
        self._loaded_key = True
        url = self.base_url
        demo_url = self.ctx.sandbox_url if self.ctx.demo else None
        cached = self.ctx.extras.get("provider_key")
        unlocked = self.unlocked_store()

        def load() -> tuple[Secret | None, str, bool]:
            if isinstance(cached, Secret):
                return cached, "", False
            from x2desk.core.accounts.client import provider_key_ref
            from x2desk.core.store.credentials import open_credential_store

            locked = False
            try:
                key = open_credential_store().load(provider_key_ref(url))
            except X2DeskError as exc:
                key = None
                if self.needs_passphrase(exc):
                    if unlocked is not None:
                        key = unlocked.load(provider_key_ref(url))
                    else:
                        locked = True
            if key is not None:
                return key, "The API key saved for this provider was filled in.", False
            if demo_url:
                from x2desk.sandbox.phone import SandboxPhone

                with SandboxPhone(demo_url) as phone:
                    return (
                        Secret(phone.provider_key()),
                        ("Demo: the sandbox's dashboard gave an API key; it is filled in."),
                        False,
                    )
            return None, "", locked

        def done(result: tuple[Secret | None, str, bool]) -> None:
            key, note, locked = result
            if key is not None and self.api_key is None:
                self.provider.fill(self.provider.url_edit.text() or url, key, self.tr(note))
            elif locked and self.api_key is None:
                self._show_locked()
                if self.reauth_id is not None:
                    self.unlock_key()

        self._job = run_in_worker(load, done, lambda _e: None, "provider key")

    def _show_locked(self, text: str = "") -> None:
        self.provider.banner.show_message(
            text
            or self.tr(
                "The API key saved for this provider is in the encrypted credentials file, which "
                "is locked. Unlock it with its passphrase, or type the key."
            ),
            "warning",
        )
        self.unlock_button.show()

    def unlock_key(self, hint: str = "") -> None:
        """Ask for the encrypted file's passphrase; once it opens, fill in the saved key."""
        url = self.provider.url_edit.text().strip().rstrip("/") or self.base_url

        def opened(store: Any) -> None:
            from x2desk.core.accounts.client import provider_key_ref

            self.unlock_button.hide()
            try:
                key = store.load(provider_key_ref(url))
            except X2DeskError as exc:
                self._show_locked(provider_message(exc))
                return
            if key is None:
                self.provider.show_info(
                    self.tr("The encrypted file is open, but it has no key for this provider.")
                )
                return
            self.provider.fill(url, key, self.tr("The saved API key was filled in."))
            if self.reauth_id is not None:
                self.provider.show_info(
                    self.tr(
                        "Re-authorising connection {id}: the saved key was filled in; press Next."
                    ).format(id=self.reauth_id)
                )

        def failed(exc: BaseException) -> None:
            self._show_locked(provider_message(exc))
            if self.needs_passphrase(exc):  # a wrong passphrase: ask again, saying so
                self.unlock_key(provider_message(exc))

        self.ask_to_unlock(opened, failed, hint)

    def _verify_provider(self) -> None:
        try:
            url, key = self.provider.values()
        except InputError as exc:
            self.provider.show_error(exc.message)
            return
        remember = self.provider.remember.isChecked()
        unlocked = self.unlocked_store()
        self.unlock_button.hide()
        self.provider.banner.clear_message()
        self.provider.set_busy(True, self.tr("Checking the key with the provider…"))

        def verify() -> tuple[list[Any], str]:
            from x2desk.core.accounts.client import ConnectionsClient, provider_key_ref

            with ConnectionsClient(url, key, wall_time=self.clock.time) as client:
                connections = client.list_connections()
            note = ""
            if remember:
                try:
                    from x2desk.core.store.credentials import open_credential_store

                    try:
                        store = open_credential_store()
                    except X2DeskError as exc:  # locked: the file opened in this window
                        store = unlocked
                        if not self.needs_passphrase(exc) or store is None:
                            raise
                    store.save(provider_key_ref(url), key)
                except X2DeskError as exc:
                    note = f"The key works but was not saved: {exc.message}"
            return connections, note

        def done(result: tuple[list[Any], str]) -> None:
            self._job = None
            self.provider.set_busy(False)
            connections, note = result
            self.base_url, self.api_key = url, key
            self.ctx.extras["provider_key"] = key
            groups = [
                (f"{c.name} (#{c.id}, {c.status})", c.id)
                for c in connections
                if c.type == "odnoklassniki"
            ]
            self.group.set_groups(groups)
            self._after_provider(note)

        def failed(exc: BaseException) -> None:
            self._job = None
            self.provider.set_busy(False)
            self.provider.show_error(provider_message(exc))

        self._job = run_in_worker(verify, done, failed, "provider check")

    def _after_provider(self, note: str = "") -> None:
        kind = self.kind or "telegram_qr"
        page_id = DETAILS_PAGE.get(kind)
        if page_id is None:
            self._begin(kind)
            return
        if page_id == "account_phone":
            self.phone.set_flow(kind, self.reauth_id is not None)
        page = self.frame.page(page_id)
        self._show(page_id)
        if note:
            page.banner.show_message(note, "warning")  # type: ignore[attr-defined]

    # ---- the session ---------------------------------------------------------------------------

    def _client_for_session(self) -> Any:
        from x2desk.core.accounts.client import ConnectionsClient

        assert self.api_key is not None
        if self._client is None:
            self._client = ConnectionsClient(self.base_url, self.api_key, wall_time=self.clock.time)
        return self._client

    def _make_driver(self, kind: str) -> Any:
        from x2desk.core.accounts import drivers as ls

        client = self._client_for_session()
        if kind == "telegram_qr":
            return ls.TelegramQrDriver(client, connection_id=self.reauth_id)
        if kind == "whatsapp":
            return ls.WhatsAppDriver(client)
        if kind in ("telegram_code", "max_code"):
            cls = ls.TelegramCodeDriver if kind == "telegram_code" else ls.MaxCodeDriver
            return cls(
                client,
                self.phone.phone(),
                self.phone.name_edit.text().strip(),
                connection_id=self.reauth_id,
            )
        if kind == "telegram_bot":
            return ls.TelegramBotDriver(client, self.bot.token(), self.bot.name_edit.text().strip())
        if kind == "odnoklassniki":
            return ls.OdnoklassnikiDriver(
                client,
                self.group.key(),
                self.group.name_edit.text().strip(),
                connection_id=self.group.target(),
            )
        raise InputError(f"Unknown kind of connection '{kind}'.")

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
            interval_s=self.interval_s,
            backoff_s=self.backoff_s or DEFAULT_BACKOFF_S,
        )
        self._attach_session(self.session)
        if driver.flow in QR_FLOWS:
            self.qr.set_flow(driver.flow)
            self._show("account_qr")
        elif self.frame.current is not None:
            busy = getattr(self.frame.current, "set_busy", None)
            if busy is not None:
                busy(True, self.tr("Asking the provider…"))
        self._run_session(self.session)

    def _running(self) -> Any:
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

    def show_snapshot(self, snap: Any) -> None:
        """Show ``snap`` on the page for its state."""
        if self.session is None:
            return
        self.snapshot = snap
        state = snap.state.value
        flow = snap.flow
        if state in ("starting",):
            if flow in QR_FLOWS:
                self._show("account_qr")
                self.qr.show_snapshot(snap)
            elif self.frame.current is self.result:
                self.result.show_snapshot(snap)
        elif state in ("waiting_for_qr", "loading"):
            self._show("account_qr")
            self.qr.show_snapshot(snap)
        elif state == "waiting_for_code":
            if self.frame.current is not self.code:
                driver = self.session.driver
                self.code.set_flow(flow, getattr(driver, "phone", ""))
                self._show("account_code")
            self.code.show_snapshot(snap)
        elif state == "waiting_for_password":
            if self.frame.current is not self.password:
                self.password.reset()
                self._show("account_password")
            self.password.show_snapshot(snap)
        else:
            for page in (self.phone, self.bot, self.group, self.qr, self.code, self.password):
                page.set_busy(False)
            self.qr.clear_qr("")  # an ended session leaves no QR behind
            self._show("account_result")
            self.result.show_snapshot(snap)
            if state == "connected":
                self.timer.stop()
                self._record(snap)
            elif snap.terminal:
                self.timer.stop()
        self.frame.refresh()

    def _record(self, snap: Any) -> None:
        conn = snap.result
        if conn is None or not hasattr(conn, "type") or self._recorded is conn:
            return
        self._recorded = conn
        self.connected.emit(conn)
        session = self.session

        def save() -> None:
            from x2desk.core.accounts.drivers import record_login

            record_login(session)

        def failed(exc: BaseException) -> None:
            self.result.banner.show_message(
                self.tr("Connected at the provider, but not recorded on this computer: {m}").format(
                    m=provider_message(exc)
                ),
                "warning",
            )

        run_in_worker(save, None, failed, "record connection")

    # ---- actions from pages --------------------------------------------------------------------

    def restart(self) -> None:
        """Start the same flow again (after the session ended, failed or was cancelled)."""
        if self.session is None:
            self._after_provider()
            return
        self.timer.start()
        if self.kind in QR_FLOWS:
            self.qr.set_flow(self.kind)
        self.session.restart()

    def fix_details(self) -> None:
        key = getattr(self.snapshot, "error_key", None)
        self.stop_session()
        if key in ("invalid_auth", "scope_missing") or self.kind not in DETAILS_PAGE:
            self._show_provider()
        else:
            self._after_provider_page_only()

    def _after_provider_page_only(self) -> None:
        page_id = DETAILS_PAGE[self.kind or ""]
        page = self.frame.page(page_id)
        page.set_busy(False)  # type: ignore[attr-defined]
        self._show(page_id)

    # ---- navigation ----------------------------------------------------------------------------

    def _next_from(self, page: WizardPage) -> None:
        pid = page.page_id
        if pid == "account_kind":
            self.kind = self.kind_page.selected()
            self._show_provider()
        elif pid == "account_provider":
            self._verify_provider()
        elif pid in ("account_phone", "account_bot", "account_group"):
            page.banner.clear_message()  # type: ignore[attr-defined]
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
        elif pid in ("account_phone", "account_bot", "account_group"):
            self._show_provider()
        elif pid in LOGIN_PAGES or pid == "account_result":
            self.stop_session()
            if self.kind in DETAILS_PAGE:
                self._after_provider_page_only()
            else:
                self._show_provider()


# ---- the hook into the X2Chat wizard's "What to connect" page ---------------------------------


class _ChoiceRouter(QObject):
    """Sends Next on the "What to connect" page to the accounts wizard when its choice is
    selected, and to the X2Chat wizard otherwise."""

    def __init__(self, wizard: Any, open_accounts: Callable[[], None]) -> None:
        super().__init__(wizard)
        self.wizard = wizard
        self.open_accounts = open_accounts

    def next(self) -> None:
        wiz = self.wizard
        if wiz.frame.current is wiz.choose and wiz.choose.selected() == ACCOUNT_CHOICE:
            wiz.shutdown()
            self.open_accounts()
        else:
            wiz._next()


def add_account_choice(x2chat_wizard: Any, open_accounts: Callable[[], None]) -> None:
    """Offer the accounts on ``x2chat_wizard``'s "What to connect" page; choosing them and
    pressing Next calls ``open_accounts()``."""
    choose = x2chat_wizard.choose
    if ACCOUNT_CHOICE in choose.buttons:
        return
    choose.add_choice(
        ACCOUNT_CHOICE,
        choose.tr("Messenger account or bot"),
        choose.tr(
            "A Telegram, WhatsApp or MAX account, a Telegram bot or an Odnoklassniki group, "
            "through your connections provider: scan a QR or type a login code."
        ),
    )
    router = _ChoiceRouter(x2chat_wizard, open_accounts)
    frame = x2chat_wizard.frame
    try:
        frame.next_requested.disconnect(x2chat_wizard._next)
    except (RuntimeError, TypeError):
        log.debug("the X2Chat wizard's Next was not connected as expected")
    frame.next_requested.connect(router.next)
