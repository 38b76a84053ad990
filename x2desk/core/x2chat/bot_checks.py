"""The checks after a redeem (part of :class:`~x2desk.core.x2chat.flow.RedeemFlow`): getMe must
pass, getWebhookInfo only warns, a test message goes to the chat the redeem named. Blocking:
call them from a worker thread, in the steps the flow's doc gives."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from x2desk.core.clock import Clock
from x2desk.core.errors import InputError, RateLimited, X2DeskError
from x2desk.core.x2chat.client import BotUser, Redeemed, SentMessage, WebhookInfo, X2ChatClient
from x2desk.core.x2chat.flow_state import (
    DEFAULT_WAIT_S,
    NO_CHAT_ID,
    BotSummary,
    Failure,
    FlowState,
    StateHolder,
    Step,
    check_recovery,
    unexpected,
)
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.store.records import RecordStore

log = logging.getLogger(__name__)

RECORD_KIND = "x2chat_bot"


class BotChecks(StateHolder):
    """The checks of the redeemed bot; the flow supplies the client, the clock, the records and
    the credentials handed over (``_pending``)."""

    _client: X2ChatClient
    _clock: Clock
    _open_records: Callable[[], RecordStore]
    _pending: Redeemed | None

    def check(self) -> FlowState:
        """getMe (must pass), then getWebhookInfo (a failure there is only a warning)."""
        with self._locked():
            self._require(Step.CHECKING)
            self._set(busy=True)
        redeemed = self._pending
        assert redeemed is not None
        client = self._bot_client(redeemed)
        try:
            try:
                user = client.get_me(redeemed.bot_token)
            except Exception as exc:
                error = exc if isinstance(exc, X2DeskError) else unexpected(exc)
                retry_at = None
                if isinstance(error, RateLimited):
                    wait = error.retry_after if error.retry_after is not None else DEFAULT_WAIT_S
                    retry_at = self._clock.monotonic() + wait
                failure = Failure(error, check_recovery(error), Step.CHECKING, retry_at)
                return self._set(busy=False, step=Step.FAILED, failure=failure)
            webhook: WebhookInfo | None = None
            webhook_error: X2DeskError | None = None
            try:
                webhook = client.get_webhook_info(redeemed.bot_token)
            except X2DeskError as exc:
                webhook_error = exc
            bot = self._fill_username(user)
            return self._set(
                busy=False,
                step=Step.CHECKED,
                bot=bot,
                bot_user=user,
                webhook=webhook,
                webhook_error=webhook_error,
            )
        finally:
            if client is not self._client:
                client.close()

    def _fill_username(self, user: BotUser) -> BotSummary | None:
        """The redeem answer had no username: take getMe's (and put it in the record)."""
        bot = self._state.bot
        if bot is None or bot.bot_username or "bot_username" not in bot.missing:
            return bot
        missing = tuple(m for m in bot.missing if m != "bot_username")
        bot = replace(bot, bot_username=user.username or "", missing=missing)
        try:
            records = self._open_records()
            try:
                records.upsert(
                    RECORD_KIND,
                    bot.bot_id,
                    name=user.username or user.first_name,
                    username=user.username,
                    details={"incomplete_answer": list(missing)},
                )
            finally:
                records.close()
        except Exception:  # the name is a nicety: the saved credentials are what matters
            log.debug("could not add the username to the record", exc_info=True)
        return bot

    def send_test_message(self, text: str | None = None) -> SentMessage | None:
        """Send a test message to the chat (``text``, or the state's ``test_text``)."""
        with self._locked():
            state = self._require(Step.CHECKED)
            text = state.test_text if text is None else text
            self._set(busy=True, test_text=text, test_error=None)
        redeemed = self._pending
        assert redeemed is not None
        if redeemed.chat_id is None:
            self._set(busy=False, test_error=InputError(_(NO_CHAT_ID)))
            return None
        client = self._bot_client(redeemed)
        try:
            sent = client.send_message(redeemed.bot_token, redeemed.chat_id, text)
        except Exception as exc:
            error = exc if isinstance(exc, X2DeskError) else unexpected(exc)
            self._set(busy=False, test_error=error)
            return None
        finally:
            if client is not self._client:
                client.close()
        self._set(busy=False, test_message=sent)
        return sent

    def _bot_client(self, redeemed: Redeemed) -> X2ChatClient:
        """The bot API lives at the api_base the redeem handed over (usually the same)."""
        if redeemed.api_base.rstrip("/") == self._client.api_base.rstrip("/"):
            return self._client
        return X2ChatClient(redeemed.api_base)
