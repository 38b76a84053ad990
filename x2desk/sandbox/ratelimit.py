"""A sliding-window rate limiter on the sandbox's injected clock."""

from __future__ import annotations

from collections import defaultdict, deque


class SlidingWindow:
    """At most ``limit`` hits per ``window_s`` seconds per key. Not thread-safe: hold the lock."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str, now: float) -> float | None:
        """Count one hit. ``None`` if allowed, else the seconds until the next one is allowed."""
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return max(0.001, hits[0] + self.window_s - now)
        hits.append(now)
        return None

    def clear(self) -> None:
        self._hits.clear()
