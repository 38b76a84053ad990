"""The X2Chat bot flow as a Qt-free state machine: the wizard pages and ``x2desk redeem`` only
render :attr:`RedeemFlow.state` and call its actions (Electrum-style, see STYLE.md).

Steps (:class:`Step`) and what moves between them::

    INTAKE --submit(text) ok--> CONFIRM --confirm()--> REDEEMING      (CONFIRM skipped when the
      ^                           |back()                 |redeem()      confirm_rotation setting
      +---------------------------+                       |              is off)
      +--- cancel() (only before the request is sent) ----+
      |                                                   v
      +--- scan_again() <-- FAILED <--errors-- [store opened? -> POST redeem -> save secret+record]
                              |  retry() / skip_checks()   |ok                  |save failed
                              v                            v                    v
                        CHECKING --check()--> CHECKED --finish()--> SAVED   STORE_FAILED
                                               send_test_message(text)       retry_store()
                                                                             use_file_store(pw)
                                                                             discard() -> INTAKE

Cheap actions (any thread, never block): :meth:`~RedeemFlow.submit`, ``confirm``, ``back``,
``cancel``, ``scan_again``, ``retry``, ``skip_checks``, ``set_test_text``, ``finish``,
``discard`` (from STORE_FAILED, or a FAILED redeem); ``retry`` after ``choose_store`` tries
the store again. Blocking effects (HTTP, keyring; call them from a worker thread):
:meth:`~RedeemFlow.redeem` (in REDEEMING), :meth:`~RedeemFlow.check` (in CHECKING),
:meth:`~RedeemFlow.send_test_message` (in CHECKED), :meth:`~RedeemFlow.retry_store` and
:meth:`~RedeemFlow.use_file_store` (in STORE_FAILED, or FAILED with recovery ``choose_store``).
An action that does not fit the current step raises :class:`WrongStep` (a programming error).

:attr:`RedeemFlow.state` is an immutable :class:`FlowState` snapshot, safe to read from any
thread; :meth:`RedeemFlow.subscribe` calls back with each new snapshot (from the thread that made
the change: a GUI re-posts it to its own thread). Fields: ``step``, ``intake`` (the last
:class:`Intake`), ``busy`` (an effect is running), ``sending`` (the redeem
may be on the wire: too late to cancel), ``failure`` (:class:`Failure`: ``error``, ``recovery``
one of ``scan_again``, ``retry``, ``wait`` (a countdown to ``retry_at``, see
:meth:`RedeemFlow.seconds_until_retry`), ``choose_store``; ``step`` that failed; and
``token_may_be_spent``), ``bot`` (:class:`BotSummary`, token masked), ``bot_user``, ``webhook``
(``webhook.is_set``: getUpdates will not work), ``webhook_error``, ``test_text``,
``test_message``, ``test_error``, ``stored``, ``store_description``, ``store_error``,
``record_id``, ``confirm_rotation``.

The credentials the server handed over are saved (secret first, then the record) inside
:meth:`RedeemFlow.redeem`, before any check: the redeem rotated the bot's token, so the new one
exists only here until it is saved. If saving fails they stay in memory (STORE_FAILED) until
saved or explicitly discarded. The credential store is opened before the redeem is sent, so a
missing keyring is found while the token is still unspent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    InputError,
    InvalidAuth,
    KeyringUnavailable,
    PassphraseRequired,
    RateLimited,
    ServerError,
    StoreError,
    X2DeskError,
)
from x2desk.core.secret import Secret
from x2desk.core.x2chat.client import BotUser, Redeemed, SentMessage, WebhookInfo, X2ChatClient
from x2desk.core.x2chat.tokens import Intake, classify

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import RecordStore

log = logging.getLogger(__name__)

RECORD_KIND = "x2chat_bot"
FLOW_NAME = "x2chat_redeem"
DEFAULT_TEST_TEXT = "Hello from x2desk: this bot is connected."
DEFAULT_WAIT_S = 60.0
NO_CHAT_ID = (
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


_MISSING_CONSEQUENCE = {
    "bot_id": "it is filed under the number in its token",
    "bot_username": "its name comes from the check (getMe)",
    "chat_id": (
        "no test message can be sent and your system must get the chat id elsewhere "
        "(X2Chat shows it in the bot's settings)"
    ),
    "api_base": "x2desk uses the address the token was redeemed at",
    "send_message_url": "build the sendMessage address from the API address and the token",
    "getUpdates_url": "build the getUpdates address from the API address and the token",
}


def describe_missing(missing: tuple[str, ...] | list[str]) -> str:
    """A plain sentence for an incomplete redeem answer (the token itself was kept)."""
    if not missing:
        return ""
    parts = [f"{name} ({_MISSING_CONSEQUENCE.get(name, 'not needed to work')})" for name in missing]
    return (
        "X2Chat's answer was incomplete: it had no valid " + "; ".join(parts) + ". The new bot "
        "token was kept and saved anyway, because the redeem already replaced the old one."
    )


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
    test_text: str = DEFAULT_TEST_TEXT
    test_message: SentMessage | None = None
    test_error: X2DeskError | None = None
    stored: bool = False
    store_description: str | None = None
    store_error: X2DeskError | None = None
    record_id: int | None = None
    confirm_rotation: bool = True


def _redeem_recovery(error: X2DeskError) -> tuple[Recovery, bool]:
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


def _check_recovery(error: X2DeskError) -> Recovery:
    if isinstance(error, RateLimited):
        return "wait"
    if isinstance(error, InvalidAuth):
        return "scan_again"
    return "retry"


def _unexpected(exc: Exception) -> X2DeskError:
    log.debug("unexpected error in the redeem flow", exc_info=True)
    return X2DeskError(f"Unexpected error ({type(exc).__name__}). Try again.")


def _record_details(store: str, redeemed: Redeemed) -> dict[str, Any]:
    details: dict[str, Any] = {"store": store, "api_base_from": redeemed.api_base_source}
    if redeemed.missing:
        details["incomplete_answer"] = list(redeemed.missing)
    return details


def _default_open_store() -> CredentialStore:
    from x2desk.core.store.credentials import open_credential_store

    return open_credential_store()


def _default_open_file_store(passphrase: Secret) -> CredentialStore:
    from x2desk.core.store.credentials import open_credential_store, use_encrypted_file
    from x2desk.core.store.settings import load_settings

    settings = load_settings()
    if settings.credential_store == "encrypted_file":
        return open_credential_store(settings, passphrase)
    return use_encrypted_file(passphrase)


def _default_records() -> RecordStore:
    from x2desk.core.store.records import RecordStore

    return RecordStore.open()


def _default_confirm_rotation() -> bool:
    from x2desk.core.store.settings import load_settings

    try:
        return load_settings().confirm_rotation
    except StoreError:
        return True


class RedeemFlow:
    """One X2Chat bot connection, from a scanned token to saved credentials. See the module doc."""

    def __init__(
        self,
        client: X2ChatClient,
        *,
        confirm_rotation: bool | None = None,
        clock: Clock = SYSTEM_CLOCK,
        open_store: Callable[[], CredentialStore] = _default_open_store,
        open_file_store: Callable[[Secret], CredentialStore] = _default_open_file_store,
        open_records: Callable[[], RecordStore] = _default_records,
    ) -> None:
        self._client = client
        self._clock = clock
        self._open_store = open_store
        self._open_file_store = open_file_store
        self._open_records = open_records
        self._lock = threading.RLock()
        self._depth = threading.local()
        self._dirty = False
        self._listeners: list[Callable[[FlowState], None]] = []
        self._store: CredentialStore | None = None
        self._token: str | None = None  # the integration token (one-time, not a long secret)
        self._pending: Redeemed | None = None  # credentials handed over, kept until saved
        if confirm_rotation is None:
            confirm_rotation = _default_confirm_rotation()
        self._state = FlowState(confirm_rotation=confirm_rotation)

    # ---- reading ----

    @property
    def state(self) -> FlowState:
        with self._lock:
            return self._state

    @property
    def api_base(self) -> str:
        return self._client.api_base

    def subscribe(self, listener: Callable[[FlowState], None]) -> Callable[[], None]:
        """Call ``listener(state)`` after every change; returns a function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def seconds_until_retry(self) -> float:
        """For a ``wait`` recovery: seconds left in the countdown (0 when retry is allowed)."""
        failure = self.state.failure
        if failure is None or failure.retry_at is None:
            return 0.0
        return max(0.0, failure.retry_at - self._clock.monotonic())

    # ---- internals ----

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

    # ---- cheap actions ----

    def submit(self, text: str) -> Intake:
        """A scanned or pasted text. A usable token moves on (CONFIRM, or REDEEMING)."""
        intake = classify(text)
        with self._locked():
            state = self._require(Step.INTAKE)
            if intake.token is None:
                self._set(intake=intake)
                return intake
            self._token = intake.token
            step = Step.CONFIRM if state.confirm_rotation else Step.REDEEMING
            self._set(intake=intake, step=step, failure=None)
        return intake

    def confirm(self) -> None:
        """The user accepted that the redeem rotates the bot token."""
        with self._locked():
            self._require(Step.CONFIRM)
            self._set(step=Step.REDEEMING)

    def back(self) -> None:
        with self._locked():
            self._require(Step.CONFIRM)
            self._token = None
            self._set(step=Step.INTAKE)

    def cancel(self) -> bool:
        """Back to INTAKE if nothing was sent; False once the redeem may be on the wire."""
        with self._locked():
            state = self._state
            if state.step in (Step.INTAKE, Step.CONFIRM) or (
                state.step is Step.REDEEMING and not state.sending
            ):
                self._token = None
                self._set(step=Step.INTAKE, busy=False, failure=None)
                return True
            return False

    def scan_again(self) -> None:
        """From a failure (or before the redeem): start over with a new token."""
        with self._locked():
            state = self._require(Step.FAILED, Step.INTAKE, Step.CONFIRM, Step.REDEEMING)
            if state.failure is not None and state.failure.step is Step.CHECKING:
                raise WrongStep("the bot is already saved: use retry() or skip_checks()")
            if state.step is Step.REDEEMING and state.sending:
                raise WrongStep("the redeem is on the wire")
            self._token = None
            self._set(step=Step.INTAKE, intake=None, failure=None)

    def retry(self) -> bool:
        """Repeat the failed step (REDEEMING or CHECKING). False while a countdown runs.

        After ``choose_store`` it tries the chosen store again (the keyring unlocked, say).
        """
        with self._locked():
            state = self._require(Step.FAILED)
            failure = state.failure
            assert failure is not None
            if failure.recovery not in ("retry", "wait", "choose_store"):
                raise WrongStep(f"this failure's way forward is {failure.recovery}")
            if self.seconds_until_retry() > 0:
                return False
            if failure.recovery == "choose_store":
                self._set(step=failure.step, failure=None, store_error=None)
            else:
                self._set(step=failure.step, failure=None)
            return True

    def skip_checks(self) -> None:
        """Skip the checks (the credentials are saved already)."""
        with self._locked():
            state = self._require(Step.CHECKING, Step.FAILED)
            if state.step is Step.FAILED and (
                state.failure is None or state.failure.step is not Step.CHECKING
            ):
                raise WrongStep("nothing is saved yet")
            self._set(step=Step.CHECKED, failure=None)

    def set_test_text(self, text: str) -> None:
        self._set(test_text=text)

    def finish(self) -> None:
        with self._locked():
            self._require(Step.CHECKED)
            self._set(step=Step.SAVED)

    def discard(self) -> None:
        """Drop credentials that could not be saved (the user chose to), back to INTAKE."""
        with self._locked():
            state = self._require(Step.STORE_FAILED, Step.FAILED)
            if state.step is Step.FAILED and (
                state.failure is None or state.failure.step is not Step.REDEEMING
            ):
                raise WrongStep("the bot is already saved: nothing to discard")
            self._pending = None
            self._token = None
            self._set(step=Step.INTAKE, intake=None, bot=None, failure=None, store_error=None)

    # ---- blocking effects (call from a worker thread) ----

    def redeem(self) -> FlowState:
        """Open the credential store, POST the redeem once, save what it handed over."""
        with self._locked():
            self._require(Step.REDEEMING)
            self._set(busy=True)
        try:
            if self._store is None:
                try:
                    self._store = self._open_store()
                except StoreError as exc:
                    return self._set(
                        busy=False,
                        step=Step.FAILED,
                        store_error=exc,
                        failure=Failure(exc, "choose_store", Step.REDEEMING),
                    )
            with self._locked():
                token = self._token
                if self._state.step is not Step.REDEEMING or token is None:  # cancelled
                    return self._set(busy=False)
                self._set(sending=True)
            try:
                redeemed = self._client.redeem(token)
            except Exception as exc:
                error = exc if isinstance(exc, X2DeskError) else _unexpected(exc)
                recovery, spent = _redeem_recovery(error)
                retry_at = None
                if isinstance(error, RateLimited):
                    wait = error.retry_after if error.retry_after is not None else DEFAULT_WAIT_S
                    retry_at = self._clock.monotonic() + wait
                if recovery == "scan_again":
                    self._token = None
                return self._set(
                    busy=False,
                    sending=False,
                    step=Step.FAILED,
                    failure=Failure(error, recovery, Step.REDEEMING, retry_at, spent),
                )
            self._token = None
            self._pending = redeemed
            self._set(
                sending=False,
                bot=BotSummary(
                    bot_id=redeemed.bot_id,
                    bot_username=redeemed.bot_username,
                    chat_id=redeemed.chat_id,
                    api_base=redeemed.api_base,
                    token_masked=redeemed.bot_token.masked,
                    missing=redeemed.missing,
                    notes=redeemed.notes,
                    api_base_source=redeemed.api_base_source,
                ),
            )
            return self._save()
        except BaseException:
            self._set(busy=False, sending=False)
            raise

    def retry_store(self) -> FlowState:
        """Try the chosen credential store again (the keyring unlocked, say)."""
        with self._locked():
            self._require(Step.STORE_FAILED)
            self._set(busy=True)
        try:
            self._store = self._open_store()
        except StoreError as exc:
            return self._set(busy=False, store_error=exc)
        except Exception as exc:
            return self._set(busy=False, store_error=_unexpected(exc))
        return self._save()

    def use_file_store(self, passphrase: Secret | str) -> FlowState:
        """Switch to the encrypted file store (created, or opened with ``passphrase``)."""
        with self._locked():
            state = self._require(Step.STORE_FAILED, Step.FAILED)
            if state.step is Step.FAILED and (
                state.failure is None or state.failure.recovery != "choose_store"
            ):
                raise WrongStep("the store is not the problem here")
            self._set(busy=True)
        try:
            secret = passphrase if isinstance(passphrase, Secret) else Secret(passphrase)
            self._store = self._open_file_store(secret)
        except X2DeskError as exc:
            return self._set(busy=False, store_error=exc)
        except Exception as exc:
            return self._set(busy=False, store_error=_unexpected(exc))
        if self._pending is None:  # nothing redeemed yet: ready to redeem now
            return self._set(busy=False, step=Step.REDEEMING, failure=None, store_error=None)
        return self._save()

    def _save(self) -> FlowState:
        """Save the pending credentials: secret first, then the record. Clears ``busy``."""
        redeemed = self._pending
        store = self._store
        assert redeemed is not None
        try:
            if store is None:
                raise KeyringUnavailable()
            from x2desk.core.store.credentials import secret_ref

            ref = secret_ref(RECORD_KIND, redeemed.bot_id)
            store.save(ref, redeemed.bot_token)
            records = self._open_records()
            try:
                record = records.upsert(
                    RECORD_KIND,
                    redeemed.bot_id,
                    name=redeemed.bot_username,
                    username=redeemed.bot_username,
                    chat_id=redeemed.chat_id,
                    api_base=redeemed.api_base,
                    secret_ref=ref,
                    flow=FLOW_NAME,
                    outcome="saved" if redeemed.complete else "saved_incomplete",
                    details=_record_details(store.description, redeemed),
                )
            finally:
                records.close()
        except (StoreError, PassphraseRequired) as exc:
            return self._set(busy=False, step=Step.STORE_FAILED, store_error=exc, failure=None)
        except Exception as exc:
            error = _unexpected(exc)
            return self._set(busy=False, step=Step.STORE_FAILED, store_error=error, failure=None)
        return self._set(
            busy=False,
            step=Step.CHECKING,
            stored=True,
            store_description=store.description,
            store_error=None,
            failure=None,
            record_id=record.id,
        )

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
                error = exc if isinstance(exc, X2DeskError) else _unexpected(exc)
                retry_at = None
                if isinstance(error, RateLimited):
                    wait = error.retry_after if error.retry_after is not None else DEFAULT_WAIT_S
                    retry_at = self._clock.monotonic() + wait
                failure = Failure(error, _check_recovery(error), Step.CHECKING, retry_at)
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
            self._set(busy=False, test_error=InputError(NO_CHAT_ID))
            return None
        client = self._bot_client(redeemed)
        try:
            sent = client.send_message(redeemed.bot_token, redeemed.chat_id, text)
        except Exception as exc:
            error = exc if isinstance(exc, X2DeskError) else _unexpected(exc)
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
