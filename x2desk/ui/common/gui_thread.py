"""Hand results from worker threads to the GUI thread without sharing a QObject with them.

A worker that emits a signal of a per-page QObject races with that object's deletion: the page
may be closed (and its QObjects deleted) while the worker is still emitting, and a QObject whose
last Python reference drops on a worker thread is destroyed on the wrong thread. Both crash Qt.

So workers never hold a QObject. They hold a :class:`Mailbox`: a plain Python object carrying
only a number. :meth:`Mailbox.post` emits on one dispatcher QObject that lives on the GUI thread
for the life of the process; the dispatcher looks the number up (on the GUI thread) and calls the
handler registered for it, unless the mailbox was closed meanwhile, in which case the payload is
dropped.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

Handler = Callable[[object], None]


class _Dispatcher(QObject):
    deliver = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.handlers: dict[int, tuple[Handler, bool]] = {}  # touched on the GUI thread only
        self.deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)

    def _on_deliver(self, number: int, payload: object) -> None:
        entry = self.handlers.get(number)
        if entry is None:
            return  # closed: the page that wanted it is gone
        handler, once = entry
        if once:
            del self.handlers[number]
        try:
            handler(payload)
        except RuntimeError as exc:  # the receiver's C++ side was deleted meanwhile
            log.debug("dropped a result for a deleted receiver: %s", type(exc).__name__)


_numbers = itertools.count(1)
_dispatcher: _Dispatcher | None = None
_create_lock = threading.Lock()


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        with _create_lock:
            if _dispatcher is None:
                if threading.current_thread() is not threading.main_thread():
                    raise RuntimeError("the GUI dispatcher must be created on the GUI thread")
                _dispatcher = _Dispatcher()
    return _dispatcher


class Mailbox:
    """A GUI-thread handler that any thread may post to. Create and close it on the GUI thread.

    ``once=True``: the first payload delivered closes it (a job's result).
    """

    __slots__ = ("_dispatcher", "number")

    def __init__(self, handler: Handler, once: bool = False) -> None:
        self._dispatcher = _get_dispatcher()
        self.number = next(_numbers)
        self._dispatcher.handlers[self.number] = (handler, once)

    def post(self, payload: object = None) -> None:
        """From any thread: ``handler(payload)`` runs soon on the GUI thread, if still open.
        After the application is gone (a worker finishing as the window quits) it is dropped."""
        try:
            self._dispatcher.deliver.emit(self.number, payload)
        except RuntimeError:  # the dispatcher was deleted with the application: nobody to tell
            self._dispatcher.handlers.pop(self.number, None)

    def send(self, payload: object = None) -> None:
        """Like Qt's auto connection: on the GUI thread, ``handler(payload)`` runs now (if still
        open); on any other thread, the payload is posted."""
        if threading.current_thread() is threading.main_thread():
            self._dispatcher._on_deliver(self.number, payload)
        else:
            self.post(payload)

    def close(self) -> None:
        """Payloads not yet delivered, and any posted later, are dropped."""
        self._dispatcher.handlers.pop(self.number, None)

    @property
    def is_open(self) -> bool:
        return self.number in self._dispatcher.handlers
