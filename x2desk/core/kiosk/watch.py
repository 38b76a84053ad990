"""The kiosk's clocks, without Qt: when an idle screen resets, when the next reachability probe is
due, how long a screen stays. All of it reads an injectable :class:`~x2desk.core.clock.Clock`, so
tests move a :class:`~x2desk.core.clock.FakeClock` instead of waiting; the window only asks these
objects on each tick of its one heartbeat timer.
"""

from __future__ import annotations

from dataclasses import dataclass

from x2desk.core.clock import SYSTEM_CLOCK, Clock

# After a probe found the services: the next one this long after. Offline: sooner at first,
# then less and less often (a kiosk can be offline for hours; one request per service each time).
PROBE_ONLINE_S = 60.0
PROBE_OFFLINE_S = (5.0, 10.0, 20.0, 30.0)


@dataclass(frozen=True)
class Timings:
    """How long each thing lasts, in seconds (the config's, or shorter for the autopilot)."""

    idle_s: float = 120.0  # no touch for this long on any page: reset to the start
    warning_s: float = 15.0  # the last seconds of idle_s show "Are you still there?"
    done_s: float = 10.0  # the done screen (and the "not ready" one) stays this long
    hold_s: float = 5.0  # a long press on the exit corner
    probe_online_s: float = PROBE_ONLINE_S
    probe_offline_s: tuple[float, ...] = PROBE_OFFLINE_S


class IdleWatch:
    """Seconds since the last touch. :meth:`touch` on every press, key or touch."""

    def __init__(self, idle_s: float, warning_s: float, clock: Clock = SYSTEM_CLOCK) -> None:
        self.idle_s = idle_s
        self.warning_s = warning_s
        self._clock = clock
        self._last = clock.monotonic()

    def touch(self) -> None:
        self._last = self._clock.monotonic()

    def seconds_left(self) -> float:
        """Until the reset (0 or less: due now)."""
        return self.idle_s - (self._clock.monotonic() - self._last)

    def warning(self) -> bool:
        """In the last ``warning_s`` seconds before the reset (not yet due)."""
        return 0 < self.seconds_left() <= self.warning_s

    def expired(self) -> bool:
        return self.seconds_left() <= 0


class Deadline:
    """A moment ``seconds`` from when it was set (None: not set)."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._at: float | None = None

    def set(self, seconds: float) -> None:
        self._at = self._clock.monotonic() + seconds

    def clear(self) -> None:
        self._at = None

    @property
    def active(self) -> bool:
        return self._at is not None

    def seconds_left(self) -> float:
        return 0.0 if self._at is None else self._at - self._clock.monotonic()

    def passed(self) -> bool:
        return self._at is not None and self.seconds_left() <= 0


class ProbeSchedule:
    """When to ask next whether the services answer: every ``online_s`` while they do; after a
    failure ``offline_s[0]``, then each next step of it (the last one repeats)."""

    def __init__(
        self,
        online_s: float = PROBE_ONLINE_S,
        offline_s: tuple[float, ...] = PROBE_OFFLINE_S,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.online_s = online_s
        self.offline_s = offline_s or (online_s,)
        self._clock = clock
        self._failures = 0
        self._next = clock.monotonic() + online_s
        self.online = True

    def due(self) -> bool:
        return self._clock.monotonic() >= self._next

    def now(self) -> None:
        """Probe at the next tick (a flow just failed to connect)."""
        self._next = self._clock.monotonic()

    def seconds_to_next(self) -> float:
        return max(0.0, self._next - self._clock.monotonic())

    def result(self, ok: bool) -> None:
        """What the probe found; sets when the next one is due."""
        self.online = ok
        if ok:
            self._failures = 0
            wait = self.online_s
        else:
            wait = self.offline_s[min(self._failures, len(self.offline_s) - 1)]
            self._failures += 1
        self._next = self._clock.monotonic() + wait
