"""The home view: the active profile's saved connections (never a secret), with what can be done
to them, and a prominent "Connect…".

A table (:mod:`.model`, :mod:`.delegate`) of label, kind, company, status and last check, read
in a worker (:mod:`.work`) with the search and filters of :mod:`.filters`; sorted by a click
on a column's heading. The actions (:mod:`.actions`) are buttons under it, the table's context
menu and keys: F5 check, Shift+F5 check all, Ctrl+T test message, Ctrl+R the kind's fix
(re-authorise, re-pair, change key), F2 rename, Ctrl+E export, Enter details, Delete forget.
"Check all" (:mod:`.check_all`) runs in the background with its progress and a Cancel.

Start-up: only the heading and a blank area are built with the view; the rest (and every Qt
class and enum it needs) comes with the first rows, after the window's first paint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from x2desk.i18n import _
from x2desk.ui.common.widgets import Banner, button, card, label

if TYPE_CHECKING:
    from x2desk.core.home.rows import Row
    from x2desk.ui.context import AppContext
    from x2desk.ui.home.body import HomeBody
    from x2desk.ui.home.journal import JournalNotice
    from x2desk.ui.home.work import Listing

log = logging.getLogger(__name__)


def _top_aligned(widget: QWidget) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    column.addStretch(1)
    return column


class HomeView(QWidget):
    """Signals: ``connect_requested()``, ``reauth_requested(kind, connection id, address,
    company)``, ``repair_requested(record id)``, ``change_key_requested(connection id, address,
    company)``, ``settings_requested()``, ``profile_changed(title)`` (the active profile, once
    known and after each switch), ``rows_shown()`` after each load."""

    connect_requested = Signal()
    reauth_requested = Signal(str, str, str, str)
    repair_requested = Signal(str)
    change_key_requested = Signal(str, str, str)
    settings_requested = Signal()
    profile_changed = Signal(str)
    rows_shown = Signal()

    def __init__(
        self,
        demo: bool = False,
        parent: QWidget | None = None,
        *,
        build_now: bool = True,
        ctx: AppContext | None = None,
    ) -> None:
        """``build_now=False`` (start-up): only the heading and a blank area now; the rest is
        built by the first :meth:`set_rows` (each widget costs style-sheet matching, and none
        of them is in the first paint)."""
        super().__init__(parent)
        self._demo = demo
        self._ctx = ctx
        self._load_job: Any = None  # the worker reading the record store, if any
        self._load_failed = False  # the banner says the records could not be read
        self.setObjectName("home")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 20)
        outer.setSpacing(12)

        outer.addLayout(self._heading())

        self.banner = Banner("homeBanner")
        outer.addWidget(self.banner)
        self._outer = outer
        self.journal: JournalNotice | None = None  # made by check_journal, after the start
        self.dialog: QWidget | None = None  # the question last asked (tests, the autopilot)

        self.stack = QStackedWidget()
        self._loading = QWidget()  # shown until the records are read, just after start-up
        self._loading.setObjectName("homeLoading")
        self.stack.addWidget(self._loading)
        outer.addWidget(self.stack, 1)
        self._empty_page: QWidget | None = None
        self._body: HomeBody | None = None
        self.rows: list[Row] = []  # the rows last read, in the store's order
        self.total = 0  # how many connections the profile has (not only those shown)
        self.profile = ""  # the active profile's name, once read
        if build_now:
            self.build()
            self.stack.setCurrentIndex(1)  # the empty state, as before any rows

    def _heading(self) -> QHBoxLayout:
        """ "Your connections" (and, with nothing connected yet, what this is), and Connect…."""
        head = QHBoxLayout()
        self.titles = QVBoxLayout()
        self.titles.setSpacing(6)
        self.titles.addWidget(label(_("Your connections"), "pageTitle", wrap=False))
        self.subtitle = label(
            _(
                "Bots and accounts x2desk has connected. Their secrets are kept safely by this "
                "computer's password store and never shown here."
            ),
            "pageSubtitle",
        )
        self.titles.addWidget(self.subtitle)
        head.addLayout(self.titles, 1)
        self.connect_button = button(_("&Connect…"), "connectButton", primary=True)
        self.connect_button.setAccessibleName(_("Connect"))
        self.connect_button.setToolTip(_("Connect a bot or account (Ctrl+N)"))
        self.connect_button.setMinimumHeight(40)
        self.connect_button.setMinimumWidth(150)
        # top-aligned by a stretch under it: no ``Qt.AlignmentFlag`` (PySide6's slow enums)
        # before the first paint
        head.addLayout(_top_aligned(self.connect_button))
        self.connect_button.clicked.connect(self.connect_requested)
        return head

    @property
    def ctx(self) -> AppContext:
        if self._ctx is None:
            from x2desk.ui.context import AppContext

            self._ctx = AppContext()
        return self._ctx

    def build(self) -> HomeBody:
        """The empty state, the list, its filters and actions (once)."""
        if self._body is not None:
            return self._body
        from x2desk.ui.home.body import HomeBody

        self._empty_page = self._build_empty_state()
        self.stack.addWidget(self._empty_page)
        body = HomeBody(self, self.ctx)
        self.stack.addWidget(body)
        self._outer.insertWidget(1, body.profiles)  # under the heading: over the list, or none
        settings = button(_("&Settings…"), "settingsButton")
        settings.setToolTip(_("Language, look, camera, addresses, this computer (Ctrl+,)"))
        settings.clicked.connect(self.settings_requested)
        body.profiles.layout().addWidget(settings)  # type: ignore[union-attr]
        self._body = body
        from x2desk.ui.common.label_field import records_changed

        records_changed().changed.connect(self.reload)  # a wizard's label, say
        return body

    @property
    def body(self) -> HomeBody:
        return self.build()

    @property
    def table(self) -> Any:
        return self.body.table

    def _build_empty_state(self) -> QWidget:
        """ "Nothing connected yet": how connecting goes, and a button to start."""
        empty, lay = card("emptyState")
        lay.setContentsMargins(36, 34, 36, 34)
        lay.addWidget(label(_("Nothing connected yet"), "emptyTitle", role="big"))
        lay.addWidget(
            label(
                _(
                    "Connecting takes about a minute and nobody has to copy a secret:\n\n"
                    "1.  Press Connect… and choose what to connect (an X2Chat bot, for a start).\n"
                    "2.  In the X2Chat app on your phone, make an integration QR for the bot.\n"
                    "3.  Hold the phone up to this computer's camera (or paste the token).\n\n"
                    "x2desk trades the one-time code for the bot's key, checks the bot and "
                    "keeps the key safely in this computer's password store."
                ),
                "emptyText",
            )
        )
        start = button(_("Connect your first bot…"), "emptyConnectButton", primary=True)
        start.clicked.connect(self.connect_requested)
        lay.addSpacing(6)
        start_row = QHBoxLayout()
        start_row.addWidget(start)
        start_row.addStretch(1)
        lay.addLayout(start_row)
        if self._demo:
            lay.addWidget(
                label(
                    _(
                        "Demo: a pretend X2Chat answers, and the camera sees the phone on the "
                        "right. Nothing leaves this computer."
                    ),
                    "emptyDemoNote",
                    role="muted",
                )
            )
        empty_page = QWidget()  # the card keeps its natural height at the top
        empty_lay = QVBoxLayout(empty_page)
        empty_lay.setContentsMargins(0, 0, 0, 0)
        empty_lay.addWidget(empty)
        empty_lay.addStretch(1)
        return empty_page

    # ---- the rows ------------------------------------------------------------------------------

    def set_rows(self, rows: list[Row], total: int | None = None) -> None:
        """Show ``rows`` (of ``total`` connections in the profile: more when filtered)."""
        body = self.build()
        self.rows = list(rows)
        self.total = len(rows) if total is None else total
        body.show_rows(self.rows, self.total)
        empty = self.total == 0 and not body.filters.narrowed()
        self.stack.setCurrentWidget(self._empty_page if empty and self._empty_page else body)
        self.subtitle.setVisible(empty)
        self.rows_shown.emit()

    def reload(self) -> None:
        """Read the records (SQLite) and the profiles in a worker, then show them (a later call
        wins)."""
        from x2desk.ui.common.workers import run_in_worker
        from x2desk.ui.home.work import list_connections

        if self._load_job is not None:
            self._load_job.discard()
        query = self.build().filters.query()
        self._load_job = run_in_worker(
            lambda: list_connections(query), self._rows_loaded, self._rows_failed, "records"
        )

    def _rows_loaded(self, listing: Listing) -> None:
        self._load_job = None
        if self._load_failed:  # the store can be read again: its error is over
            self._load_failed = False
            self.banner.clear_message()
        profile = next((p for p in listing.profiles if p.name == listing.active), None)
        self.body.profiles.set_profiles(listing.profiles, listing.active)
        self.body.profile_list = listing.profiles
        changed = listing.active != self.profile
        self.profile = listing.active
        self.set_rows(listing.rows, listing.total)
        if changed and profile is not None:
            alone = len(listing.profiles) == 1 and profile.is_default and not profile.title
            self.profile_changed.emit("" if alone else profile.display_name)

    def _rows_failed(self, exc: BaseException) -> None:
        self._load_job = None
        if not isinstance(exc, ImportError):
            from x2desk.core.texts import error_text

            log.debug("cannot read records: %s", type(exc).__name__)
            self.banner.show_message(error_text(exc), "error")
            self._load_failed = True
        self.set_rows([])

    @property
    def loading(self) -> bool:
        """True while the saved connections are being read."""
        return self._load_job is not None

    def show_loading(self) -> None:
        """A quiet blank area until :meth:`reload` (no flash of the empty state)."""
        self.stack.setCurrentWidget(self._loading)

    def is_empty_state(self) -> bool:
        return self._empty_page is not None and self.stack.currentWidget() is self._empty_page

    def say(self, text: str, tone: str = "info") -> None:
        self.banner.show_message(text, tone)

    def check_journal(self) -> None:
        """Once, after the start: what an earlier run left unfinished, as a calm notice."""
        from x2desk.ui.home.journal import JournalNotice

        if self.journal is None:
            self.journal = JournalNotice()
            self._outer.insertWidget(self._outer.indexOf(self.banner) + 1, self.journal)
            self.journal.check()
