"""The end of an account flow: connected (and what the API cannot do), or why not and the way
forward: start again after a session ended, fix the key, or a subscription that is needed."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import _
from x2desk.ui.accounts.common import (
    LIMITS_TEXT,
    STEP_DONE,
    flow_kind_name,
    kind_name,
    provider_message,
)
from x2desk.ui.common.widgets import button, card, label
from x2desk.ui.common.wizard import ResultActions, StatusPage


class ResultPage(StatusPage):
    def __init__(self, actions: ResultActions) -> None:
        super().__init__("account_result")
        self.step = _(STEP_DONE)
        self.title = _("Connecting…")
        self.outcome = ""  # connected | failed | expired | cancelled | working
        self.headline = label("", "resultHeadline", role="big")
        self.lay.addWidget(self.headline)
        self.details_card, inner = card("resultCard")
        self.details = label("", "resultDetails", selectable=True)
        inner.addWidget(self.details)
        self.lay.addWidget(self.details_card)
        self.add_status()
        self.limits = label(_(LIMITS_TEXT), "resultLimits", role="muted")
        self.lay.addWidget(self.limits)
        row = QHBoxLayout()
        self.restart_button = button(_("&Start again"), "resultRestart", primary=True)
        self.restart_button.clicked.connect(actions.restart)
        self.fix_button = button(_("C&hange the details"), "resultFix")
        self.fix_button.clicked.connect(actions.fix_details)
        self.another_button = button(_("Connect &another"), "resultAnother")
        self.another_button.clicked.connect(actions.connect_another)
        for b in (self.restart_button, self.fix_button, self.another_button):
            row.addWidget(b)
        row.addStretch(1)
        self.lay.addLayout(row)
        self.lay.addStretch(1)
        self.next_text = _("&Finish")

    def show_snapshot(self, snap: Snapshot) -> None:
        for w in (self.restart_button, self.fix_button, self.another_button, self.details_card):
            w.hide()
        self.banner.clear_message()
        self.limits.hide()
        state = snap.state
        if state in (State.AUTHENTICATED, State.CREATING_CONNECTION, State.STARTING):
            self.outcome = "working"
            self.title = _("Connecting…")
            self.headline.setText(_("Logged in. Creating the connection…"))
            self.set_busy(True, _("Waiting for the provider…"))
            return
        self.set_busy(False)
        self.restart_button.setText(_("&Start again"))
        if state is State.CONNECTED:
            self._show_connected(snap)
        elif state is State.EXPIRED:
            self.outcome = "expired"
            self.title = _("The login session ended")
            self.headline.setText(_("The login session has ended."))
            self.show_error(
                _(
                    "Login sessions last 10 minutes, and this one is over (or the provider "
                    "forgot it). Nothing was connected. Start again to get a new one."
                )
            )
            self.restart_button.show()
            self.restart_button.setFocus()
        elif state is State.CANCELLED:
            self.outcome = "cancelled"
            self.title = _("Cancelled")
            self.headline.setText(_("Cancelled. Nothing more was sent."))
            self.restart_button.show()
            self.fix_button.show()
            self.restart_button.setFocus()
        else:
            self._show_failed(snap)
        self.changed.emit()

    def _show_connected(self, snap: Snapshot) -> None:
        self.outcome = "connected"
        self.title = _("Connected")
        self.headline.setText(_("{what} connected.").format(what=flow_kind_name(snap.flow)))
        self.details.setText(self._describe(snap))
        self.details_card.show()
        self.limits.show()
        self.another_button.show()
        self.another_button.setFocus()

    def _show_failed(self, snap: Snapshot) -> None:
        self.outcome = "failed"
        self.title = _("Not connected")
        what = flow_kind_name(snap.flow)
        self.headline.setText(_("{what}: not connected.").format(what=what))
        key = snap.error_key or ""
        text = provider_message(snap.error) if snap.error is not None else _(snap.text)
        if key == "subscription_required":
            text += " " + _("(The provider answered 402: payment required.)")
            self.limits.show()
        self.show_error(text)
        self.fix_button.show()
        self.restart_button.setText(_("&Try again"))
        self.restart_button.show()
        (self.fix_button if key in ("invalid_auth", "scope_missing") else self.restart_button
         ).setFocus()  # fmt: skip

    def _describe(self, snap: Snapshot) -> str:
        conn = snap.result
        lines = []
        if snap.text and snap.text not in ("Connected.",):
            lines.append(_(snap.text))
        if conn is not None and hasattr(conn, "id"):
            kind = kind_name(conn.type)
            lines.append(_("Name: {n}").format(n=conn.name or "—"))
            lines.append(_("Kind: {k}").format(k=kind))
            lines.append(_("Connection id: {i}").format(i=conn.id))
            lines.append(_("Status at the provider: {s}").format(s=conn.status or "—"))
        return "\n".join(lines)

    def can_next(self) -> bool:
        return self.outcome == "connected"

    def can_back(self) -> bool:
        return self.outcome in ("failed", "cancelled", "expired")
