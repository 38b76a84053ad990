"""The poll driver: cadence, no overlap, back-off, cancel; the manual and threaded schedulers."""

from __future__ import annotations

import itertools
import threading

from x2desk.core.clock import FakeClock, SystemClock
from x2desk.core.errors import CannotConnect, InvalidAuth, RateLimited, X2DeskError
from x2desk.core.session.poller import ManualScheduler, Poller, ThreadScheduler


class Target:
    """A pollable whose answers are scripted: None = ok, an exception = that failure."""

    def __init__(self, clock: FakeClock, latency: float = 0.0) -> None:
        self.clock = clock
        self.latency = latency
        self.starts: list[float] = []
        self.failures: list[tuple[str, float | None]] = []
        self.script: list[X2DeskError | None] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.keep_going = True
        self.during: object = None

    def poll_once(self) -> bool:
        self.starts.append(self.clock.monotonic())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if callable(self.during):
                self.during()
            if self.latency:
                self.clock.advance(self.latency)
            outcome = self.script.pop(0) if self.script else None
            if outcome is not None:
                raise outcome
            return self.keep_going
        finally:
            self.in_flight -= 1

    def poll_failed(self, error: X2DeskError, retry_in: float | None) -> None:
        self.failures.append((error.key, retry_in))


def gaps(times: list[float]) -> list[float]:
    return [round(b - a, 3) for a, b in itertools.pairwise(times)]


def test_polls_every_five_seconds(fake_clock: FakeClock, manual: ManualScheduler) -> None:
    target = Target(fake_clock)
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    t0 = fake_clock.monotonic()
    poller.start()
    manual.advance(60)
    assert len(target.starts) == 12
    assert target.starts[0] == t0 + 5
    assert set(gaps(target.starts)) == {5.0}


def test_interval_is_configurable_but_never_below_one_second(
    fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    target = Target(fake_clock)
    Poller(target, interval_s=2, clock=fake_clock, scheduler=manual).start()
    manual.advance(10)
    assert set(gaps(target.starts)) == {2.0}
    fast = Poller(Target(fake_clock), interval_s=0.1, clock=fake_clock, scheduler=manual)
    assert fast.interval_s == 1.0


def test_slow_answer_delays_the_next_poll_instead_of_stacking(
    fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    target = Target(fake_clock, latency=12.0)  # each answer takes 12 s
    Poller(target, clock=fake_clock, scheduler=manual).start()
    manual.advance(60)
    assert target.max_in_flight == 1
    # next poll 5 s after each answer: 12 s in flight + 5 s wait
    assert set(gaps(target.starts)) == {17.0}


def test_errors_back_off_5_10_20_capped_then_the_rhythm_resumes(
    fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    target = Target(fake_clock)
    target.script = [None, CannotConnect(), CannotConnect(), CannotConnect(), CannotConnect()]
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    poller.start()
    manual.advance(100)
    assert gaps(target.starts)[:7] == [5, 5, 10, 20, 20, 5, 5]
    assert [r for _, r in target.failures] == [5, 10, 20, 20]
    assert poller.failures == 0 and poller.running


def test_rate_limit_retry_after_is_honoured(fake_clock: FakeClock, manual: ManualScheduler) -> None:
    target = Target(fake_clock)
    target.script = [RateLimited(retry_after=30)]
    Poller(target, clock=fake_clock, scheduler=manual).start()
    manual.advance(40)
    assert gaps(target.starts)[0] == 30
    assert target.failures == [("rate_limited", 30)]


def test_a_fatal_error_stops_polling(fake_clock: FakeClock, manual: ManualScheduler) -> None:
    target = Target(fake_clock)
    target.script = [InvalidAuth()]
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    poller.start()
    manual.advance(60)
    assert len(target.starts) == 1
    assert target.failures == [("invalid_auth", None)]
    assert not poller.running


def test_target_saying_done_stops_polling(fake_clock: FakeClock, manual: ManualScheduler) -> None:
    target = Target(fake_clock)
    target.keep_going = False
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    poller.start(delay_s=0)
    manual.advance(30)
    assert len(target.starts) == 1 and not poller.running


def test_stop_cancels_the_next_tick_and_ignores_the_answer_in_flight(
    fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    target = Target(fake_clock)
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    target.during = lambda: poller.stop() if len(target.starts) == 2 else None
    target.script = [None, CannotConnect()]
    poller.start()
    manual.advance(60)
    assert len(target.starts) == 2
    assert target.failures == []  # the failed answer arrived after stop: not acted on
    assert manual.pending() == []


def test_poll_now_skips_the_wait_but_not_a_back_off(
    fake_clock: FakeClock, manual: ManualScheduler
) -> None:
    target = Target(fake_clock)
    poller = Poller(target, clock=fake_clock, scheduler=manual)
    poller.start()
    manual.advance(2)
    poller.poll_now()
    manual.run_due()
    assert target.starts == [fake_clock.monotonic()]
    target.script = [CannotConnect()]
    manual.advance(5)
    assert poller.failures == 1
    poller.poll_now()
    manual.run_due()
    assert len(target.starts) == 2  # still waiting out the back-off


def test_thread_scheduler_runs_in_due_order_and_cancels() -> None:
    ran: list[str] = []
    done = threading.Event()
    with ThreadScheduler(SystemClock()) as scheduler:
        scheduler.call_later(0.05, lambda: ran.append("b"))
        scheduler.call_later(0.0, lambda: ran.append("a"))
        scheduler.call_later(0.02, lambda: 1 / 0)  # a failing callback does not kill it
        handle = scheduler.call_later(0.03, lambda: ran.append("cancelled"))
        handle.cancel()
        scheduler.call_later(0.08, done.set)
        assert done.wait(5)
    assert ran == ["a", "b"]


def test_poller_on_a_real_thread_stops_cleanly() -> None:
    clock = SystemClock()
    polled = threading.Event()

    class Once:
        def poll_once(self) -> bool:
            polled.set()
            return True

        def poll_failed(self, error: X2DeskError, retry_in: float | None) -> None:
            raise AssertionError("no failure expected")

    with ThreadScheduler(clock) as scheduler:
        poller = Poller(Once(), interval_s=1, clock=clock, scheduler=scheduler)
        poller.start(delay_s=0)
        assert polled.wait(5)
        poller.stop()
        assert not poller.running and poller.next_poll_at is None
