"""The poll driver: asks a target for news at a steady rhythm, one request at a time.

Used by the login sessions (Telegram, MAX, WhatsApp) and by Green-API pairing. No Qt here.

- :class:`Poller` calls ``target.poll_once()`` every ``interval_s`` (5 s by default, never below
  :data:`MIN_INTERVAL_S`). The next poll is scheduled only when the answer is in, so a slow
  server delays the rhythm instead of stacking requests.
- A transient failure (:data:`TRANSIENT`) backs off 5, 10, 20, 20... s (a 429's ``Retry-After``
  is honoured when longer) and tells the target so; the first success resumes the normal rhythm.
  Any other error stops the poller and is handed to the target.
- :meth:`Poller.stop` cancels the pending tick; an answer still in flight is ignored.

Work runs on a :class:`Scheduler`: :class:`ThreadScheduler` (real time, one worker thread, for
the CLI and for the GUI, whose observers marshal snapshots to the GUI thread) and
:class:`ManualScheduler` (tests: runs callbacks when a :class:`~x2desk.core.clock.FakeClock` is
advanced through it). A scheduler runs its callbacks one at a time, in due order; callbacks may
block (they make HTTP calls).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from x2desk.core.clock import SYSTEM_CLOCK, Clock, FakeClock
from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    RateLimited,
    ServerError,
    X2DeskError,
)
from x2desk.core.redact import scrub
from x2desk.i18n import _

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 5.0
MIN_INTERVAL_S = 1.0
DEFAULT_BACKOFF_S: tuple[float, ...] = (5.0, 10.0, 20.0)

# Failures worth polling again for: nothing changed on the server's side that a retry cannot fix.
TRANSIENT: tuple[type[X2DeskError], ...] = (
    CannotConnect,
    AnswerLost,
    ServerError,
    RateLimited,
    BadAnswer,
)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT)


# ---- schedulers --------------------------------------------------------------------------------


class Handle(Protocol):
    def cancel(self) -> None: ...


class Scheduler(Protocol):
    def call_later(self, delay_s: float, fn: Callable[[], None]) -> Handle:
        """Run ``fn`` once, ``delay_s`` seconds from now, never concurrently with another one."""
        ...


class _Timer:
    __slots__ = ("cancelled", "due", "fn", "seq")

    def __init__(self, due: float, seq: int, fn: Callable[[], None]) -> None:
        self.due = due
        self.seq = seq
        self.fn = fn
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: _Timer) -> bool:
        return (self.due, self.seq) < (other.due, other.seq)


def _run_safely(fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception as exc:  # a bug in one callback must not kill the scheduler
        log.error("scheduled callback failed: %s", scrub(f"{type(exc).__name__}: {exc}"))


class ManualScheduler:
    """For tests: nothing runs until :meth:`advance` or :meth:`run_due` is called.

    :meth:`advance` moves the fake clock from one due callback to the next, so a poll every 5 s
    over 60 s runs exactly 12 times. A callback may itself advance the clock (a slow server).
    """

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self._heap: list[_Timer] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> Handle:
        timer = _Timer(self.clock.monotonic() + max(0.0, delay_s), next(self._seq), fn)
        with self._lock:
            heapq.heappush(self._heap, timer)
        return timer

    def pending(self) -> list[float]:
        """Due times (monotonic) of the callbacks still waiting, soonest first."""
        with self._lock:
            return sorted(t.due for t in self._heap if not t.cancelled)

    def _pop_due(self, limit: float) -> _Timer | None:
        with self._lock:
            while self._heap and self._heap[0].cancelled:
                heapq.heappop(self._heap)
            if self._heap and self._heap[0].due <= limit:
                return heapq.heappop(self._heap)
        return None

    def run_due(self) -> int:
        """Run every callback due now (including ones they schedule for now). Returns how many."""
        ran = 0
        while (timer := self._pop_due(self.clock.monotonic())) is not None:
            _run_safely(timer.fn)
            ran += 1
        return ran

    def advance(self, seconds: float) -> int:
        """Move the clock ``seconds`` ahead, running each callback at its due time."""
        target = self.clock.monotonic() + seconds
        ran = self.run_due()
        while (timer := self._pop_due(target)) is not None:
            now = self.clock.monotonic()
            if timer.due > now:
                self.clock.advance(timer.due - now)
            _run_safely(timer.fn)
            ran += 1
            ran += self.run_due()
        now = self.clock.monotonic()
        if target > now:
            self.clock.advance(target - now)
        return ran + self.run_due()


class ThreadScheduler:
    """Real time; a worker thread runs the callbacks in due order; :meth:`close` ends it."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK, name: str = "x2desk-poller") -> None:
        self._clock = clock
        self._heap: list[_Timer] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def call_later(self, delay_s: float, fn: Callable[[], None]) -> Handle:
        timer = _Timer(self._clock.monotonic() + max(0.0, delay_s), next(self._seq), fn)
        with self._cond:
            heapq.heappush(self._heap, timer)
            self._cond.notify()
        return timer

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    while self._heap and self._heap[0].cancelled:
                        heapq.heappop(self._heap)
                    if self._heap:
                        wait = self._heap[0].due - self._clock.monotonic()
                        if wait <= 0:
                            timer = heapq.heappop(self._heap)
                            break
                        self._cond.wait(min(wait, 0.5))
                    else:
                        self._cond.wait(0.5)
            if not timer.cancelled:
                _run_safely(timer.fn)

    def close(self, timeout_s: float = 2.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    def __enter__(self) -> ThreadScheduler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---- the poller --------------------------------------------------------------------------------


class Pollable(Protocol):
    """What a :class:`Poller` drives (a login session, a Green-API pairing...)."""

    def poll_once(self) -> bool:
        """Ask the server once (may block). Return False when no further poll is wanted."""
        ...

    def poll_failed(self, error: X2DeskError, retry_in: float | None) -> None:
        """A poll failed. ``retry_in`` is the back-off delay, or None: polling has stopped."""
        ...


class Poller:
    """Calls ``target.poll_once()`` every ``interval_s``, one call at a time, backing off on
    transient errors. Thread-safe: :meth:`stop` and :meth:`poll_now` may be called from anywhere.
    """

    def __init__(
        self,
        target: Pollable,
        interval_s: float = DEFAULT_INTERVAL_S,
        clock: Clock = SYSTEM_CLOCK,
        scheduler: Scheduler | None = None,
        backoff_s: Sequence[float] = DEFAULT_BACKOFF_S,
    ) -> None:
        self.target = target
        self.interval_s = max(MIN_INTERVAL_S, float(interval_s))
        self.clock = clock
        self.scheduler: Scheduler = scheduler if scheduler is not None else ThreadScheduler(clock)
        self.backoff_s = tuple(backoff_s) or DEFAULT_BACKOFF_S
        self.failures = 0  # consecutive failed polls
        self.polls = 0
        self._lock = threading.Lock()
        self._running = False
        self._in_flight = False
        self._handle: Handle | None = None
        self._generation = 0
        self.next_poll_at: float | None = None  # monotonic

    @property
    def running(self) -> bool:
        return self._running

    @property
    def in_flight(self) -> bool:
        return self._in_flight

    def start(self, delay_s: float | None = None) -> None:
        """Start polling: the first poll after ``delay_s`` (default: one interval)."""
        with self._lock:
            self._generation += 1
            self._running = True
            self.failures = 0
            self._schedule_locked(self.interval_s if delay_s is None else delay_s)

    def stop(self) -> None:
        """Stop now: the pending tick is cancelled and an answer in flight is ignored."""
        with self._lock:
            self._running = False
            self._generation += 1
            self.next_poll_at = None
            if self._handle is not None:
                self._handle.cancel()
                self._handle = None

    def poll_now(self) -> None:
        """Poll as soon as possible (a QR just expired), unless a poll is already in flight or
        the poller is backing off after errors."""
        with self._lock:
            if self._running and not self._in_flight and self.failures == 0:
                self._schedule_locked(0.0)

    def backoff_delay(self, failures: int) -> float:
        return self.backoff_s[min(failures, len(self.backoff_s)) - 1]

    def _schedule_locked(self, delay_s: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        generation = self._generation
        self.next_poll_at = self.clock.monotonic() + delay_s
        self._handle = self.scheduler.call_later(delay_s, lambda: self._tick(generation))

    def _tick(self, generation: int) -> None:
        with self._lock:
            if not self._running or generation != self._generation or self._in_flight:
                return
            self._in_flight = True
            self._handle = None
            self.next_poll_at = None
        error: X2DeskError | None = None
        keep_going = False
        try:
            self.polls += 1
            keep_going = self.target.poll_once()
        except X2DeskError as exc:
            error = exc
        except Exception as exc:  # a bug must not leave the poller silently dead
            log.error("poll failed unexpectedly: %s", scrub(f"{type(exc).__name__}: {exc}"))
            error = X2DeskError(
                _("Unexpected error while waiting ({name}).").format(name=type(exc).__name__)
            )
        with self._lock:
            self._in_flight = False
            if not self._running or generation != self._generation:
                return  # stopped while the request was in flight: its answer is not acted on
            retry_in: float | None = None
            if error is None:
                self.failures = 0
                if keep_going:
                    self._schedule_locked(self.interval_s)
                else:
                    self._running = False
            elif is_transient(error):
                self.failures += 1
                retry_in = self.backoff_delay(self.failures)
                if isinstance(error, RateLimited) and error.retry_after:
                    retry_in = max(retry_in, float(error.retry_after))
                self._schedule_locked(retry_in)
            else:
                self._running = False
        if error is not None:
            self.target.poll_failed(error, retry_in)
