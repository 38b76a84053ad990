"""SIGTERM and SIGINT end the window like closing it: the event loop quits, the window closes,
the demo's sandbox stops and its temporary data folder is removed (``atexit``). Without this,
Python's handlers never run while Qt waits in its event loop, and a ``kill`` left
``/tmp/x2desk-demo-*`` folders behind.

Python's C-level handler writes the signal's number to a socket (``signal.set_wakeup_fd``); a
``QSocketNotifier`` wakes the event loop for it, so no timer polls.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals(QObject):
    """While installed, SIGTERM and SIGINT call ``stop(signum)`` on the GUI thread.
    ``received`` is the last signal's number (0: none)."""

    def __init__(self, stop: Callable[[int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = stop
        self.received = 0
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {s: signal.signal(s, self._note) for s in STOP_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _note(self, signum: int, _frame: object) -> None:
        """Python's handler: the wakeup socket already carries the number; nothing to do here
        (the event loop is woken by it)."""

    def _woken(self) -> None:
        try:
            data = self._reader.recv(64)
        except OSError:
            return
        for number in data:
            if number in STOP_SIGNALS:
                self.received = int(number)
        if self.received:
            self._stop(self.received)

    def uninstall(self) -> None:
        """Give the signals back to their earlier handlers (a second Ctrl+C stops Python)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()
