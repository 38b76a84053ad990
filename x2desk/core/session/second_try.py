"""What a login session does after a failure before it gives up (issue 17 items 5 and 7), a part
of :class:`~x2desk.core.session.machine.LoginSession`:

- **A failed start is tried again**: a transient error on the first call (a 5xx, a drop, a
  timeout, a 429, no connection) backs off as polling does (5, 10, 20 s; a longer capped
  Retry-After wins) and starts again, at most once per back-off step, saying so. Only when
  repeating the start cannot make a second thing at the remote side: nothing was sent (no
  connection, a 429), or the driver says its start is safe to repeat (``begin_repeatable``:
  Green-API reads the instance's state; WhatsApp once its connection exists).
- **A code or password whose answer was lost is not sent again blindly**: the session is polled
  first (the server may have taken it and be logged in already: then the connection is made);
  only if it still waits for the input is the person asked again. Drivers that cannot poll
  (``can_recheck`` False: MAX) keep the step and say what happened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from x2desk.core.errors import (
    AnswerLost,
    CannotConnect,
    CodeInvalid,
    PasswordInvalid,
    RateLimited,
    SessionExpired,
    X2DeskError,
)
from x2desk.core.session.poller import is_transient
from x2desk.core.session.states import INPUTS, Snapshot, State, Step
from x2desk.i18n import _, ngettext

if TYPE_CHECKING:
    from x2desk.core.session.poller import Handle, Poller, Scheduler
    from x2desk.core.session.states import LoginDriver

RECHECK = "recheck"  # the phase of the poll after an input's lost answer


def keeps_step(error: X2DeskError, phase: str) -> bool:
    """Whether a failure of ``phase`` keeps the step the person is on (a wrong code or
    password, a passing trouble while sending one), saying so, instead of ending the session."""
    if isinstance(error, SessionExpired):
        return False
    return (
        (phase == "submit_code" and isinstance(error, CodeInvalid))
        or (phase == "submit_password" and isinstance(error, PasswordInvalid))
        or (phase in (*INPUTS.values(), RECHECK) and is_transient(error))
    )


def waiting_text(error: X2DeskError, seconds: float) -> str:
    """One sentence: what went wrong and when x2desk tries again (the capped wait)."""
    n = int(seconds + 0.999)
    again = ngettext("Trying again in {s} second.", "Trying again in {s} seconds.", n).format(s=n)
    if isinstance(error, RateLimited):
        return _("The server asked x2desk to slow down.") + " " + again
    return f"{error.message} {again}"


class SecondTry:
    """Mixed into LoginSession (which provides these attributes)."""

    driver: LoginDriver
    poller: Poller
    scheduler: Scheduler
    _lock: threading.RLock
    _snap: Snapshot
    _generation: int
    _timers: list[Handle]
    _begin_tries: int
    _publish: Callable[[], None]
    _run: Callable[[Callable[[], Step], str], None]

    def _second_try(self, error: X2DeskError, phase: str) -> bool:
        """Called with the lock held by a failure of ``phase``: True when it took over (a
        start tried again later, or an input's session polled), False to fail as usual."""
        if phase == "begin":
            return self._begin_again(error)
        if phase in INPUTS.values() and isinstance(error, AnswerLost):
            return self._recheck(error)
        return False

    def _begin_again(self, error: X2DeskError) -> bool:
        nothing_sent = isinstance(error, CannotConnect | RateLimited)
        repeatable = bool(getattr(self.driver, "begin_repeatable", False))
        if not is_transient(error) or not (nothing_sent or repeatable):
            return False
        if self._begin_tries >= len(self.poller.backoff_s):
            return False  # the bound: say the error
        self._begin_tries += 1
        delay = self.poller.backoff_delay(self._begin_tries)
        if isinstance(error, RateLimited) and error.retry_after:
            delay = max(delay, error.retry_after)
        generation = self._generation
        self._snap = replace(
            self._snap,
            busy=True,
            retry_in=delay,
            text=waiting_text(error, delay),
            error=error,
            error_key=error.key,
        )
        self._timers.append(self.scheduler.call_later(delay, lambda: self._begin_later(generation)))
        return True

    def _begin_later(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # cancelled or restarted meanwhile
            self._snap = replace(self._snap, retry_in=None)
        self._run(self.driver.begin, "begin")

    def _recheck(self, error: X2DeskError) -> bool:
        if not getattr(self.driver, "can_recheck", True):
            return False
        waited = self._snap.state
        note = (
            _("No answer came for the code; x2desk checks whether it arrived before asking again…")
            if waited is State.WAITING_FOR_CODE
            else _(
                "No answer came for the password; x2desk checks whether it arrived before asking "
                "again…"
            )
        )
        self._snap = replace(self._snap, busy=True, text=note, error=error, error_key=error.key)
        driver = self.driver

        def poll_first() -> Step:
            step = driver.poll()
            if step.state is waited and not step.note:
                again = (
                    _("The code did not arrive: type it again.")
                    if waited is State.WAITING_FOR_CODE
                    else _("The password did not arrive: type it again.")
                )
                step = replace(step, note=again)
            return step

        self._run(poll_first, RECHECK)  # scheduled: runs once the lock is free
        return True
