"""The X2Chat redeem flow's vocabulary, apart from its actions (:mod:`x2desk.core.x2chat.flow`):
its steps, failures and the immutable :class:`FlowState` snapshot, which way forward each error
of the redeem and of the checks allows, and :class:`StateHolder`, which keeps the snapshot and
tells listeners of each new one (after the lock is free)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    InvalidAuth,
    RateLimited,
    ServerError,
    X2DeskError,
)
from x2desk.i18n import N_, _

if TYPE_CHECKING:  # only named in annotations: the pages import this module without httpx
    from x2desk.core.x2chat.client import BotUser, Redeemed, SentMessage, WebhookInfo
    from x2desk.core.x2chat.tokens import Intake

log = logging.getLogger(__name__)

DEFAULT_TEST_TEXT = N_("Hello from x2desk: this bot is connected.")  # in the language of now
DEFAULT_WAIT_S = 60.0
NO_CHAT_ID = N_(
    "X2Chat did not say which chat this bot talks to, so no test message can be sent. Look up "
    "the chat id in X2Chat; the bot token is saved."
)

Recovery = Literal["scan_again", "retry", "wait", "choose_store"]


class Step(StrEnum):
    INTAKE = "intake"
    CONFIRM = "confirm"
    REDEEMING = "redeeming"
    FAILED = "failed"
    STORE_FAILED = "store_failed"
    CHECKING = "checking"
    CHECKED = "checked"
    SAVED = "saved"


class WrongStep(RuntimeError):
    """An action was called in a step where it makes no sense: a bug in the caller."""


@dataclass(frozen=True)
class Failure:
    error: X2DeskError
    recovery: Recovery
    step: Step  # the step that failed: REDEEMING or CHECKING
    retry_at: float | None = None  # clock.monotonic() when a "wait" ends
    token_may_be_spent: bool = False

    @property
    def message(self) -> str:
        return self.error.message


@dataclass(frozen=True)
class BotSummary:
    """What may be shown of the redeemed bot: everything but the token, which is masked.

    ``missing`` names the fields the redeem answer lacked or garbled (the token was kept and
    saved anyway): ``bot_username`` may then be ``""`` until getMe tells it, ``chat_id`` ``None``.
    ``notes``: sentences to show with the result (an address in the answer that was not trusted,
    an odd-looking token); ``api_base_source``: ``answer`` or ``redeem`` (see ``Redeemed``).
    """

    bot_id: str
    bot_username: str
    chat_id: int | None
    api_base: str
    token_masked: str
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    api_base_source: str = "answer"

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)

    @classmethod
    def of(cls, redeemed: Redeemed) -> BotSummary:
        return cls(
            bot_id=redeemed.bot_id,
            bot_username=redeemed.bot_username,
            chat_id=redeemed.chat_id,
            api_base=redeemed.api_base,
            token_masked=redeemed.bot_token.masked,
            missing=redeemed.missing,
            notes=redeemed.notes,
            api_base_source=redeemed.api_base_source,
        )


_MISSING_CONSEQUENCE = {
    "bot_id": N_("it is filed under the number in its token"),
    "bot_username": N_("its name comes from the check (getMe)"),
    "chat_id": N_(
        "no test message can be sent and your system must get the chat id elsewhere "
        "(X2Chat shows it in the bot's settings)"
    ),
    "api_base": N_("x2desk uses the address the token was redeemed at"),
    "send_message_url": N_("build the sendMessage address from the API address and the token"),
    "getUpdates_url": N_("build the getUpdates address from the API address and the token"),
}


def describe_missing(missing: tuple[str, ...] | list[str]) -> str:
    """A plain sentence for an incomplete redeem answer (the token itself was kept)."""
    if not missing:
        return ""
    parts = [
        f"{name} ({_(_MISSING_CONSEQUENCE.get(name, N_('not needed to work')))})"
        for name in missing
    ]
    return _(
        "X2Chat's answer was incomplete: it had no valid {fields}. The new bot token was kept "
        "and saved anyway, because the redeem already replaced the old one."
    ).format(fields="; ".join(parts))


@dataclass(frozen=True)
class FlowState:
    step: Step = Step.INTAKE
    intake: Intake | None = None
    busy: bool = False
    sending: bool = False
    failure: Failure | None = None
    bot: BotSummary | None = None
    bot_user: BotUser | None = None
    webhook: WebhookInfo | None = None
    webhook_error: X2DeskError | None = None
    test_text: str = field(default_factory=lambda: _(DEFAULT_TEST_TEXT))
    test_message: SentMessage | None = None
    test_error: X2DeskError | None = None
    stored: bool = False
    store_description: str | None = None
    store_error: X2DeskError | None = None
    record_id: int | None = None
    confirm_rotation: bool = True


def redeem_recovery(error: X2DeskError) -> tuple[Recovery, bool]:
    """(recovery, token_may_be_spent) for an error of the redeem request."""
    if isinstance(error, RateLimited):
        return "wait", False
    if isinstance(error, CannotConnect):
        return "retry", False
    if isinstance(error, ServerError):
        return "retry", True
    if isinstance(error, AnswerLost | BadAnswer):
        return "scan_again", True
    return "scan_again", False


def check_recovery(error: X2DeskError) -> Recovery:
    if isinstance(error, RateLimited):
        return "wait"
    if isinstance(error, InvalidAuth):
        return "scan_again"
    return "retry"


def unexpected(exc: Exception) -> X2DeskError:
    log.debug("unexpected error in the redeem flow", exc_info=True)
    return X2DeskError(_("Unexpected error ({name}). Try again.").format(name=type(exc).__name__))


class StateHolder:
    """Keeps a :class:`FlowState` and calls listeners with each new one.

    A check-then-change runs inside :meth:`_locked`; listeners hear of it once the lock is free
    (from the thread that made the change: a GUI re-posts it to its own thread)."""

    def __init__(self, state: FlowState) -> None:
        self._lock = threading.RLock()
        self._depth = threading.local()
        self._dirty = False
        self._listeners: list[Callable[[FlowState], None]] = []
        self._state = state

    @property
    def state(self) -> FlowState:
        with self._lock:
            return self._state

    def subscribe(self, listener: Callable[[FlowState], None]) -> Callable[[], None]:
        """Call ``listener(state)`` after every change; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock for a check-then-change; listeners hear of it after the lock is free."""
        with self._lock:
            self._depth.n = getattr(self._depth, "n", 0) + 1
            try:
                yield
            finally:
                self._depth.n -= 1
        if self._depth.n == 0:
            self._notify()

    def _set(self, **changes: Any) -> FlowState:
        with self._lock:
            self._state = replace(self._state, **changes)
            self._dirty = True
            state = self._state
        if getattr(self._depth, "n", 0) == 0:
            self._notify()
        return state

    def _notify(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            self._dirty = False
            state = self._state
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(state)
            except Exception:  # a broken listener must not break the flow
                log.debug("flow listener failed", exc_info=True)

    def _require(self, *steps: Step, idle: bool = True) -> FlowState:
        state = self._state
        if state.step not in steps:
            names = ", ".join(s.value for s in steps)
            raise WrongStep(f"this action needs step {names}; the flow is in {state.step.value}")
        if idle and state.busy:
            raise WrongStep("another action of this flow is still running")
        return state
