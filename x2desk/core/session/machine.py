"""The login session state machine (no Qt): Telegram, MAX, WhatsApp, bot tokens, Odnoklassniki.

:class:`LoginSession` owns the states, the rules and the timing; a *driver* (:class:`LoginDriver`)
owns the remote calls of one flow and answers each of them with a :class:`Step` (the state the
remote side is in, plus what to show). The machine decides what follows from tables
(:data:`TRANSITIONS`, :data:`POLLING`, :data:`INPUTS`), so another service's pairing (Green-API,
issue 6) reuses it by writing a driver, not a machine.

The rules (issue 5 item 2):
- In a polling state (:data:`POLLING`) it polls through a :class:`Poller`
  every 5 s (configurable, never below 1 s), one request at a time, backing off 5, 10, 20 s on
  transient errors (the snapshot says so: ``retry_in``), back to the rhythm after a success.
- A new QR is published at once; its countdown is ``qr_seconds_left``; when it expires it is
  withdrawn from the snapshot (never left on screen) and a fresh one is polled for at once.
- A wrong code or password keeps its step and says so; it never turns into "expired".
- :meth:`LoginSession.cancel` stops everything within one tick; no request is sent after it and
  an answer still in flight is ignored.
- Sessions live 10 minutes (the driver says how long): at the end, or on a 404, the state is
  ``expired`` and :meth:`LoginSession.restart` starts again.

Observers (:meth:`LoginSession.subscribe`) get a :class:`Snapshot` after every change, on the
thread that made the change (the scheduler's worker, or the caller of cancel/submit): a GUI
marshals it to its own thread with a queued signal. Snapshots hold no secrets.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from x2desk.core.accounts.client import (
    SESSION_LIFETIME_S,
    Connection,
    ConnectionsClient,
    Session,
    WhatsAppStatus,
    check_api_key,
    check_bot_token,
    normalise_phone,
)
from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import (
    AnswerLost,
    CodeInvalid,
    InputError,
    PasswordInvalid,
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
    is_transient,
)

log = logging.getLogger(__name__)


class State(StrEnum):
    STARTING = "starting"
    WAITING_FOR_QR = "waiting_for_qr"
    WAITING_FOR_CODE = "waiting_for_code"
    WAITING_FOR_PASSWORD = "waiting_for_password"
    LOADING = "loading"  # the remote side is busy (WhatsApp syncing, an instance starting)
    AUTHENTICATED = "authenticated"
    CREATING_CONNECTION = "creating_connection"
    CONNECTED = "connected"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


_ENDINGS = frozenset({State.FAILED, State.CANCELLED, State.EXPIRED})
_WAITING = frozenset(
    {
        State.WAITING_FOR_QR,
        State.WAITING_FOR_CODE,
        State.WAITING_FOR_PASSWORD,
        State.LOADING,
        State.AUTHENTICATED,
        State.CONNECTED,
    }
)

# Which state may follow which: the machine refuses anything else (a driver bug, or a server
# going backwards), so every path through a flow is one of these.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.STARTING: _WAITING | _ENDINGS,
    State.WAITING_FOR_QR: _WAITING - {State.WAITING_FOR_CODE} | _ENDINGS,
    State.LOADING: _WAITING | _ENDINGS,  # a Green-API phone login asks for its code once started
    State.WAITING_FOR_CODE: _WAITING - {State.WAITING_FOR_QR} | _ENDINGS,
    State.WAITING_FOR_PASSWORD: _WAITING - {State.WAITING_FOR_CODE} | _ENDINGS,
    State.AUTHENTICATED: frozenset({State.CREATING_CONNECTION, State.CONNECTED}) | _ENDINGS,
    State.CREATING_CONNECTION: frozenset({State.CONNECTED}) | _ENDINGS,
    State.CONNECTED: frozenset(),
    State.FAILED: frozenset({State.STARTING}),
    State.CANCELLED: frozenset({State.STARTING}),
    State.EXPIRED: frozenset({State.STARTING}),
}
POLLING = frozenset({State.WAITING_FOR_QR, State.LOADING})  # the machine polls in these
INPUTS: dict[State, str] = {  # the states that wait for the person, and the action they take
    State.WAITING_FOR_CODE: "submit_code",
    State.WAITING_FOR_PASSWORD: "submit_password",
}
TERMINAL = frozenset({State.CONNECTED}) | _ENDINGS

STATE_TEXT: dict[State, str] = {
    State.STARTING: "Starting the login session…",
    State.WAITING_FOR_QR: "Scan the QR with your phone.",
    State.WAITING_FOR_CODE: "Type the login code you received.",
    State.WAITING_FOR_PASSWORD: "This account has two-step verification: type its password.",
    State.LOADING: "Almost there: waiting for the other side…",
    State.AUTHENTICATED: "Logged in.",
    State.CREATING_CONNECTION: "Creating the connection…",
    State.CONNECTED: "Connected.",
    State.FAILED: "It did not work.",
    State.CANCELLED: "Cancelled. Nothing more will be sent.",
    State.EXPIRED: "The login session has ended. Start again.",
}


@dataclass(frozen=True)
class Step:
    """A driver's answer: the state the remote side is in, and what to show for it."""

    state: State
    qr: str | None = None  # text to render as a QR
    qr_image: bytes | None = None  # or a ready image (Green-API sends a PNG)
    qr_expires_at: float | None = None  # wall-clock epoch seconds
    qr_link: str | None = None  # a page with the QR, for another device (WhatsApp)
    password_hint: str | None = None
    note: str | None = None  # what the remote side says (e.g. "WhatsApp is loading your chats")
    result: Any = None  # the connection (or instance) once connected


@dataclass(frozen=True)
class Snapshot:
    """What to show now. Holds no secrets; safe to log field by field."""

    flow: str
    state: State
    text: str  # one sentence for the person: the note, the error or the state's own text
    qr: str | None = None
    qr_image: bytes | None = None
    qr_version: int = 0  # changes whenever a new QR is shown
    qr_seconds_left: int | None = None
    qr_link: str | None = None
    session_seconds_left: int | None = None
    password_hint: str | None = None
    error_key: str | None = None
    error: X2DeskError | None = field(default=None, compare=False)
    retry_in: float | None = None  # polling is backing off after an error
    busy: bool = False  # a request the person asked for is in flight
    result: Any = None
    actions: frozenset[str] = frozenset()

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL


class LoginDriver(Protocol):
    """One flow's remote calls. Each returns the :class:`Step` the remote side is in."""

    flow: str
    session_lifetime_s: float | None  # None: the remote side does not expire the attempt

    def begin(self) -> Step: ...

    def poll(self) -> Step: ...

    def submit_code(self, code: Secret) -> Step: ...

    def submit_password(self, password: Secret) -> Step: ...

    def finish(self) -> Step:
        """After ``authenticated``: create the connection (or not, on re-authorisation)."""
        ...


Observer = Callable[[Snapshot], None]


def clean_code(code: Secret) -> Secret:
    value = re.sub(r"[\s-]", "", code.reveal())
    if not value:
        raise InputError("Type the login code you received.")
    if not value.isdigit() or not 3 <= len(value) <= 10:
        raise InputError("A login code is a few digits (usually 5): type just the digits.")
    return Secret(value)


class LoginSession:
    """The state machine. Thread-safe; all remote calls run on ``scheduler``, one at a time."""

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
        text = snap.text or STATE_TEXT[snap.state]
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
            if self._started and self._snap.state not in _ENDINGS:
                return  # running, or connected: nothing to start
            self._started = True
            self._generation += 1
            self._cancel_timers()
            self._qr_deadline = None
            self._session_deadline = None
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
            raise InputError("Type the two-step verification password (it cannot be empty).")
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
                err = X2DeskError(f"Unexpected error ({type(exc).__name__}). Start again.")
                self._failed(err, phase, generation)
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
            text = f"{error.message} Trying again in {int(retry_in)} s."
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
                err = X2DeskError(
                    f"The server went from '{current}' to '{step.state}', which x2desk does not "
                    "expect. Start again."
                )
                self._fail_locked(err)
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
            note = "The QR expired; getting a new one…"
        if step.state is State.WAITING_FOR_PASSWORD and step.password_hint and not note:
            note = f"{STATE_TEXT[State.WAITING_FOR_PASSWORD]} Hint: {step.password_hint}"
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
                snap, qr=None, qr_image=None, text="The QR expired; getting a new one…"
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
            err = SessionExpired()
            self._enter(State.EXPIRED, text=err.message, error=err)
        self._publish()

    def _failed(self, error: X2DeskError, phase: str, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._snap.state in TERMINAL:
                return
            state = self._snap.state
            keep = (
                (phase == "submit_code" and isinstance(error, CodeInvalid))
                or (phase == "submit_password" and isinstance(error, PasswordInvalid))
                or (phase in INPUTS.values() and is_transient(error))
            )
            if keep and not isinstance(error, SessionExpired):
                # a wrong code or password keeps its step, and says so
                self._snap = replace(
                    self._snap, busy=False, text=error.message, error=error, error_key=error.key
                )
            else:
                if phase == "finish" and isinstance(error, AnswerLost):
                    error = AnswerLost(
                        "The request to create the connection was sent but no answer came back: "
                        "it may exist already. Check the connections list before trying again."
                    )
                self._generation += 1
                self.poller.stop()
                self._cancel_timers()
                if isinstance(error, SessionExpired):
                    self._enter(State.EXPIRED, text=error.message, error=error)
                else:
                    self._enter(State.FAILED, text=error.message, error=error)
                log.info("login %s failed in %s: %s", self.driver.flow, state, error.key)
        self._publish()

    def _fail_locked(self, error: X2DeskError) -> None:
        self._generation += 1
        self.poller.stop()
        self._cancel_timers()
        self._enter(State.FAILED, text=error.message, error=error)

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


# ---- drivers for the connections provider (API.md section 3) -----------------------------------


class ProviderDriver:
    """Shared parts of the provider's flows."""

    flow = "provider"
    session_lifetime_s: float | None = None

    def __init__(self, client: ConnectionsClient, name: str = "") -> None:
        self.client = client
        self.name = name

    def begin(self) -> Step:
        raise NotImplementedError

    def poll(self) -> Step:
        raise NotImplementedError

    def submit_code(self, code: Secret) -> Step:
        raise InputError("This kind of connection does not use a login code.")

    def submit_password(self, password: Secret) -> Step:
        raise InputError("This kind of connection does not use a password.")

    def finish(self) -> Step:
        raise NotImplementedError


DEFAULT_NAMES = {"telegram": "Telegram", "max_personal": "MAX"}

_SESSION_STATES = {
    "waiting_for_qr": State.WAITING_FOR_QR,
    "waiting_for_code": State.WAITING_FOR_CODE,
    "waiting_for_password": State.WAITING_FOR_PASSWORD,
    "authenticated": State.AUTHENTICATED,
}


class _AccountDriver(ProviderDriver):
    """Telegram and MAX accounts: a login session, then a connection (unless re-authorising)."""

    connection_type = ""
    session_lifetime_s: float | None = SESSION_LIFETIME_S

    def __init__(
        self, client: ConnectionsClient, name: str = "", connection_id: int | str | None = None
    ) -> None:
        super().__init__(client, name)
        self.connection_id = connection_id
        self.session: Session | None = None

    def _step(self, session: Session) -> Step:
        self.session = session
        qr = session.qr_login
        return Step(
            state=_SESSION_STATES[session.status],
            qr=qr.url if qr and session.status == "waiting_for_qr" else None,
            qr_expires_at=qr.expires_at if qr and session.status == "waiting_for_qr" else None,
            password_hint=session.password_hint,
        )

    @property
    def session_id(self) -> str:
        if self.session is None:
            raise SessionExpired("There is no login session yet. Start again.")
        return self.session.session_id

    def finish(self) -> Step:
        if self.connection_id is not None:  # re-authorisation: no new connection
            try:
                connection: Connection | None = self.client.get_connection(self.connection_id)
            except X2DeskError:
                connection = None
            return Step(State.CONNECTED, note="Re-authorised the connection.", result=connection)
        name = self.name or DEFAULT_NAMES.get(self.connection_type, self.connection_type)
        connection = self.client.create_connection(
            name, self.connection_type, {"session_id": self.session_id}
        )
        return Step(State.CONNECTED, result=connection)


class TelegramQrDriver(_AccountDriver):
    flow = "telegram_qr"
    connection_type = "telegram"

    def begin(self) -> Step:
        return self._step(self.client.telegram_init("qr", connection_id=self.connection_id))

    def poll(self) -> Step:
        return self._step(self.client.telegram_login(self.session_id))

    def submit_password(self, password: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, password=password))


class _PhoneDriver(_AccountDriver):
    """An account login that starts from a phone number (checked before anything is sent)."""

    def __init__(
        self,
        client: ConnectionsClient,
        phone: str,
        name: str = "",
        connection_id: int | str | None = None,
    ) -> None:
        super().__init__(client, name, connection_id)
        self.phone = normalise_phone(phone)  # InputError before anything is sent


class TelegramCodeDriver(_PhoneDriver):
    flow = "telegram_code"
    connection_type = "telegram"

    def begin(self) -> Step:
        return self._step(
            self.client.telegram_init("code", phone=self.phone, connection_id=self.connection_id)
        )

    def poll(self) -> Step:
        return self._step(self.client.telegram_login(self.session_id))

    def submit_code(self, code: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, code=code))

    def submit_password(self, password: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, password=password))


class MaxCodeDriver(_PhoneDriver):
    flow = "max_code"
    connection_type = "max_personal"

    def begin(self) -> Step:
        return self._step(self.client.max_init(self.phone, connection_id=self.connection_id))

    def poll(self) -> Step:
        raise SessionExpired("A MAX login has nothing to poll. Start again.")

    def submit_code(self, code: Secret) -> Step:
        return self._step(self.client.max_login(self.session_id, code))


class WhatsAppDriver(ProviderDriver):
    """Create a ``whatsapp`` connection (or reuse ``connection_id``), then poll its status: a QR
    (refreshed as it expires, about every 30 s) until ``authorized``."""

    flow = "whatsapp"

    def __init__(
        self, client: ConnectionsClient, name: str = "", connection_id: int | str | None = None
    ) -> None:
        super().__init__(client, name)
        self.connection_id = connection_id
        self.connection: Connection | None = None

    def begin(self) -> Step:
        if self.connection_id is None:
            self.connection = self.client.create_connection(self.name or "WhatsApp", "whatsapp")
            self.connection_id = self.connection.id
        return self.poll()

    def poll(self) -> Step:
        assert self.connection_id is not None
        return self._step(self.client.whatsapp_status(self.connection_id))

    def _step(self, status: WhatsAppStatus) -> Step:
        link = self.connection.qr_url if self.connection else None
        if status.status == "qr":
            return Step(
                State.WAITING_FOR_QR, qr=status.qr, qr_expires_at=status.expires_at, qr_link=link
            )
        if status.status == "loading":
            return Step(State.LOADING, note="WhatsApp is loading; wait a moment…")
        return self.finish()

    def finish(self) -> Step:
        assert self.connection_id is not None
        with contextlib.suppress(X2DeskError):
            self.connection = self.client.get_connection(self.connection_id)
        return Step(State.CONNECTED, result=self.connection)


class TelegramBotDriver(ProviderDriver):
    flow = "telegram_bot"

    def __init__(self, client: ConnectionsClient, token: Secret, name: str = "") -> None:
        super().__init__(client, name)
        self.token = check_bot_token(token)  # InputError before anything is sent

    def begin(self) -> Step:
        connection = self.client.create_connection(
            self.name or "Telegram bot", "telegram_bot", {"token": self.token}
        )
        return Step(State.CONNECTED, result=connection)


class OdnoklassnikiDriver(ProviderDriver):
    """Connect an Odnoklassniki group by its API key, or change the key of ``connection_id``."""

    flow = "odnoklassniki"

    def __init__(
        self,
        client: ConnectionsClient,
        api_key: Secret,
        name: str = "",
        connection_id: int | str | None = None,
    ) -> None:
        super().__init__(client, name)
        self.api_key = check_api_key(api_key, "group's API key")
        self.connection_id = connection_id

    def begin(self) -> Step:
        if self.connection_id is not None:
            connection = self.client.update_key(self.connection_id, self.api_key)
            return Step(State.CONNECTED, note="The group's key was changed.", result=connection)
        connection = self.client.create_connection(
            self.name or "Odnoklassniki group", "odnoklassniki", {"api_key": self.api_key}
        )
        return Step(State.CONNECTED, result=connection)
