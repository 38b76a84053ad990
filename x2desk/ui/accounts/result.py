"""The end of an account flow: connected (which account, the company, and, for a connection that
is made but not active, why it does not work yet), or why not and the way forward: start again
after a session ended, fix the key, or a subscription that is needed. After a success there is
only Finish (and "Connect another"): nothing is left to cancel."""

from __future__ import annotations

from typing import Any

from x2desk.core.session.states import Snapshot, State
from x2desk.i18n import _
from x2desk.ui.accounts.common import (
    LIMITS_TEXT,
    STEP_DONE,
    STEP_LOGIN,
    flow_kind_name,
    kind_name,
    provider_message,
)
from x2desk.ui.common.label_field import LabelField
from x2desk.ui.common.reflow import AdaptiveRow
from x2desk.ui.common.widgets import button, card, label
from x2desk.ui.common.wizard import ResultActions, StatusPage


class ResultPage(StatusPage):
    def __init__(self, actions: ResultActions) -> None:
        super().__init__("account_result")
        self.step = _(STEP_DONE)
        self.title = _("Connecting…")
        self.outcome = ""  # connected | inactive | failed | expired | cancelled | working
        self.company = ""  # the company's name, shown with the connection
        self.headline = label("", "resultHeadline", role="big")
        self.lay.addWidget(self.headline)
        self.details_card, inner = card("resultCard")
        self.details = label("", "resultDetails", selectable=True)
        inner.addWidget(self.details)
        self.technical = label("", "resultTechnical", role="muted", selectable=True)
        inner.addWidget(self.technical)
        self.label_field = LabelField("resultLabel")
        inner.addWidget(self.label_field)
        self.lay.addWidget(self.details_card)
        self.add_status()
        self.limits = label(_(LIMITS_TEXT), "resultLimits", role="muted")
        self.lay.addWidget(self.limits)
        self.restart_button = button(_("&Start again"), "resultRestart", primary=True)
        self.restart_button.clicked.connect(actions.restart)
        self.fix_button = button(_("C&hange the details"), "resultFix")
        self.fix_button.clicked.connect(actions.fix_details)
        self.another_button = button(_("Connect &another"), "resultAnother")
        self.another_button.clicked.connect(actions.connect_another)
        self.lay.addWidget(AdaptiveRow(self.restart_button, self.fix_button, self.another_button))
        self.lay.addStretch(1)
        self.next_text = _("&Finish")

    def show_snapshot(self, snap: Snapshot) -> None:
        for w in (self.restart_button, self.fix_button, self.another_button, self.details_card):
            w.hide()
        self.banner.clear_message()
        self.limits.hide()
        self.show_cancel = True
        self.step = _(STEP_DONE)
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
            self._show_expired(snap)
        elif state is State.CANCELLED:
            self.outcome = "cancelled"
            self.step = _(STEP_LOGIN)
            self.title = _("Cancelled")
            self.headline.setText(_("Cancelled. Nothing more was sent."))
            self.restart_button.show()
            self.fix_button.show()
            self.restart_button.setFocus()
        else:
            self._show_failed(snap)
        if state is not State.CONNECTED:
            self.label_field.clear()
        self.changed.emit()

    def _show_expired(self, snap: Snapshot) -> None:
        self.outcome = "expired"
        self.step = _(STEP_LOGIN)
        self.title = _("The login session ended")
        if snap.flow == "whatsapp":
            self.headline.setText(_("x2desk stopped showing QRs."))
            text = _(
                "No phone linked WhatsApp within 10 minutes. The WhatsApp connection is made at "
                "the provider and waits to be linked: Start again shows a new QR for it."
            )
        else:
            self.headline.setText(_("The login session has ended."))
            text = _(
                "Login sessions last 10 minutes, and this one is over (or the provider forgot "
                "it). Nothing was connected. Start again to get a new one."
            )
        self.show_error(text)
        self.restart_button.show()
        self.restart_button.setFocus()

    def _show_connected(self, snap: Snapshot) -> None:
        conn: Any = snap.result
        what = flow_kind_name(snap.flow)
        note = getattr(conn, "status_note", None)
        self.show_cancel = False  # done: Finish, or connect another
        if note:
            self.outcome = "inactive"
            self.title = _("Made, but not working yet")
            self.headline.setText(
                _("{what}: made at the provider, but not active.").format(what=what)
            )
            self.banner.show_message(note, "warning")
            self.limits.show()
        else:
            self.outcome = "connected"
            self.title = _("Connected")
            self.headline.setText(_("{what} connected.").format(what=what))
        self.details.setText(self._describe(snap))
        self.technical.setText(self._technical(conn))
        self.details_card.show()
        self.another_button.show()
        self.setFocus()  # Enter: Finish (the blue button); Tab reaches "Connect another"

    def _show_failed(self, snap: Snapshot) -> None:
        self.outcome = "failed"
        self.step = _(STEP_LOGIN)
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
        conn: Any = snap.result
        lines = []
        if snap.text and snap.text not in ("Connected.",):
            lines.append(_(snap.text))
        if conn is not None and hasattr(conn, "id"):
            lines.append(_("Name: {n}").format(n=conn.name or "—"))
            lines.extend(conn.account_lines())
            lines.append(_("Kind: {k}").format(k=kind_name(conn.type)))
            if self.company:
                lines.append(_("Company: {c}").format(c=self.company))
        return "\n".join(lines)

    @staticmethod
    def _technical(conn: Any) -> str:
        if conn is None or not hasattr(conn, "id"):
            return ""
        return _("Details: connection id {i} at the provider, status '{s}'.").format(
            i=conn.id, s=conn.status or "—"
        )

    def can_next(self) -> bool:
        return self.outcome in ("connected", "inactive")

    def can_back(self) -> bool:
        return self.outcome in ("failed", "cancelled", "expired")
