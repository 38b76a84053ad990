"""The login session's vocabulary (no Qt): its states and which may follow which
(:data:`TRANSITIONS`), where it polls (:data:`POLLING`) and waits for the person (:data:`INPUTS`),
a driver's answer (:class:`Step`), what observers are shown (:class:`Snapshot`) and what a driver
implements (:class:`LoginDriver`). The machine itself is :mod:`x2desk.core.session.machine`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from x2desk.core.errors import InputError, X2DeskError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _


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


ENDINGS = frozenset({State.FAILED, State.CANCELLED, State.EXPIRED})
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
    State.STARTING: _WAITING | ENDINGS,
    State.WAITING_FOR_QR: _WAITING - {State.WAITING_FOR_CODE} | ENDINGS,
    State.LOADING: _WAITING | ENDINGS,  # a Green-API phone login asks for its code once started
    State.WAITING_FOR_CODE: _WAITING - {State.WAITING_FOR_QR} | ENDINGS,
    State.WAITING_FOR_PASSWORD: _WAITING - {State.WAITING_FOR_CODE} | ENDINGS,
    State.AUTHENTICATED: frozenset({State.CREATING_CONNECTION, State.CONNECTED}) | ENDINGS,
    State.CREATING_CONNECTION: frozenset({State.CONNECTED}) | ENDINGS,
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
TERMINAL = frozenset({State.CONNECTED}) | ENDINGS

STATE_TEXT: dict[State, str] = {  # N_: translated where shown
    State.STARTING: N_("Starting the login session…"),
    State.WAITING_FOR_QR: N_("Scan the QR with your phone."),
    State.WAITING_FOR_CODE: N_("Type the login code you received."),
    State.WAITING_FOR_PASSWORD: N_("This account has two-step verification: type its password."),
    State.LOADING: N_("Almost there: waiting for the other side…"),
    State.AUTHENTICATED: N_("Logged in."),
    State.CREATING_CONNECTION: N_("Creating the connection…"),
    State.CONNECTED: N_("Connected."),
    State.FAILED: N_("It did not work."),
    State.CANCELLED: N_("Cancelled. Nothing more will be sent."),
    State.EXPIRED: N_("The login session has ended. Start again."),
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
        raise InputError(_("Type the login code you received."))
    if not value.isdigit() or not 3 <= len(value) <= 10:
        raise InputError(_("A login code is a few digits (usually 5): type just the digits."))
    return Secret(value)


class Running(Protocol):
    """What a GUI or a CLI drives and watches: a :class:`~x2desk.core.session.machine.LoginSession`
    or a front over one (the Green-API pairing)."""

    def subscribe(self, observer: Observer) -> Callable[[], None]: ...

    def snapshot(self) -> Snapshot: ...

    def start(self) -> None: ...

    def restart(self) -> None: ...

    def cancel(self) -> None: ...


# ---- what a session says when something goes wrong (in the language of now) -------------------


def unexpected_error(exc: BaseException) -> X2DeskError:
    return X2DeskError(_("Unexpected error ({name}). Start again.").format(name=type(exc).__name__))


def unexpected_transition(current: State, state: State) -> X2DeskError:
    return X2DeskError(
        _(
            "The server went from '{current}' to '{state}', which x2desk does not expect. "
            "Start again."
        ).format(current=current, state=state)
    )


def password_note(hint: str) -> str:
    """The password step with the account's hint."""
    asked = _(STATE_TEXT[State.WAITING_FOR_PASSWORD])
    return _("{asked} Hint: {hint}").format(asked=asked, hint=hint)
