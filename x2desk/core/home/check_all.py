"""Check many connections one after another, gently: "check all" for the home view and
``x2desk check --all``.

:class:`CheckAll` is an iterator (run it in a worker): each step checks one connection with a
:class:`~x2desk.core.home.checks.Checker` (which writes the result to the record and history)
and yields a :class:`Progress`. Between two checks it waits until ``interval_s`` has passed since
the previous one began (longer when a service asked to slow down: its Retry-After, capped), so a
list of 200 never hammers a service. :meth:`CheckAll.cancel` (from any thread) stops it between
two checks, also in the middle of a wait. The clock and the wait are injectable: tests never
sleep.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError, NotFound

if TYPE_CHECKING:
    from x2desk.core.home.checks import Checker, CheckResult
    from x2desk.core.status import Status
    from x2desk.core.store.record_query import RecordQuery

DEFAULT_INTERVAL_S = 1.0
MAX_PAUSE_S = 120.0  # the longest a service's "slow down" holds the rest of the list

Wait = Callable[[float], bool]  # wait up to this many seconds; True: cancelled meanwhile


@dataclass(frozen=True)
class Progress:
    done: int  # checks finished (or skipped) so far, this one included
    total: int
    record_id: int
    result: CheckResult | None  # None: the connection was forgotten or removed meanwhile


class CheckAll:
    """Checks ``record_ids`` in order; iterate it. See the module's doc."""

    def __init__(
        self,
        checker: Checker,
        record_ids: Iterable[int],
        *,
        interval_s: float = DEFAULT_INTERVAL_S,
        clock: Clock = SYSTEM_CLOCK,
        wait: Wait | None = None,
    ) -> None:
        self.checker = checker
        self.record_ids = list(record_ids)
        self.interval_s = max(0.0, interval_s)
        self.clock = clock
        self._cancelled = threading.Event()
        self._wait = wait if wait is not None else self._cancelled.wait
        self.results: list[CheckResult] = []

    @classmethod
    def of(cls, checker: Checker, query: RecordQuery | None = None, **options: object) -> CheckAll:
        """Every connection ``query`` finds (default: all that are not forgotten)."""
        from x2desk.core.store.record_query import RecordQuery

        records = checker.records.query(query or RecordQuery())
        return cls(checker, [r.id for r in records], **options)  # type: ignore[arg-type]

    @property
    def total(self) -> int:
        return len(self.record_ids)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Stop before the next check (a check under way finishes and is kept)."""
        self._cancelled.set()

    def counts(self) -> Counter[Status]:
        """How many of the checks so far found each status."""
        return Counter(r.status for r in self.results)

    def __iter__(self) -> Iterator[Progress]:
        started: float | None = None
        pause = 0.0
        for done, record_id in enumerate(self.record_ids, start=1):
            if self.cancelled:
                return
            if started is not None:
                left = started + max(self.interval_s, pause) - self.clock.monotonic()
                if (left > 0 and self._wait(left)) or self.cancelled:
                    return
            started = self.clock.monotonic()
            try:
                result: CheckResult | None = self.checker.check(record_id)
            except (NotFound, InputError):  # forgotten or gone since the list was read
                result = None
            pause = min(result.retry_after_s or 0.0, MAX_PAUSE_S) if result else 0.0
            if result is not None:
                self.results.append(result)
            yield Progress(done, self.total, record_id, result)
