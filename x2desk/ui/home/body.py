"""The home view's list page, built after the window's first paint: the profile switch, the
search and filters, "check all"'s progress, the table of connections and the buttons under it.
Each action is one :class:`QAction` (its key, its place in the context menu) that a button
mirrors; what it does is :class:`~x2desk.ui.home.actions.HomeActions`'.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.kinds import Fix, Service
from x2desk.i18n import N_, _, ngettext
from x2desk.ui.common.flow_layout import FlowLayout
from x2desk.ui.common.widgets import button, label
from x2desk.ui.home.actions import HomeActions, home_message
from x2desk.ui.home.check_all import CheckAllBar
from x2desk.ui.home.filters import Filters
from x2desk.ui.home.model import LABEL, ConnectionsModel
from x2desk.ui.home.profiles import ProfileSwitch
from x2desk.ui.home.table import ConnectionsTable

if TYPE_CHECKING:
    from x2desk.core.home.check_all import Progress
    from x2desk.core.home.rows import Row
    from x2desk.core.profiles import Profile
    from x2desk.core.status import Status
    from x2desk.ui.context import AppContext
    from x2desk.ui.home.check_all import CheckAllRun
    from x2desk.ui.home.view import HomeView

FIX_WORDS = {
    Fix.REAUTHORISE: N_("Re-&authorise…"),
    Fix.REPAIR: N_("Re-&pair…"),
    Fix.CHANGE_KEY: N_("Change the &key…"),
}


class HomeBody(QWidget):
    """See the module's doc. ``table``, ``model``, ``filters``, ``actions``,
    ``buttons`` (by name) and the ``act_*`` actions are the view's (tests, the autopilot)."""

    def __init__(self, view: HomeView, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("homeBody")
        self.view, self.ctx = view, ctx
        self.actions_ = HomeActions(view, ctx)
        self.actions_.changed.connect(view.reload)
        self.check_run: CheckAllRun | None = None
        self.profile_list: list[Profile] = []
        self._selected_id: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(10)
        self.profiles = ProfileSwitch()
        self.profiles.switch_requested.connect(self.switch_profile)
        self.profiles.manage_requested.connect(self.manage_profiles)
        top = QHBoxLayout()
        self.filters = Filters()
        self.filters.changed.connect(view.reload)
        top.addWidget(self.filters, 1)
        self.count = label("", "homeCount", role="muted", wrap=False)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        lay.addLayout(top)
        self.progress = CheckAllBar()
        self.progress.cancel_button.clicked.connect(self.cancel_check_all)
        lay.addWidget(self.progress)
        self.model = ConnectionsModel(self)
        self.table = ConnectionsTable(self.model)
        self.no_match = label(
            _("No connection matches the search or the filters."), "homeNoMatch", role="muted"
        )
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(self.table)
        self.table_stack.addWidget(self.no_match)
        lay.addWidget(self.table_stack, 1)
        self._make_actions()
        lay.addLayout(self._button_rows())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _i: self.act_details.trigger())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._update_actions()

    # ---- building --------------------------------------------------------------------------

    def _action(self, text: str, keys: str | QKeySequence.StandardKey, slot: Any) -> QAction:
        act = QAction(text, self)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.triggered.connect(slot)
        self.table.addAction(act)
        return act

    def _make_actions(self) -> None:
        on = self._on_selected
        self.act_check = self._action(_("&Check now"), "F5", on(self.actions_.check))
        self.act_check_all = self._action(_("Check &all"), "Shift+F5", self.check_all)
        self.act_test = self._action(
            _("Send a &test message"), "Ctrl+T", on(self.actions_.send_test_message)
        )
        self.act_fix = self._action(_("Re-&authorise…"), "Ctrl+R", on(self.fix))
        self.act_rename = self._action(_("Re&name…"), "F2", on(self.actions_.rename))
        self.act_export = self._action(
            _("&Export for another system…"), "Ctrl+E", on(self.actions_.export)
        )
        self.act_details = self._action(
            _("&Details and history…"), "Ctrl+I", on(self.actions_.show_details)
        )
        self.act_forget = self._action(
            _("&Forget…"), QKeySequence.StandardKey.Delete, on(self.actions_.forget)
        )

    def _button_rows(self) -> FlowLayout:
        flow = FlowLayout(spacing=8)
        self.buttons: dict[str, QPushButton] = {}
        for object_name, act, tip in (
            ("checkButton", self.act_check, _("Check the selected connection now (F5)")),
            ("checkAllButton", self.act_check_all, _("Check every connection shown (Shift+F5)")),
            ("testButton", self.act_test, _("Send the bot's chat a test message (Ctrl+T)")),
            ("fixButton", self.act_fix, _("Log in, pair or give a key again (Ctrl+R)")),
            ("renameButton", self.act_rename, _("Give it a label people tell apart (F2)")),
            ("exportButton", self.act_export, _("Write a .env or JSON file for another system")),
            ("detailsButton", self.act_details, _("Everything known of it, and its history")),
            ("forgetButton", self.act_forget, _("Delete its secret from this computer (Delete)")),
        ):
            b = button(act.text(), object_name)
            b.setToolTip(tip)
            b.clicked.connect(act.trigger)
            act.changed.connect(lambda b=b, act=act: self._mirror(b, act))
            self.buttons[object_name] = b
            flow.addWidget(b)
        return flow

    @staticmethod
    def _mirror(b: QPushButton, act: QAction) -> None:
        b.setText(act.text())
        b.setEnabled(act.isEnabled())
        b.setVisible(act.isVisible())

    def _on_selected(self, what: Any) -> Any:
        def run() -> None:
            row = self.selected()
            if row is not None:
                what(row)

        return run

    # ---- rows and selection ----------------------------------------------------------------

    def show_rows(self, rows: list[Row], total: int) -> None:
        keep = self._selected_id
        self.model.set_rows(rows)
        self.table.fit_columns()
        self.table_stack.setCurrentWidget(self.table if rows else self.no_match)
        if rows and len(rows) < total:
            self.count.setText(_("{n} of {total} shown").format(n=len(rows), total=total))
        else:
            self.count.setText(ngettext("{n} connection", "{n} connections", total).format(n=total))
        if rows and (keep is None or not self.select(keep)):
            self.table.selectRow(0)
        self._update_actions()

    def visible_rows(self) -> list[Row]:
        """The rows in the order the table shows them."""
        return list(self.model.rows)

    def select(self, record_id: int) -> bool:
        at = self.model.position(record_id)
        if at is None:
            return False
        index = self.model.index(at, LABEL)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def selected(self) -> Row | None:
        return self.model.row_at(self.table.currentIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current)
        self._selected_id = row.id if row is not None else None
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected()
        there = row is not None
        checking = self.check_run is not None
        for act in (self.act_check, self.act_rename, self.act_details, self.act_forget):
            act.setEnabled(there)
        self.act_check.setEnabled(there and not checking)
        self.act_export.setEnabled(there and row is not None and not row.forgetting)
        bot = row is not None and row.service is Service.X2CHAT and row.chat_id is not None
        self.act_test.setEnabled(bot)
        fix = row.fix if row is not None else None
        self.act_fix.setText(
            _(FIX_WORDS[fix]) if fix is not None else _(FIX_WORDS[Fix.REAUTHORISE])
        )
        self.act_fix.setEnabled(fix is not None and bool(row and row.external_id))
        self.act_fix.setVisible(fix is not None)
        self.act_check_all.setEnabled(bool(self.model.rows) and not checking)
        for name, act in (
            ("checkButton", self.act_check), ("checkAllButton", self.act_check_all),
            ("testButton", self.act_test), ("fixButton", self.act_fix),
            ("renameButton", self.act_rename), ("exportButton", self.act_export),
            ("detailsButton", self.act_details), ("forgetButton", self.act_forget),
        ):  # fmt: skip
            self._mirror(self.buttons[name], act)

    def _context_menu(self, at: QPoint) -> None:
        index = self.table.indexAt(at)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setObjectName("connectionMenu")
        for act in (self.act_details, self.act_check, self.act_test, self.act_fix):
            if act.isEnabled():
                menu.addAction(act)
        menu.addSeparator()
        for act in (self.act_rename, self.act_export, self.act_forget):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.act_check_all)
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(at))

    # ---- the fix of a kind -----------------------------------------------------------------

    def fix(self, row: Row) -> None:
        """Re-authorise, re-pair or change the key: the existing flows (the router's)."""
        if row.fix is Fix.REAUTHORISE:
            self.view.reauth_requested.emit(row.kind, row.external_id, row.api_base, row.company_id)
        elif row.fix is Fix.REPAIR:
            self.view.repair_requested.emit(str(row.id))
        elif row.fix is Fix.CHANGE_KEY:
            self.view.change_key_requested.emit(row.external_id, row.api_base, row.company_id)

    # ---- check all -------------------------------------------------------------------------

    def check_all(self) -> None:
        """Check every connection shown, one after another, in the background."""
        from x2desk.ui.home.check_all import CheckAllRun

        rows = self.visible_rows()
        if self.check_run is not None or not rows:
            return
        run = CheckAllRun(
            [r.id for r in rows],
            self.ctx.file_store,
            self.actions_.known_keys(),
            self.ctx.check_interval_s,
            self,
        )
        run.profile = self.view.profile  # its rows' ids are that profile's
        run.progress.connect(self._checked_one)
        run.finished.connect(self._checks_done)
        run.failed.connect(self._checks_failed)
        self.check_run = run
        self.progress.begin(run.total)
        self._update_actions()
        run.start()

    def cancel_check_all(self) -> None:
        if self.check_run is not None:
            self.check_run.cancel()
            self.progress.stopping()

    def _checked_one(self, progress: Progress) -> None:
        from x2desk.ui.home.model import after_check

        self.progress.step(progress)
        if self.check_run is None or self.check_run.profile != self.view.profile:
            return  # another profile is shown now: its ids are not these
        at = self.model.position(progress.record_id)
        if progress.result is not None and at is not None:
            self.model.replace(after_check(self.model.rows[at], progress.result))

    def _checks_done(self, counts: Counter[Status], cancelled: bool) -> None:
        done = self.check_run.done if self.check_run is not None else 0
        self.check_run = None
        self.progress.hide()
        summary = ", ".join(
            f"{status.text}: {n}"
            for status, n in sorted(counts.items(), key=lambda i: i[0].attention)
        )
        if cancelled:
            text = ngettext(
                "Checking stopped after {done} connection: {summary}.",
                "Checking stopped after {done} connections: {summary}.",
                done,
            )
        else:
            text = ngettext(
                "Checked {done} connection: {summary}.",
                "Checked {done} connections: {summary}.",
                done,
            )
        self.view.say(text.format(done=done, summary=summary or "—"), "info")
        self._update_actions()
        self.view.reload()

    def _checks_failed(self, exc: BaseException) -> None:
        from x2desk.core.saving import is_locked

        self.check_run = None
        self.progress.hide()
        self._update_actions()
        if is_locked(exc):
            self.actions_.unlock(self.check_all, exc)
        else:
            self.view.say(home_message(exc), "error")
        self.view.reload()

    # ---- profiles --------------------------------------------------------------------------

    def switch_profile(self, name: str) -> None:
        from x2desk.core.profiles import use_profile

        self.cancel_check_all()  # its connections are the other profile's

        def switched(_profile: Any) -> None:
            self.ctx.provider_key, self.ctx.provider_key_for = None, None  # the other's key
            if self.ctx.sandbox_url is None:
                self.ctx.settings_pending = True  # its addresses, when a wizard opens
            self.filters.clear()
            self.view.reload()

        self.actions_.run("profile", lambda: use_profile(name), switched)

    def manage_profiles(self) -> None:
        from x2desk.ui.home.profiles import ProfilesDialog
        from x2desk.ui.home.work import credential_store

        held = self.ctx.file_store
        dlg = ProfilesDialog(
            self.view, self.profile_list, self.view.profile, lambda: credential_store(held)
        )
        dlg.changed.connect(self.view.reload)

        def shown() -> None:
            dlg.show_profiles(self.profile_list, self.view.profile)

        self.view.rows_shown.connect(shown)
        dlg.finished.connect(lambda _r: self.view.rows_shown.disconnect(shown))
        dlg.finished.connect(lambda _r: dlg.deleteLater())
        self.view.dialog = dlg
        dlg.open()
