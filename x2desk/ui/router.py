"""Where the window goes: home, "What to connect" and the three wizards.

The :class:`Router` owns the chooser (:class:`~x2desk.ui.choose.Chooser`) and the wizards, built
on first use and kept in the window's stack of views. Choosing a card opens that wizard; Back on a
wizard's first page comes back to the chooser; a wizard that closes goes home. The home view's
actions go through the same router: Connect… (:meth:`Router.choose`), Re-authorise…
(:meth:`Router.reauthorise`) and Re-pair… (:meth:`Router.repair`). No wizard knows another: each
has ``start()``, ``shutdown()`` and the signals ``closed`` and ``back_to_choose``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QStackedWidget, QWidget

    from x2desk.ui.accounts.wizard import AccountsWizard
    from x2desk.ui.choose import Chooser
    from x2desk.ui.context import AppContext
    from x2desk.ui.greenapi.batch import BatchView
    from x2desk.ui.greenapi.wizard import GreenApiWizard
    from x2desk.ui.home.view import HomeView
    from x2desk.ui.settings.dialog import SettingsDialog

X2CHAT, ACCOUNTS, GREENAPI = "x2chat_bot", "accounts", "greenapi"


class Wizard(Protocol):
    """What the router needs of a wizard."""

    closed: SignalInstance
    back_to_choose: SignalInstance

    def start(self) -> None: ...

    def shutdown(self) -> None: ...


@dataclass(frozen=True)
class Choice:
    """A card of the chooser and the wizard it opens."""

    key: str
    title: str  # N_: translated when shown
    description: str  # N_
    steps: tuple[str, ...]  # the wizard's step list (N_)
    make: Callable[[AppContext], Wizard]


def _x2chat(ctx: AppContext) -> Wizard:
    from x2desk.ui.x2chat.wizard import X2ChatWizard

    return X2ChatWizard(ctx)


def _accounts(ctx: AppContext) -> Wizard:
    from x2desk.ui.accounts.wizard import AccountsWizard

    return AccountsWizard(ctx)


def _greenapi(ctx: AppContext) -> Wizard:
    from x2desk.ui.greenapi.wizard import GreenApiWizard

    return GreenApiWizard(ctx)


def choices() -> list[Choice]:
    """The chooser's cards, in order (imported when the chooser is first shown)."""
    from x2desk.ui.accounts.common import STEPS as ACCOUNT_STEPS
    from x2desk.ui.greenapi.common import STEPS as GREENAPI_STEPS
    from x2desk.ui.x2chat.actions import STEPS as X2CHAT_STEPS

    return [
        Choice(
            X2CHAT,
            N_("X2Chat bot"),
            N_(
                "Scan the integration QR from the X2Chat app: x2desk gets the bot's key and "
                "chat, checks that the bot works and keeps the key safely in this computer's "
                "password store."
            ),
            X2CHAT_STEPS,
            _x2chat,
        ),
        Choice(
            ACCOUNTS,
            N_("Messenger account or bot"),
            N_(
                "A Telegram, WhatsApp or MAX account, a Telegram bot or an Odnoklassniki group, "
                "through your connections provider: scan a QR or type a login code."
            ),
            ACCOUNT_STEPS,
            _accounts,
        ),
        Choice(
            GREENAPI,
            N_("Green-API instance"),
            N_(
                "A Telegram account on a Green-API instance: type the instance's ID and token, "
                "then link the account by a QR or a login code. The token is kept safely by "
                "this computer's password store."
            ),
            GREENAPI_STEPS,
            _greenapi,
        ),
    ]


class Router(QObject):
    """Shows home, the chooser or a wizard in ``views`` (which holds ``home`` already).
    Signals: ``went_home()`` when home is shown again (a wizard closed or was cancelled)."""

    went_home = Signal()

    def __init__(self, ctx: AppContext, views: QStackedWidget, home: HomeView) -> None:
        super().__init__(views)
        self.ctx = ctx
        self.views = views
        self.home = home
        self.chooser: Chooser | None = None
        self.wizards: dict[str, Wizard] = {}
        self._choices: dict[str, Choice] = {}
        self.settings_dialog: SettingsDialog | None = None
        self.batch_view: BatchView | None = None
        self._first_page: dict[str, str] = {}  # where each wizard started
        self._resumed: set[str] = set()  # wizards started on a saved connection

    # ---- where to go ---------------------------------------------------------------------------

    def choose(self) -> None:
        """ "What to connect" (Connect… on the home view, Ctrl+N, Back on a wizard's first page)."""
        chooser = self._chooser()
        if self.views.currentWidget() is chooser:
            return
        self.views.setCurrentWidget(chooser)  # shown first: its page then takes the focus
        chooser.enter()

    def open(self, key: str) -> Wizard:
        """The wizard of the choice ``key``, from its first page."""
        wizard = self._wizard(key)
        wizard.start()
        self._resumed.discard(key)
        self._first_page[key] = _page_id(wizard)
        return wizard

    def reauthorise(
        self, kind: str, connection_id: str, api_base: str = "", company_id: str = ""
    ) -> None:
        """Log a saved Telegram or MAX connection in again (the accounts wizard), at the address
        and in the company it was made in."""
        wizard: AccountsWizard = self._wizard(ACCOUNTS)  # type: ignore[assignment]
        conn_id: int | str = int(connection_id) if connection_id.isdigit() else connection_id
        wizard.start_reauth(kind, conn_id, api_base or None, company_id or None)
        self._resumed.add(ACCOUNTS)

    def change_key(self, connection_id: str, api_base: str = "", company_id: str = "") -> None:
        """Give a connected Odnoklassniki group a new API key (the accounts wizard)."""
        wizard: AccountsWizard = self._wizard(ACCOUNTS)  # type: ignore[assignment]
        conn_id: int | str = int(connection_id) if connection_id.isdigit() else connection_id
        wizard.start_change_key(conn_id, api_base or None, company_id or None)

    def batch(self) -> None:
        """Pair many Green-API instances from a CSV file (made once, kept in the stack)."""
        from x2desk.ui.greenapi.batch import BatchView

        self._settings()
        if self.batch_view is None:
            self.batch_view = BatchView(self.ctx)
            self.batch_view.closed.connect(self.go_home)
            self.views.addWidget(self.batch_view)
        for wizard in self.wizards.values():
            wizard.shutdown()  # one flow at a time
        self.views.setCurrentWidget(self.batch_view)
        self.batch_view.start()

    def settings(self) -> None:
        """The settings dialog (made once, shown again)."""
        from x2desk.ui.settings.dialog import SettingsDialog

        self._settings()
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.ctx, self.views.window())
            self.settings_dialog.addresses_changed.connect(self._addresses_changed)
        self.settings_dialog.open_at_start()

    def _addresses_changed(self) -> None:
        if self.ctx.sandbox_url is None:
            self.ctx.load_settings()  # the wizards' next start uses them

    def repair(self, record_id: str) -> None:
        """Pair a saved Green-API instance again (the Green-API wizard)."""
        wizard: GreenApiWizard = self._wizard(GREENAPI)  # type: ignore[assignment]
        wizard.start_repair(record_id)
        self._resumed.add(GREENAPI)

    def go_home(self) -> None:
        self.views.setCurrentWidget(self.home)
        self.home.reload()
        self.home.connect_button.setFocus()
        self.went_home.emit()

    def place(self) -> str:
        """What is shown: ``home``, ``choose`` or the key of a wizard."""
        current = self.views.currentWidget()
        if self.chooser is not None and current is self.chooser:
            return "choose"
        for key, wizard in self.wizards.items():
            if wizard is current:
                return key
        return "home"

    def flow_running(self) -> bool:
        """Whether a wizard on screen holds work a person would lose if it were rebuilt: it
        left its first page, or it works on a saved connection (re-authorise, re-pair)."""
        key = self.place()
        wizard = self.wizards.get(key)
        if wizard is None:
            return False
        return key in self._resumed or _page_id(wizard) != self._first_page.get(key)

    def shutdown(self) -> None:
        """The window closes: every wizard stops (cameras, sessions)."""
        for wizard in self.wizards.values():
            wizard.shutdown()
        if self.batch_view is not None:
            self.batch_view.shutdown()
            self.batch_view.close_stores()

    def wizard(self, key: str) -> Wizard | None:
        """The wizard of ``key`` if it was built (tests, the autopilot)."""
        return self.wizards.get(key)

    # ---- building --------------------------------------------------------------------------------

    def _settings(self) -> None:
        if self.ctx.settings_pending:  # the saved API bases, read once a wizard is wanted
            self.ctx.settings_pending = False
            self.ctx.load_settings()

    def _chooser(self) -> Chooser:
        self._settings()
        if self.chooser is None:
            from x2desk.ui.choose import Chooser

            chooser = Chooser()
            for choice in choices():
                self._choices[choice.key] = choice
                steps = [_(step) for step in choice.steps]
                chooser.add_choice(choice.key, _(choice.title), _(choice.description), steps)
            chooser.chosen.connect(self._chosen)
            chooser.closed.connect(self.go_home)
            self.views.addWidget(chooser)
            self.chooser = chooser
        return self.chooser

    def _chosen(self, key: str) -> None:
        self.open(key)

    def _wizard(self, key: str) -> Wizard:
        """The wizard of ``key`` (built once), shown."""
        self._chooser()  # the table of choices, and the settings
        wizard = self.wizards.get(key)
        if wizard is None:
            wizard = self._choices[key].make(self.ctx)
            wizard.closed.connect(self.go_home)
            wizard.back_to_choose.connect(self.choose)
            if key == GREENAPI:
                wizard.batch_requested.connect(self.batch)  # type: ignore[attr-defined]
            self.views.addWidget(_widget(wizard))
            self.wizards[key] = wizard
        for other in self.wizards.values():
            if other is not wizard:
                other.shutdown()  # one flow at a time: no camera or session left behind
        if self.batch_view is not None:
            self.batch_view.shutdown()
        self.views.setCurrentWidget(_widget(wizard))
        return wizard


def _page_id(wizard: Wizard) -> str:
    page = getattr(getattr(wizard, "frame", None), "current", None)
    return str(getattr(page, "page_id", ""))


def _widget(wizard: Wizard) -> QWidget:
    from PySide6.QtWidgets import QWidget

    assert isinstance(wizard, QWidget)
    return wizard
