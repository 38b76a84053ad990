"""The home view: saved connections (never a secret) and a prominent "Connect…"."""

from __future__ import annotations

import builtins
import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from x2desk.core.kinds import KINDS, Fix, Service
from x2desk.i18n import _
from x2desk.ui.common.widgets import Banner, button, card, label

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget

    from x2desk.core.store.records import Record
    from x2desk.ui.home.journal import JournalNotice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConnectionRow:
    """What the home list shows of a saved connection: no secret in here."""

    id: str
    title: str
    kind: str
    detail: str
    raw_kind: str = ""  # the record's kind (telegram, max_personal...)
    external_id: str = ""  # the provider's connection id, for re-authorisation
    api_base: str = ""
    company_id: str = ""  # the provider's company it was made in (re-authorisation needs it)
    fix: Fix | None = None  # what can be done when it stops working (core.kinds)


def row_from_record(rec: Record) -> ConnectionRow:
    """Turn a saved record into a row: its name (a bot's @username), its kind's name, and what
    tells it apart (chat, instance or connection id, when it was saved)."""
    known = KINDS.get("x2chat_bot" if rec.kind == "x2chat" else rec.kind)
    kind_name = _(known.name) if known is not None else rec.kind
    bot = known is not None and known.service is Service.X2CHAT
    name = rec.username or rec.name if bot else rec.name
    title = (f"@{name}" if bot else name) if name else kind_name
    parts = []
    if rec.chat_id is not None:
        parts.append(_("chat {id}").format(id=rec.chat_id))
    if known is not None and known.service is Service.GREENAPI:
        parts.append(_("instance {id}").format(id=rec.external_id))
    elif not bot:
        parts.append(_("connection {id}").format(id=rec.external_id))  # tells two apart
    when = dt.datetime.fromtimestamp(rec.updated_at).strftime("%Y-%m-%d %H:%M")
    parts.append(_("saved {when}").format(when=when))
    return ConnectionRow(
        id=str(rec.id),
        title=title,
        kind=kind_name,
        detail=" · ".join(parts),
        raw_kind=rec.kind,
        external_id=rec.external_id,
        api_base=rec.api_base or "",
        company_id=str(rec.details.get("company_id") or ""),
        fix=known.fix if known is not None else None,
    )


def load_rows() -> list[ConnectionRow]:
    """The saved connections, newest first. Raises the store's own error when it cannot read."""
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as store:
        return [row_from_record(r) for r in store.list()]


def _top_aligned(widget: QWidget) -> QVBoxLayout:
    column = QVBoxLayout()
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    column.addStretch(1)
    return column


class HomeView(QWidget):
    """Signals: ``connect_requested()``."""

    connect_requested = Signal()
    # kind, provider connection id, provider URL, company id ("" when not known)
    reauth_requested = Signal(str, str, str, str)
    repair_requested = Signal(str)  # the record id of a Green-API instance to pair again

    def __init__(
        self, demo: bool = False, parent: QWidget | None = None, *, build_now: bool = True
    ) -> None:
        """``build_now=False`` (start-up): only the heading and a blank area now; the empty
        state, the list and its buttons are built by the first :meth:`set_rows` (each widget
        costs style-sheet matching, and none of them is in the first paint)."""
        super().__init__(parent)
        self._demo = demo
        self._load_job: Any = None  # the worker reading the record store, if any
        self.setObjectName("home")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 32, 40, 28)
        outer.setSpacing(14)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(label(_("Your connections"), "pageTitle"))
        titles.addWidget(
            label(
                _(
                    "Bots and accounts x2desk has connected. Their secrets are kept safely by "
                    "this computer's password store and never shown here."
                ),
                "pageSubtitle",
            )
        )
        head.addLayout(titles, 1)
        self.connect_button = button(_("&Connect…"), "connectButton", primary=True)
        self.connect_button.setAccessibleName(_("Connect"))
        self.connect_button.setToolTip(_("Connect a bot or account (Ctrl+N)"))
        self.connect_button.setMinimumHeight(40)
        self.connect_button.setMinimumWidth(150)
        # top-aligned by a stretch under it: no ``Qt.AlignmentFlag`` (PySide6's slow enums)
        # before the first paint
        head.addLayout(_top_aligned(self.connect_button))
        outer.addLayout(head)

        self.banner = Banner("homeBanner")
        outer.addWidget(self.banner)
        self._outer = outer
        self.journal: JournalNotice | None = None  # made by check_journal, after the start

        self.stack = QStackedWidget()
        self._loading = QWidget()  # shown until the records are read, just after start-up
        self._loading.setObjectName("homeLoading")
        self.stack.addWidget(self._loading)
        outer.addWidget(self.stack, 1)
        self._actions = QHBoxLayout()
        outer.addLayout(self._actions)
        self._empty_page: QWidget | None = None
        self._list: QListWidget | None = None
        self._reauth_button: QPushButton | None = None
        self._repair_button: QPushButton | None = None
        self.connect_button.clicked.connect(self.connect_requested)
        self.rows: builtins.list[ConnectionRow] = []
        if build_now:
            self._build_body()
            self.stack.setCurrentIndex(1)  # the empty state, as before any rows

    @property
    def list(self) -> QListWidget:
        return self._build_body()[0]

    @property
    def reauth_button(self) -> QPushButton:
        return self._build_body()[1]

    @property
    def repair_button(self) -> QPushButton:
        return self._build_body()[2]

    def _build_body(self) -> tuple[QListWidget, QPushButton, QPushButton]:
        """The empty state, the list and the buttons under it (once)."""
        if self._list is not None:
            assert self._reauth_button is not None and self._repair_button is not None
            return self._list, self._reauth_button, self._repair_button
        self._empty_page = self._build_empty_state()
        self.stack.addWidget(self._empty_page)
        from PySide6.QtWidgets import QListWidget  # not at start-up: each class costs its first use

        lst = QListWidget()
        lst.setObjectName("connectionsList")
        lst.setAccessibleName(_("Saved connections"))
        lst.setUniformItemSizes(True)
        self.stack.addWidget(lst)
        self._list = lst
        reauth = button(_("&Re-authorise…"), "reauthButton")
        reauth.setToolTip(
            _("Log in again to the selected Telegram or MAX account (no new connection)")
        )
        reauth.setEnabled(False)
        reauth.clicked.connect(self._reauth)
        lst.currentRowChanged.connect(self._selection_changed)
        repair = button(_("Re-&pair…"), "repairButton")
        repair.setToolTip(_("Pair the selected Green-API instance again with a new QR"))
        repair.setEnabled(False)
        repair.clicked.connect(self._repair)
        self._reauth_button, self._repair_button = reauth, repair
        self._actions.addWidget(reauth)
        self._actions.addWidget(repair)
        self._actions.addStretch(1)
        return lst, reauth, repair

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

    def set_rows(self, rows: builtins.list[ConnectionRow]) -> None:
        # the painter of the rows is imported on first use: keeps its Qt classes off start-up
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QIcon
        from PySide6.QtWidgets import QListWidgetItem

        from x2desk.ui.home.delegate import DETAIL_ROLE, TITLE_ROLE, ConnectionDelegate

        if not isinstance(self.list.itemDelegate(), ConnectionDelegate):
            self.list.setItemDelegate(ConnectionDelegate(self.list))
        self.rows = list(rows)
        self.list.clear()
        icon = QIcon.fromTheme("network-wireless")
        for r in rows:
            # the kind is said once: not again under a title that already is the kind's name
            second = [r.detail] if r.title == r.kind else [r.kind, r.detail]
            detail = "  ·  ".join(part for part in second if part)
            item = QListWidgetItem(icon, f"{r.title}\n{detail}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setData(TITLE_ROLE, r.title)
            item.setData(DETAIL_ROLE, detail)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{r.title}, {r.kind}")
            self.list.addItem(item)
        lst = self.list  # builds the empty state too
        self.stack.setCurrentWidget(lst if rows else (self._empty_page or lst))
        self.reauth_button.setVisible(bool(rows))
        self.repair_button.setVisible(bool(rows))
        self._selection_changed(self.list.currentRow())

    def _selected_row(self) -> ConnectionRow | None:
        index = self.list.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _selection_changed(self, _index: int) -> None:
        row = self._selected_row()
        self.reauth_button.setEnabled(
            row is not None and row.fix is Fix.REAUTHORISE and bool(row.external_id)
        )
        self.repair_button.setEnabled(row is not None and row.fix is Fix.REPAIR)

    def _repair(self) -> None:
        row = self._selected_row()
        if row is not None and row.fix is Fix.REPAIR and row.id:
            self.repair_requested.emit(row.id)

    def _reauth(self) -> None:
        row = self._selected_row()
        if row is not None and row.fix is Fix.REAUTHORISE and row.external_id:
            self.reauth_requested.emit(row.raw_kind, row.external_id, row.api_base, row.company_id)

    def check_journal(self) -> None:
        """Once, after the start: what an earlier run left unfinished, as a calm notice."""
        from x2desk.ui.home.journal import JournalNotice

        if self.journal is None:
            self.journal = JournalNotice()
            self._outer.insertWidget(self._outer.indexOf(self.banner) + 1, self.journal)
            self.journal.check()

    def reload(self) -> None:
        """Read the record store (SQLite) in a worker, then show its rows (a later call wins)."""
        from x2desk.ui.common.workers import run_in_worker

        if self._load_job is not None:
            self._load_job.discard()
        self._load_job = run_in_worker(load_rows, self._rows_loaded, self._rows_failed, "records")

    def _rows_loaded(self, rows: builtins.list[ConnectionRow]) -> None:
        self._load_job = None
        self.banner.clear_message()
        self.set_rows(rows)

    def _rows_failed(self, exc: BaseException) -> None:
        self._load_job = None
        if not isinstance(exc, ImportError):
            from x2desk.ui.common.messages import message_for

            log.debug("cannot read records: %s", type(exc).__name__)
            self.banner.show_message(message_for(exc), "error")
        self.set_rows([])

    @property
    def loading(self) -> bool:
        """True while the saved connections are being read."""
        return self._load_job is not None

    def show_loading(self) -> None:
        """A quiet blank list area until :meth:`reload` (no flash of the empty state)."""
        self.stack.setCurrentWidget(self._loading)
        for b in (self._reauth_button, self._repair_button):
            if b is not None:
                b.hide()

    def is_empty_state(self) -> bool:
        return self._empty_page is not None and self.stack.currentWidget() is self._empty_page
