"""Run blocking work (network, keyring, file decoding) off the GUI thread.

:func:`run_in_worker` runs a callable on the global ``QThreadPool`` and delivers its result or
exception back on the GUI thread through a :class:`Job`'s queued signals ``done(object)`` and
``failed(object)``. Results from a job that was :meth:`Job.discard`-ed are dropped, so a page that
was left never sees a late answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from x2desk.ui.common.gui_thread import Mailbox
from x2desk.ui.common.lifetime import alive

log = logging.getLogger(__name__)

_live: set[Job] = set()


class Job(QObject):
    """Signals: ``done(result)``, ``failed(exception)``, ``finished()`` (after either)."""

    done = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.discarded = False
        self.running = True

    def discard(self) -> None:
        """Forget the result: neither ``done`` nor ``failed`` will be emitted."""
        self.discarded = True

    def _deliver(self, ok: bool, value: object) -> None:
        self.running = False
        _live.discard(self)
        if self.discarded:
            return
        if ok:
            self.done.emit(value)
        else:
            self.failed.emit(value)
        self.finished.emit()


class _Runnable(QRunnable):
    # Holds no QObject: the result goes back through a Mailbox (see x2desk.ui.common.gui_thread).
    def __init__(self, fn: Callable[[], Any], mailbox: Mailbox) -> None:
        super().__init__()
        self._fn = fn
        self._mailbox = mailbox
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # delivered to the page, which maps it to a message
            log.debug("worker failed: %s", type(exc).__name__)
            self._mailbox.post((False, exc))
        else:
            self._mailbox.post((True, value))
        finally:
            self._fn = _nothing  # drop the closure (and what it holds) here, not later


def _nothing() -> None:
    return None


def run_in_worker(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    name: str = "job",
    owner: QObject | None = None,
) -> Job:
    """Run ``fn()`` on the thread pool; callbacks run on the GUI thread. ``owner``: the widget
    ``on_done`` and ``on_failed`` touch; once it is destroyed they are not called (a page thrown
    away, as the kiosk does for every person, never hears from its late workers), while what
    else is connected to the job's signals still hears (a record written must still be said)."""
    job = Job(name)
    for signal, callback in ((job.done, on_done), (job.failed, on_failed)):
        if callback is not None:
            # connected as given: a bound method of a QObject is disconnected by Qt when that
            # object goes; a closure is not, so one with an owner is muted when the owner goes
            signal.connect(callback if owner is None else _while_alive(owner, callback))
    _live.add(job)
    mailbox = Mailbox(lambda outcome: job._deliver(*outcome), once=True)  # type: ignore[misc]
    QThreadPool.globalInstance().start(_Runnable(fn, mailbox))
    return job


def _while_alive(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    return lambda value: callback(value) if alive(owner) else None


def wait_all(timeout_ms: int = 5000) -> bool:
    """Wait for every pool job to end (tests and shutdown)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
