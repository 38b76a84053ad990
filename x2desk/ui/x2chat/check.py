"""Check: the bot answers (getMe), no webhook blocks getUpdates, and a test message arrives."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QVBoxLayout

from x2desk.core.x2chat.flow_state import BotSummary, FlowState, Step
from x2desk.i18n import _
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.reflow import AdaptiveRow
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, card, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.x2chat.actions import STEP_CHECK, X2ChatActions
from x2desk.ui.x2chat.incomplete import incomplete_text


class CheckPage(WizardPage):
    page_id = "check"

    def __init__(self, actions: X2ChatActions) -> None:
        super().__init__()
        self.wiz = actions
        self.step = _(STEP_CHECK)
        self.title = _("Checking the bot")
        self.subtitle = _("The credentials are saved. Now make sure the bot really works.")
        self.next_text = _("&Finish")
        self._state: FlowState | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.busy = BusyIndicator("checkBusy", _("Asking X2Chat about the bot…"))
        lay.addWidget(self.busy)
        self.error = Banner("checkError")
        lay.addWidget(self.error)
        self.retry_button = button(_("&Try again"), "retryCheck", primary=True)
        self.retry_button.clicked.connect(self.wiz.retry)
        self.skip_button = button(_("S&kip the checks"), "skipChecks")
        self.skip_button.clicked.connect(self.wiz.skip_checks)
        self.scan_again_button = button(_("&Scan a new QR"), "checkScanAgain")
        self.scan_again_button.clicked.connect(self.wiz.scan_again)
        lay.addWidget(AdaptiveRow(self.retry_button, self.skip_button, self.scan_again_button))

        self.bot_card, bl = card("botCard")
        self.bot_line = label("", "botUsername", role="big")
        self.bot_detail = label("", "botDetail", role="muted")
        bl.addWidget(self.bot_line)
        bl.addWidget(self.bot_detail)
        lay.addWidget(self.bot_card)
        self.incomplete = Banner("checkIncomplete")
        lay.addWidget(self.incomplete)
        self.webhook = Banner("webhookNote")
        lay.addWidget(self.webhook)

        self.test_card, tl = card("testCard")
        tl.addWidget(label(_("Send a test message to the chat"), "testTitle", role="heading"))
        self.test_text = QLineEdit()
        self.test_text.setObjectName("testMessageText")
        self.test_text.setAccessibleName(_("Test message text"))
        self.test_text.setMaxLength(4096)
        self.test_text.textEdited.connect(self.wiz.set_test_text)
        self.test_text.textChanged.connect(lambda _t: self._update_send())
        self.test_text.returnPressed.connect(self._send)
        self.send_button = button(_("Send test &message"), "sendTestMessage")
        self.send_button.clicked.connect(self._send)
        tl.addWidget(AdaptiveRow(self.test_text, self.send_button, grow=0))
        self.test_busy = BusyIndicator("testBusy", _("Sending…"))
        self.test_busy.hide()
        tl.addWidget(self.test_busy)
        self.test_result = label("", "testResult")
        tl.addWidget(self.test_result)
        lay.addWidget(self.test_card)
        lay.addStretch(1)

    def _send(self) -> None:
        if self.send_button.isEnabled():
            self.wiz.send_test_message(self.test_text.text())

    def _update_send(self) -> None:
        st = self._state
        ok = bool(self.test_text.text().strip()) and st is not None and not st.busy
        has_chat = st is not None and st.bot is not None and st.bot.chat_id is not None
        checked = st is not None and st.step is Step.CHECKED
        self.send_button.setEnabled(ok and has_chat and checked)

    def show_state(self, state: FlowState) -> None:
        self._state = state
        step, failure = state.step, state.failure
        for b in (self.retry_button, self.skip_button, self.scan_again_button):
            b.hide()
        if step is Step.CHECKING or (step is Step.CHECKED and state.bot_user is None):
            self.busy.start(_("Asking X2Chat about the bot…"))
            self.error.clear_message()
        else:
            self.busy.stop()
        if failure is not None and step is Step.FAILED:
            self.error.show_message(message_for(failure.error), "error")
            if failure.recovery == "scan_again":
                self.scan_again_button.show()
            else:
                self.retry_button.show()
                self.retry_button.setEnabled(self.wiz.seconds_until_retry() <= 0)
            self.skip_button.show()
        elif step is not Step.CHECKING:
            self.error.clear_message()
        self._show_bot(state)
        self._show_webhook(state)
        self._show_test(state)
        self._update_send()
        self.changed.emit()

    def _show_bot(self, state: FlowState) -> None:
        bot, user = state.bot, state.bot_user
        if user is not None:
            self.bot_line.setText(_("✓  {name} answers").format(name=user.display_name))
            self.bot_line.setProperty("tone", "success")
            self.bot_detail.setText(
                _("{first} · bot id {id} · chat {chat}").format(
                    first=user.first_name, id=user.id, chat=self._chat(bot)
                )
            )
        elif bot is not None:
            self.bot_line.setText("@" + bot.bot_username if bot.bot_username else _("The new bot"))
            self.bot_line.setProperty("tone", "")
            self.bot_detail.setText(_("chat {chat}").format(chat=self._chat(bot)))
        repolish(self.bot_line)
        self.bot_card.setVisible(bot is not None)
        warning = incomplete_text(bot)
        if warning:
            self.incomplete.show_message(warning, "warning")
        else:
            self.incomplete.clear_message()

    def _show_webhook(self, state: FlowState) -> None:
        if state.webhook is not None and state.webhook.is_set:
            self.webhook.show_message(
                _(
                    "This bot already sends its messages on to another web address ({host}), "
                    "so your program cannot fetch them itself: let it receive them there, or "
                    "turn that forwarding off where it was set up."
                ).format(host=state.webhook.host or _("a web address")),
                "warning",
                _(
                    "Details: a webhook is set; getUpdates does not work until it is removed "
                    "(deleteWebhook)."
                ),
            )
        elif state.webhook is not None:
            self.webhook.show_message(
                _("Your program can fetch this bot's messages."),
                "info",
                _("Details: no webhook is set, so getUpdates works."),
            )
        elif state.webhook_error is not None:
            self.webhook.show_message(
                _("Could not check where this bot's messages go: {msg}").format(
                    msg=message_for(state.webhook_error)
                ),
                "warning",
                _("Details: getWebhookInfo failed."),
            )
        else:
            self.webhook.clear_message()

    def _show_test(self, state: FlowState) -> None:
        checked = state.step is Step.CHECKED
        self.test_card.setVisible(checked)
        if self.test_text.text() != state.test_text and not self.test_text.hasFocus():
            self.test_text.setText(state.test_text)
        if state.busy and checked:
            self.test_busy.start()
        else:
            self.test_busy.stop()
        if state.test_error is not None:
            self.test_result.setText(message_for(state.test_error))
            self.test_result.setProperty("tone", "hint-bad")
        elif state.test_message is not None:
            m = state.test_message
            when = dt.datetime.fromtimestamp(m.date).strftime("%H:%M:%S") if m.date else ""
            self.test_result.setText(
                _(
                    "✓ Delivered: message #{id} reached chat {chat} at {when}. Look for it in "
                    "X2Chat."
                ).format(id=m.message_id, chat=m.chat_id, when=when)
            )
            self.test_result.setProperty("tone", "hint-ok")
        else:
            self.test_result.setText("")
        repolish(self.test_result)

    def _chat(self, bot: BotSummary | None) -> str:
        if bot is None or bot.chat_id is None:
            return _("unknown")
        return str(bot.chat_id)

    def can_next(self) -> bool:
        st = self._state
        return st is not None and st.step is Step.CHECKED and not st.busy

    def can_back(self) -> bool:
        return False
