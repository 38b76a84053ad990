"""Redeeming: a busy indicator, cancellable until the request is sent; each failure's message
and its way forward (scan a new QR, try again, a countdown from Retry-After, choose a store)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout

from x2desk.core.x2chat.flow_state import FlowState
from x2desk.i18n import _
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.reflow import AdaptiveRow
from x2desk.ui.common.store_choice import StoreChoice
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.x2chat.actions import STEP_REDEEM, X2ChatActions


class RedeemPage(WizardPage):
    page_id = "redeem"

    def __init__(self, actions: X2ChatActions, countdown_interval_ms: int = 1000) -> None:
        super().__init__()
        self.wiz = actions
        self.step = _(STEP_REDEEM)
        self.title = _("Connecting the bot")
        self.subtitle = _("x2desk hands the one-time code to X2Chat and gets the bot's key.")
        self._state: FlowState | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(14)
        self.busy = BusyIndicator("redeemBusy", _("Getting ready…"))
        lay.addWidget(self.busy)
        self.cancel_button = button(_("&Don't connect"), "cancelRedeem")
        self.cancel_button.clicked.connect(self.wiz.cancel_redeem)
        lay.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.error = Banner("redeemError")
        lay.addWidget(self.error)
        self.countdown = label("", "retryCountdown", role="big")
        self.countdown.hide()
        lay.addWidget(self.countdown)
        self.scan_again_button = button(_("&Scan a new QR"), "scanAgain", primary=True)
        self.scan_again_button.clicked.connect(self.wiz.scan_again)
        self.retry_button = button(_("&Try again"), "retryRedeem", primary=True)
        self.retry_button.clicked.connect(self.wiz.retry)
        lay.addWidget(AdaptiveRow(self.scan_again_button, self.retry_button))
        self.store_choice = StoreChoice(allow_discard=False)
        self.store_choice.use_file.connect(self.wiz.use_file_store)
        self.store_choice.retry.connect(self.wiz.retry)
        lay.addWidget(self.store_choice)
        lay.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setInterval(countdown_interval_ms)
        self.timer.timeout.connect(self.tick)
        self._hide_actions()

    def _hide_actions(self) -> None:
        for w in (self.scan_again_button, self.retry_button, self.store_choice, self.countdown):
            w.hide()

    def show_state(self, state: FlowState) -> None:
        self._state = state
        self._hide_actions()
        failure = state.failure
        if failure is None:
            self.error.clear_message()
            self.timer.stop()
            if state.sending:
                self.busy.start(_("Getting the bot's key from X2Chat…"))
                self.cancel_button.setEnabled(False)
                self.cancel_button.setToolTip(
                    _("X2Chat has been asked already; stopping now could lose the bot's key.")
                )
            elif state.busy:
                self.busy.start(_("Opening this computer's password store…"))
                self.cancel_button.setEnabled(True)
            else:
                self.busy.start(_("Getting ready…"))
                self.cancel_button.setEnabled(True)
            self.cancel_button.show()
            self.changed.emit()
            return
        self.busy.stop()
        self.cancel_button.hide()
        self.error.show_message(message_for(failure.error), "error")
        if failure.recovery == "scan_again":
            self.scan_again_button.show()
            self.scan_again_button.setFocus()
        elif failure.recovery == "retry":
            self.retry_button.show()
            if failure.token_may_be_spent:
                self.scan_again_button.show()
            self.retry_button.setFocus()
        elif failure.recovery == "wait":
            self.countdown.show()
            self.retry_button.show()
            self.scan_again_button.show()
            self.tick()
            self.timer.start()
        elif failure.recovery == "choose_store":
            self.store_choice.show()
            if state.store_error is not None and state.store_error is not failure.error:
                self.error.show_message(message_for(state.store_error), "error")
        self.changed.emit()

    def tick(self) -> None:
        left = self.wiz.seconds_until_retry()
        if left <= 0:
            self.timer.stop()
            self.countdown.setText(_("You can try again now."))
            self.retry_button.setEnabled(True)
            return
        secs = int(left + 0.999)
        self.countdown.setText(_("Try again in {m}:{s:02d}").format(m=secs // 60, s=secs % 60))
        self.retry_button.setEnabled(False)

    def leave(self) -> None:
        self.timer.stop()

    def can_next(self) -> bool:
        return False

    def can_back(self) -> bool:
        return False
