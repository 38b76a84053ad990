"""A stall probe: a fast timer that records the longest gap between its ticks, and how many
gaps were long.

If the GUI thread is blocked (a decode, a network call, a keyring prompt), the timer cannot fire
and the gap grows. ``bench/scan_gui.py`` reads :attr:`StallProbe.max_gap_ms` (on a quiet
machine); tests read :attr:`StallProbe.long_stalls`: a blocking call on every frame makes dozens
of long gaps, while a busy machine that preempts the whole process now and then makes one or two.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer

LONG_STALL_MS = 100.0  # a gap beyond the interval a person would notice as a stutter


class StallProbe(QObject):
    """Ticks every ``interval_ms`` on the thread it lives in and keeps the longest gap seen and
    the number of gaps over :data:`LONG_STALL_MS`."""

    def __init__(self, interval_ms: int = 5, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._interval_ms = interval_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.max_gap_ms = 0.0
        self.long_stalls = 0
        self.ticks = 0

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    @property
    def max_stall_ms(self) -> float:
        """The longest gap beyond the timer's own interval (0 when the loop never stalled)."""
        return max(0.0, self.max_gap_ms - self._interval_ms)

    def start(self) -> None:
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._last = None

    def reset(self) -> None:
        self._last = time.perf_counter() if self._timer.isActive() else None
        self.max_gap_ms = 0.0
        self.long_stalls = 0
        self.ticks = 0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            gap = (now - self._last) * 1000.0
            self.max_gap_ms = max(self.max_gap_ms, gap)
            if gap - self._interval_ms > LONG_STALL_MS:
                self.long_stalls += 1
        self._last = now
        self.ticks += 1
