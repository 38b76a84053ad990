"""Injected faults: for the next N requests whose path starts with a prefix, misbehave.

A ``*`` in the prefix stands for one path segment (``/v2/companies/*/telegram/login``), so a test
need not know the ids the sandbox gave out.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("latency", "status", "drop", "malformed", "drop_after_commit", "partial", "trickle")
# Kinds that the endpoint's own handler applies (it asks with ``take(path, kinds=...)``); the
# server's generic fault step never takes them.
HANDLER_KINDS = ("partial",)
# ``partial`` on the redeem: a 200 whose body has these fields changed (None: left out).
DEFAULT_PARTIAL: dict[str, Any] = {
    "send_message_url": None,
    "getUpdates_url": None,
    "bot_username": 42,
}


@dataclass
class Fault:
    path_prefix: str
    kind: str
    value: float | None
    times: int
    retry_after: float | None = None
    fields: dict[str, Any] | None = None  # ``partial``: field -> replacement (None: remove)


def matches(path: str, prefix: str) -> bool:
    """Whether ``path`` starts with ``prefix``, each ``*`` in it matching one path segment."""
    if "*" not in prefix:
        return path.startswith(prefix)
    pattern = "[^/]*".join(re.escape(part) for part in prefix.split("*"))
    return re.match(pattern, path) is not None


class FaultError(ValueError):
    """A fault request that does not make sense (the message says why)."""


class FaultBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, spec: dict[str, Any]) -> Fault:
        prefix = spec.get("path_prefix")
        kind = spec.get("kind")
        value = spec.get("value")
        times = spec.get("times", 1)
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise FaultError("path_prefix must be a path starting with '/', e.g. /api/v1/")
        if prefix.startswith("/_sandbox"):
            raise FaultError("faults cannot target the /_sandbox/ endpoints themselves")
        if kind not in KINDS:
            raise FaultError(f"kind must be one of {', '.join(KINDS)}")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise FaultError("times must be a whole number of at least 1")
        if kind == "latency":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 60:
                raise FaultError("a latency fault needs value: seconds, more than 0, at most 60")
        elif kind == "trickle":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 5:
                raise FaultError("a trickle fault needs value: seconds between bytes, at most 5")
        elif kind == "status" and (
            isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599
        ):
            raise FaultError("a status fault needs value: an HTTP status code (100-599)")
        retry_after = spec.get("retry_after")
        if retry_after is not None and (
            isinstance(retry_after, bool) or not isinstance(retry_after, int | float)
        ):
            raise FaultError("retry_after must be a number of seconds")
        if kind == "status" and value == 429 and "retry_after" not in spec:
            retry_after = 1  # a 429 says when by default; "retry_after": null sends none
        fields = spec.get("fields")
        if kind == "partial":
            if fields is None:
                fields = dict(DEFAULT_PARTIAL)
            if not isinstance(fields, dict) or not fields:
                raise FaultError("a partial fault needs fields: {name: replacement or null}")
        elif fields is not None:
            raise FaultError("fields is only for a partial fault")
        fault = Fault(
            prefix,
            kind,
            None if value is None else float(value),
            times,
            retry_after,
            fields,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, path: str, kinds: tuple[str, ...] | None = None) -> Fault | None:
        """The first fault matching ``path`` (of ``kinds``; by default any kind the server
        applies itself, not HANDLER_KINDS), counting one of its uses."""
        with self._lock:
            for fault in self._faults:
                wanted = (
                    fault.kind in kinds if kinds is not None else fault.kind not in HANDLER_KINDS
                )
                if wanted and matches(path, fault.path_prefix):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
