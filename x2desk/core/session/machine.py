"""The login session state machine (no Qt), for the provider's accounts and Green-API alike.

:class:`LoginSession` owns the states, the rules and the timing; a *driver* (:class:`LoginDriver`,
e.g. :mod:`x2desk.core.accounts.drivers`) owns the remote calls of one flow and answers each with
a :class:`Step`. What may follow what is in the tables of :mod:`x2desk.core.session.states`.

The rules (issue 5 item 2):
- In a polling state it polls through a :class:`Poller` every 5 s (configurable, never below
  1 s), one request at a time, backing off 5, 10, 20 s on transient errors (the snapshot says
  so: ``retry_in``), back to the rhythm after a success.
- A new QR is published at once; its countdown is ``qr_seconds_left``; when it expires it is
  withdrawn from the snapshot (never left on screen) and a fresh one is polled for at once.
- A wrong code or password keeps its step and says so; it never turns into "expired".
- :meth:`LoginSession.cancel` stops everything within one tick; no request is sent after it and
  an answer still in flight is ignored.
- Sessions live as long as the driver says: at the end, or on a 404, the state is ``expired``
  and :meth:`LoginSession.restart` starts again.

Observers (:meth:`LoginSession.subscribe`) get a :class:`Snapshot` (no secrets) after every
change, on the thread that made it: a GUI marshals it to its own thread with a queued signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import (
    InputError,
    SessionExpired,
    X2DeskError,
)
from x2desk.core.secret import Secret
from x2desk.core.session.poller import (
    DEFAULT_BACKOFF_S,
    DEFAULT_INTERVAL_S,
    Handle,
    Poller,
    Scheduler,
    ThreadScheduler,
)
from x2desk.core.session.second_try import RECHECK, SecondTry, keeps_step, waiting_text
from x2desk.core.session.states import (
    ENDINGS,
    INPUTS,
    POLLING,
    STATE_TEXT,
    TERMINAL,
    TRANSITIONS,
    LoginDriver,
    Observer,
    Snapshot,
    State,
    Step,
    clean_code,
    password_note,
    unexpected_error,
    unexpected_transition,
)
from x2desk.i18n import _

__all__ = ["LoginDriver", "LoginSession", "Observer", "Snapshot", "State", "Step"]

log = logging.getLogger(__name__)


class LoginSession(SecondTry):
    """The state machine. Thread-safe; all remote calls run on ``scheduler``, one at a time.
    A failed start or an input's lost answer get a second try (:mod:`.second_try`)."""

    def __init__(
        self,
        driver: LoginDriver,
        clock: Clock = SYSTEM_CLOCK,
        scheduler: Scheduler | None = None,
        interval_s: float = DEFAULT_INTERVAL_S,
        backoff_s: tuple[float, ...] = DEFAULT_BACKOFF_S,
    ) -> None:
        self.driver = driver
        self.clock = clock
        self._own_scheduler = scheduler is None
        self.scheduler: Scheduler = scheduler if scheduler is not None else ThreadScheduler(clock)
        self.poller = Poller(self, interval_s, clock, self.scheduler, backoff_s)
        self._lock = threading.RLock()
        self._observers: list[Observer] = []
        self._generation = 0
        self._timers: list[Handle] = []
        self._qr_timer: Handle | None = None
        self._snap = Snapshot(flow=driver.flow, state=State.STARTING, text="")
        self._qr_deadline: float | None = None  # monotonic
        self._session_deadline: float | None = None  # monotonic
        self._started = False
        self._begin_tries = 0
        self.history: list[State] = []  # every state entered, in order (for tests and reports)

    # ---- observing ----

    @property
    def state(self) -> State:
        return self._snap.state

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer(snapshot)`` after every change. Returns the unsubscribe function."""
        with self._lock:
            self._observers.append(observer)

        def unsubscribe() -> None:
            with self._lock:
                if observer in self._observers:
                    self._observers.remove(observer)

        return unsubscribe

    def snapshot(self) -> Snapshot:
        """The state now, with fresh countdowns (call it every second to draw them)."""
        with self._lock:
            return self._fresh(self._snap)

    def _fresh(self, snap: Snapshot) -> Snapshot:
        now = self.clock.monotonic()
        qr_left = session_left = None
        if self._qr_deadline is not None and (snap.qr or snap.qr_image):
            qr_left = max(0, int(self._qr_deadline - now + 0.999))
        if self._session_deadline is not None and snap.state not in TERMINAL:
            session_left = max(0, int(self._session_deadline - now + 0.999))
        actions = set()
        if snap.state in INPUTS and not snap.busy:
            actions.add(INPUTS[snap.state])
        if snap.state not in TERMINAL:
            actions.add("cancel")
        elif snap.state is not State.CONNECTED:
            actions.add("restart")
        text = snap.text or _(STATE_TEXT[snap.state])
        return replace(
            snap,
            qr_seconds_left=qr_left,
            session_seconds_left=session_left,
            actions=frozenset(actions),
            text=text,
        )

    def _publish(self) -> None:
        with self._lock:
            snap = self._fresh(self._snap)
            observers = list(self._observers)
        for observer in observers:
            try:
                observer(snap)
            except Exception as exc:  # an observer's bug must not stop the session
                log.error("login observer failed: %s", type(exc).__name__)

    # ---- commands ----

    def start(self) -> None:
        """Begin (init the session / create the connection) on the scheduler."""
        with self._lock:
            if self._started and self._snap.state not in ENDINGS:
                return  # running, or connected: nothing to start
            self._started = True
            self._generation += 1
            self._cancel_timers()
            self._qr_deadline = None
            self._session_deadline = None
            self._begin_tries = 0
            self._snap = Snapshot(flow=self.driver.flow, state=State.STARTING, text="", busy=True)
            self.history.append(State.STARTING)
            lifetime = self.driver.session_lifetime_s
            if lifetime:
                self._session_deadline = self.clock.monotonic() + lifetime
                generation = self._generation
                self._timers.append(
                    self.scheduler.call_later(lifetime, lambda: self._session_over(generation))
                )
        self._publish()
        self._run(self.driver.begin, "begin")

    def restart(self) -> None:
        """Start again after ``expired``, ``failed`` or ``cancelled``."""
        with self._lock:
            if self._snap.state not in TERMINAL or self._snap.state is State.CONNECTED:
                return
        self.start()

    def cancel(self) -> None:
        """Stop now: no request is sent after this, and an answer in flight is ignored."""
        with self._lock:
            if self._snap.state in TERMINAL:
                return
            self._generation += 1
            self.poller.stop()
            self._cancel_timers()
            self._enter(State.CANCELLED, text="")
        self._publish()

    def close(self) -> None:
        """Cancel, and end the scheduler's thread if this session made it."""
        self.cancel()
        if self._own_scheduler and isinstance(self.scheduler, ThreadScheduler):
            self.scheduler.close()

    def submit_code(self, code: Secret) -> bool:
        """Send the login code (checked first: InputError for an empty or non-digit one)."""
        code = clean_code(code)
        return self._submit(State.WAITING_FOR_CODE, lambda: self.driver.submit_code(code))

    def submit_password(self, password: Secret) -> bool:
        if not password.reveal():
            raise InputError(_("Type the two-step verification password (it cannot be empty)."))
        return self._submit(
            State.WAITING_FOR_PASSWORD, lambda: self.driver.submit_password(password)
        )

    def _submit(self, expected: State, call: Callable[[], Step]) -> bool:
        with self._lock:
            if self._snap.state is not expected or self._snap.busy:
                return False
            self._snap = replace(self._snap, busy=True, text="", error=None, error_key=None)
        self._publish()
        self._run(call, INPUTS[expected])
        return True

    # ---- running the driver ----

    def _run(self, call: Callable[[], Step], phase: str) -> None:
        generation = self._generation

        def work() -> None:
            with self._lock:
                if generation != self._generation:
                    return  # cancelled or restarted before it ran: nothing is sent
            try:
                step = call()
            except X2DeskError as exc:
                self._failed(exc, phase, generation)
                return
            except Exception as exc:
                log.error("login step failed unexpectedly: %s", type(exc).__name__)
                self._failed(unexpected_error(exc), phase, generation)
                return
            self._apply(step, generation)

        self.scheduler.call_later(0.0, work)

    # Pollable
    def poll_once(self) -> bool:
        generation = self._generation
        step = self.driver.poll()
        self._apply(step, generation)
        with self._lock:
            return generation == self._generation and self._snap.state in POLLING

    def poll_failed(self, error: X2DeskError, retry_in: float | None) -> None:
        generation = self._generation
        if retry_in is None:
            self._failed(error, "poll", generation)
            return
        with self._lock:
            if generation != self._generation or self._snap.state in TERMINAL:
                return
            text = waiting_text(error, retry_in)
            self._snap = replace(
                self._snap, retry_in=retry_in, text=text, error_key=error.key, error=error
            )
        self._publish()

    def _apply(self, step: Step, generation: int) -> None:
        follow_up: Callable[[], None] | None = None
        with self._lock:
            if generation != self._generation or self._snap.state in TERMINAL:
                return  # an answer for a cancelled or replaced attempt
            current = self._snap.state
            if step.state is not current and step.state not in TRANSITIONS[current]:
                log.warning("login: unexpected %s after %s", step.state, current)
                self._fail_locked(unexpected_transition(current, step.state))
            else:
                self._show(step)
                if step.state not in POLLING:
                    self.poller.stop()
                elif not self.poller.running:
                    self.poller.start()
                if step.state in TERMINAL:
                    self._cancel_timers()
                elif step.state is State.AUTHENTICATED:
                    follow_up = self._begin_finish
        self._publish()
        if follow_up is not None:
            follow_up()

    def _show(self, step: Step) -> None:
        """Take a step's state and QR into the snapshot (lock held)."""
        snap = self._snap
        qr, image = step.qr, step.qr_image
        expired = False
        if step.qr_expires_at is not None:
            left = step.qr_expires_at - self.clock.time()
            expired = left <= 0
        if expired:  # never show a QR that has already expired
            qr = image = None
        version = snap.qr_version
        if (qr, image) != (snap.qr, snap.qr_image) and (qr or image):
            version += 1
        if qr or image:
            if step.qr_expires_at is not None:
                deadline = self.clock.monotonic() + (step.qr_expires_at - self.clock.time())
                if deadline != self._qr_deadline or version != snap.qr_version:
                    self._arm_qr_timer(deadline, version)
                self._qr_deadline = deadline
            else:
                self._qr_deadline = None
        else:
            self._qr_deadline = None
        note = step.note or ""
        if expired and step.state is State.WAITING_FOR_QR:
            note = _("The QR expired; getting a new one…")
        if step.state is State.WAITING_FOR_PASSWORD and step.password_hint and not note:
            note = password_note(step.password_hint)
        if step.state is not snap.state:
            self.history.append(step.state)
        self._snap = Snapshot(
            flow=snap.flow,
            state=step.state,
            text=note,
            qr=qr,
            qr_image=image,
            qr_version=version,
            qr_link=step.qr_link or (snap.qr_link if step.state in POLLING else None),
            password_hint=step.password_hint or snap.password_hint,
            result=step.result,
        )

    def _arm_qr_timer(self, deadline: float, version: int) -> None:
        if self._qr_timer is not None:
            self._qr_timer.cancel()
            if self._qr_timer in self._timers:
                self._timers.remove(self._qr_timer)
        generation = self._generation
        delay = max(0.0, deadline - self.clock.monotonic())
        self._qr_timer = self.scheduler.call_later(
            delay, lambda: self._qr_expired(generation, version)
        )
        self._timers.append(self._qr_timer)

    def _qr_expired(self, generation: int, version: int) -> None:
        with self._lock:
            snap = self._snap
            if generation != self._generation or snap.qr_version != version:
                return
            if snap.qr is None and snap.qr_image is None:
                return
            self._qr_deadline = None
            self._snap = replace(
                snap, qr=None, qr_image=None, text=_("The QR expired; getting a new one…")
            )
        self._publish()
        self.poller.poll_now()

    def _begin_finish(self) -> None:
        with self._lock:
            if self._snap.state is not State.AUTHENTICATED:
                return
            self._enter(State.CREATING_CONNECTION, text="", busy=True)
        self._publish()
        self._run(self.driver.finish, "finish")

    def _session_over(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._snap.state in TERMINAL:
                return
            if self._snap.state in (State.AUTHENTICATED, State.CREATING_CONNECTION):
                return  # the session did its job; the connection is being made
            self._generation += 1
            self.poller.stop()
            self._cancel_timers()
            expired = getattr(self.driver, "expired_text", None)
            err = SessionExpired(_(expired) if expired else None)
            self._enter(State.EXPIRED, text=err.message, error=err)
        self._publish()

    def _failed(self, error: X2DeskError, phase: str, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._snap.state in TERMINAL:
                return
            if self._second_try(error, phase):
                pass  # started again later, or the session is polled first: the text says so
            elif keeps_step(error, phase):  # e.g. a wrong code: the step stays, saying so
                text = error.message
                if phase == RECHECK:
                    text = _(
                        "x2desk could not check whether it arrived ({why}). Type it again; if "
                        "it was taken, x2desk goes on."
                    ).format(why=error.message)
                self._snap = replace(
                    self._snap, busy=False, text=text, error=error, error_key=error.key
                )
            else:
                log.info("login %s failed in %s: %s", self.driver.flow, self._snap.state, error.key)
                self._fail_locked(error)
        self._publish()

    def _fail_locked(self, error: X2DeskError) -> None:
        self._generation += 1
        self.poller.stop()
        self._cancel_timers()
        ending = State.EXPIRED if isinstance(error, SessionExpired) else State.FAILED
        self._enter(ending, text=error.message, error=error)

    def _enter(
        self,
        state: State,
        text: str,
        error: X2DeskError | None = None,
        busy: bool = False,
    ) -> None:
        if state is not self._snap.state:
            self.history.append(state)
        self._qr_deadline = None
        self._snap = Snapshot(
            flow=self._snap.flow,
            state=state,
            text=text,
            qr_version=self._snap.qr_version,
            error=error,
            error_key=error.key if error else None,
            busy=busy,
            result=self._snap.result,
        )

    def _cancel_timers(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        self._qr_timer = None
