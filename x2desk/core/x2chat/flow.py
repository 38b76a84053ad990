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

The journal (:mod:`x2desk.core.x2chat.redeem_journal`) holds the intent of each redeem (the
token's hash) from before it is sent until the record is written, so a redeem killed or cut off
after X2Chat spent the token is reported at the next start; :meth:`RedeemFlow.submit` names a
token this computer already sent (``Intake.kind`` ``used_here``) instead of sending it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import (
    KeyringUnavailable,
    PassphraseRequired,
    RateLimited,
    StoreError,
    X2DeskError,
)
from x2desk.core.saving import (
    Outcome,
    open_chosen_store,
    open_file_store,
    open_records,
    record_connection,
)
from x2desk.core.secret import Secret
from x2desk.core.x2chat.bot_checks import RECORD_KIND, BotChecks
from x2desk.core.x2chat.client import Redeemed, X2ChatClient
from x2desk.core.x2chat.flow_state import (
    DEFAULT_TEST_TEXT,
    DEFAULT_WAIT_S,
    BotSummary,
    Failure,
    FlowState,
    Recovery,
    Step,
    WrongStep,
    describe_missing,
    redeem_recovery,
    unexpected,
)
from x2desk.core.x2chat.redeem_journal import RedeemJournal
from x2desk.core.x2chat.tokens import Intake, classify

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import RecordStore

log = logging.getLogger(__name__)

FLOW_NAME = "x2chat_redeem"

__all__ = [
    "DEFAULT_TEST_TEXT",
    "RECORD_KIND",
    "BotSummary",
    "Failure",
    "FlowState",
    "Recovery",
    "RedeemFlow",
    "Step",
    "WrongStep",
    "describe_missing",
]


def _record_details(store: str, redeemed: Redeemed) -> dict[str, Any]:
    details: dict[str, Any] = {"store": store, "api_base_from": redeemed.api_base_source}
    if redeemed.missing:
        details["incomplete_answer"] = list(redeemed.missing)
    return details


def _default_confirm_rotation() -> bool:
    from x2desk.core.store.settings import load_settings

    try:
        return load_settings().confirm_rotation
    except StoreError:
        return True


class RedeemFlow(BotChecks):
    """One X2Chat bot connection, from a scanned token to saved credentials. See the module doc."""

    def __init__(
        self,
        client: X2ChatClient,
        *,
        confirm_rotation: bool | None = None,
        clock: Clock = SYSTEM_CLOCK,
        open_store: Callable[[], CredentialStore] = open_chosen_store,
        open_file_store: Callable[[Secret], CredentialStore] = open_file_store,
        open_records: Callable[[], RecordStore] = open_records,
        journal: RedeemJournal | None = None,
    ) -> None:
        if confirm_rotation is None:
            confirm_rotation = _default_confirm_rotation()
        super().__init__(FlowState(confirm_rotation=confirm_rotation))
        self._client = client
        self._clock = clock
        self._open_store = open_store
        self._open_file_store = open_file_store
        self._open_records = open_records
        self._journal = journal or RedeemJournal(open_records=open_records)
        self._store: CredentialStore | None = None
        self._token: str | None = None  # the integration token (one-time, not a long secret)
        self._pending: Redeemed | None = None  # credentials handed over, kept until saved

    # ---- reading ----

    @property
    def api_base(self) -> str:
        return self._client.api_base

    def seconds_until_retry(self) -> float:
        """For a ``wait`` recovery: seconds left in the countdown (0 when retry is allowed)."""
        failure = self.state.failure
        if failure is None or failure.retry_at is None:
            return 0.0
        return max(0.0, failure.retry_at - self._clock.monotonic())

    # ---- cheap actions ----

    def submit(self, read: Intake | str) -> Intake:
        """A scanned or pasted text, or what the page already found in it (an :class:`Intake`:
        not classified again). A usable token moves on (CONFIRM, or REDEEMING); one this
        computer already sent stays here, saying what became of it (``kind`` ``used_here``; a
        look in the journal, a small local file: no request)."""
        intake = read if isinstance(read, Intake) else classify(read)
        if intake.token is not None:
            earlier = self._journal.used_here(intake.token)
            if earlier is not None:
                intake = Intake("used_here", None, earlier)
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
            self._forget_token()
            self._set(step=Step.INTAKE)

    def cancel(self) -> bool:
        """Back to INTAKE if nothing was sent; False once the redeem may be on the wire."""
        with self._locked():
            state = self._state
            if state.step in (Step.INTAKE, Step.CONFIRM) or (
                state.step is Step.REDEEMING and not state.sending
            ):
                self._forget_token()
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
            self._forget_token()
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
            self._forget_token()
            self._set(step=Step.INTAKE, intake=None, bot=None, failure=None, store_error=None)

    def _forget_token(self) -> None:
        """Start over: the next token is another redeem (the journal keeps what this one did)."""
        self._token = None
        self._journal.forget()

    # ---- blocking effects (call from a worker thread) ----

    def redeem(self) -> FlowState:
        """Open the credential store, note the intent in the journal, POST the redeem once,
        save what it handed over."""
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
            redeemed = self._send(token)
            if redeemed is None:
                return self._state
            self._token = None
            self._pending = redeemed
            self._set(sending=False, bot=BotSummary.of(redeemed))
            return self._save()
        except BaseException:
            self._set(busy=False, sending=False)
            raise

    def _send(self, token: str) -> Redeemed | None:
        """The intent, then the one POST; None when it failed (the state says how)."""
        try:  # on disk before the request leaves: a kill after the server spent the token
            self._journal.begin(token, self._client.api_base)  # is found at the next start
        except StoreError as exc:
            failure = Failure(exc, "retry", Step.REDEEMING)
            self._set(busy=False, sending=False, step=Step.FAILED, failure=failure)
            return None
        try:
            redeemed = self._client.redeem(token)
        except Exception as exc:
            error = exc if isinstance(exc, X2DeskError) else unexpected(exc)
            self._journal.failed(error)
            recovery, spent = redeem_recovery(error)
            retry_at = None
            if isinstance(error, RateLimited):
                wait = error.retry_after if error.retry_after is not None else DEFAULT_WAIT_S
                retry_at = self._clock.monotonic() + wait
            if recovery == "scan_again":
                self._forget_token()
            failure = Failure(error, recovery, Step.REDEEMING, retry_at, spent)
            self._set(busy=False, sending=False, step=Step.FAILED, failure=failure)
            return None
        self._journal.answered(redeemed.bot_id)
        return redeemed

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
            return self._set(busy=False, store_error=unexpected(exc))
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
            return self._set(busy=False, store_error=unexpected(exc))
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
            self._journal.saved(ref)
            records = self._open_records()
            try:
                record = record_connection(
                    RECORD_KIND,
                    redeemed.bot_id,
                    flow=FLOW_NAME,
                    outcome=Outcome.CONNECTED,
                    records=records,
                    name=redeemed.bot_username,
                    username=redeemed.bot_username,
                    chat_id=redeemed.chat_id,
                    api_base=redeemed.api_base,
                    secret_ref=ref,
                    details=_record_details(store.description, redeemed),
                )
            finally:
                records.close()
            self._journal.complete()
        except (StoreError, PassphraseRequired) as exc:
            return self._set(busy=False, step=Step.STORE_FAILED, store_error=exc, failure=None)
        except Exception as exc:
            error = unexpected(exc)
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
