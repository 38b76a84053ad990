"""Saved: the bot's username, chat id, masked token and where it is kept (never a copy button).
When saving failed: say so, offer the encrypted file store or a retry, or discarding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from x2desk.core.x2chat.flow_state import BotSummary, FlowState, Step
from x2desk.i18n import _
from x2desk.ui.common.label_field import LabelField
from x2desk.ui.common.messages import message_for
from x2desk.ui.common.store_choice import StoreChoice
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import Banner, BusyIndicator, button, card, form_layout, label
from x2desk.ui.common.wizard import WizardPage
from x2desk.ui.x2chat.actions import STEP_SAVED, X2ChatActions
from x2desk.ui.x2chat.incomplete import incomplete_text


class SavedPage(WizardPage):
    page_id = "saved"
    hide_back_when_disabled = True

    def __init__(self, actions: X2ChatActions) -> None:
        super().__init__()
        self.wiz = actions
        self.step = _(STEP_SAVED)
        self.title = _("The bot is connected")
        self.next_text = _("&Done")
        self._state: FlowState | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.busy = BusyIndicator("saveBusy", _("Saving the credentials…"))
        self.busy.hide()
        lay.addWidget(self.busy)
        self.error = Banner("saveError")
        lay.addWidget(self.error)
        self.store_choice = StoreChoice(allow_discard=True)
        self.store_choice.use_file.connect(self.wiz.use_file_store)
        self.store_choice.retry.connect(self.wiz.retry_store)
        self.store_choice.discard.connect(self.wiz.ask_discard)
        lay.addWidget(self.store_choice)
        self.discard_note = Banner("discardNote")
        lay.addWidget(self.discard_note)
        self.confirm_discard = button(_("Yes, discard the new token"), "confirmDiscard")
        self.confirm_discard.clicked.connect(self.wiz.discard)
        self.confirm_discard.hide()
        lay.addWidget(self.confirm_discard, 0, Qt.AlignmentFlag.AlignLeft)

        lay.addWidget(self._details_card())
        self.incomplete = Banner("savedIncomplete")
        lay.addWidget(self.incomplete)
        self.notes = Banner("savedNotes")  # what the redeem answer was not trusted with, say
        lay.addWidget(self.notes)
        self.webhook_note = Banner("savedWebhookNote")
        lay.addWidget(self.webhook_note)
        self.another = button(_("Connect &another…"), "connectAnother")
        self.another.clicked.connect(self.wiz.connect_another)
        lay.addWidget(self.another, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)

    def _details_card(self) -> QWidget:
        """What was saved: the bot, its chat, the masked token and where it is kept."""
        self.details_card, dl = card("savedCard")
        self.headline = label("", "savedHeadline", role="big")
        self.headline.setProperty("tone", "success")
        dl.addWidget(self.headline)
        form = form_layout()
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(8)
        self.username = label("", "savedUsername", selectable=True)
        self.chat_id = label("", "savedChatId", selectable=True)
        self.token = label("", "savedToken")  # masked; deliberately not selectable, no copy
        self.where = label("", "savedWhere")
        form.addRow(_("Bot:"), self.username)
        form.addRow(_("Chat id:"), self.chat_id)
        form.addRow(_("Token:"), self.token)
        form.addRow(_("Stored in:"), self.where)
        dl.addLayout(form)
        self.label_field = LabelField("savedLabel")
        dl.addWidget(self.label_field)
        dl.addWidget(
            label(
                _(
                    "The bot's key is kept safely by this computer's password store, never "
                    "shown or copied: programs on this computer get it from there. To replace "
                    "it, connect the bot again."
                ),
                "savedNote",
                role="muted",
            )
        )
        return self.details_card

    def show_state(self, state: FlowState) -> None:
        self._state = state
        step = state.step
        failed = step is Step.STORE_FAILED
        self.title = _("The credentials are not saved yet") if failed else _("The bot is connected")
        self.subtitle = (
            _("They are kept in memory until you save or discard them.") if failed else ""
        )
        self.store_choice.setVisible(failed and not state.busy)
        self.details_card.setVisible(not failed)
        self.another.setVisible(step is Step.SAVED)
        if state.busy:
            self.busy.start()
        else:
            self.busy.stop()
        if failed and state.store_error is not None:
            self.error.show_message(message_for(state.store_error), "error")
        else:
            self.error.clear_message()
            self.hide_discard()
        if state.bot is not None and not failed:
            self._show_bot(state.bot, state.store_description)
        bot = state.bot
        self.label_field.load(state.record_id if not failed else None)
        warning = incomplete_text(bot) if not failed else ""
        if warning:
            self.incomplete.show_message(warning, "warning")
        else:
            self.incomplete.clear_message()
        notes = tuple(getattr(bot, "notes", ()) or ()) if not failed else ()
        if notes:
            self.notes.show_message("\n".join(notes), "warning")
        else:
            self.notes.clear_message()
        self._show_webhook(state if not failed else None)
        self.show_cancel = step is not Step.SAVED  # saved: only Done (nothing left to cancel)
        self.changed.emit()

    def _show_bot(self, bot: BotSummary, store_description: str | None) -> None:
        """The saved bot's card: its name, chat, masked token and where the token is kept."""
        name = "@" + bot.bot_username if bot.bot_username else _("the bot")
        if bot.incomplete:
            self.headline.setText(_("✓  The token of {name} is saved").format(name=name))
            self.headline.setProperty("tone", "warning")
        else:
            self.headline.setText(_("✓  {name} is ready").format(name=name))
            self.headline.setProperty("tone", "success")
        repolish(self.headline)
        self.username.setText(name)
        self.chat_id.setText(
            str(bot.chat_id) if bot.chat_id is not None else _("unknown (not in the answer)")
        )
        self.token.setText(bot.token_masked)
        self.where.setText(store_description or _("this computer's password store"))

    def _show_webhook(self, state: FlowState | None) -> None:
        """Whether the bot has a webhook (None: nothing saved, nothing to say)."""
        if state is not None and state.webhook is not None and state.webhook.is_set:
            self.webhook_note.show_message(
                _("Remember: this bot sends its messages on to another web address."),
                "warning",
                _("Details: a webhook is set, so getUpdates does not work for this bot."),
            )
        elif state is not None and state.webhook_error is not None:  # unknown: said, not silent
            self.webhook_note.show_message(
                _(
                    "x2desk could not check whether this bot has a webhook. If it has one, "
                    "getUpdates will not work until it is removed."
                ),
                "warning",
            )
        else:
            self.webhook_note.clear_message()

    def show_discard_question(self) -> None:
        self.discard_note.show_message(
            _(
                "Discard the bot's new token? X2Chat already replaced the old one, so this bot "
                "will work nowhere until you connect it again with a new QR."
            ),
            "warning",
        )
        self.confirm_discard.show()
        self.confirm_discard.setFocus()

    def hide_discard(self) -> None:
        self.discard_note.clear_message()
        self.confirm_discard.hide()

    def can_next(self) -> bool:
        st = self._state
        return st is not None and st.step is Step.SAVED

    def can_back(self) -> bool:
        return False
