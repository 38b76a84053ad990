"""Bring a :class:`~x2desk.core.login_session.LoginSession`'s snapshots to the GUI thread.

A session calls its observers on the scheduler's worker thread (or on whoever called cancel or
submit). :class:`SessionRelay` is a QObject living on the GUI thread: its observer only emits
``snapshot(object)``, and the connection to the page is queued, so the page renders on the GUI
thread, in order. Snapshots of a session that was detached since are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


class SessionRelay(QObject):
    """Signals: ``snapshot(Snapshot)``, always delivered on the GUI thread, queued."""

    snapshot = Signal(object)
    _incoming = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._generation = 0
        self._unsubscribe: Callable[[], None] | None = None
        self.session: Any = None
        self._incoming.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def attach(self, session: Any) -> None:
        """Relay ``session``'s snapshots from now on (and forget the previous session's)."""
        self.detach()
        with self._lock:
            self._generation += 1
            generation = self._generation
        self.session = session
        self._unsubscribe = session.subscribe(lambda snap: self._incoming.emit(generation, snap))

    def detach(self) -> None:
        """Stop relaying: snapshots already queued are dropped too."""
        with self._lock:
            self._generation += 1
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.session = None

    def _deliver(self, generation: int, snap: object) -> None:
        with self._lock:
            current = generation == self._generation
        if current:
            self.snapshot.emit(snap)
