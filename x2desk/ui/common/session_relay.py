"""Bring a :class:`~x2desk.core.session.machine.LoginSession`'s snapshots to the GUI thread.

A session calls its observers on the scheduler's worker thread (or on whoever called cancel or
submit). :class:`SessionRelay` is a QObject living on the GUI thread; the session's observer is a
:class:`Mailbox` (no QObject crosses to the worker), so the page renders on
the GUI thread, in order. Snapshots of a session that was detached since are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from x2desk.ui.common.gui_thread import Mailbox

if TYPE_CHECKING:
    from x2desk.core.session.states import Running


class SessionRelay(QObject):
    """Signals: ``snapshot(Snapshot)``, always delivered on the GUI thread, queued."""

    snapshot = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._mailbox: Mailbox | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.session: Running | None = None

    def attach(self, session: Running) -> None:
        """Relay ``session``'s snapshots from now on (and forget the previous session's)."""
        self.detach()
        self.session = session
        self._mailbox = Mailbox(self.snapshot.emit)
        self._unsubscribe = session.subscribe(self._mailbox.post)

    def detach(self) -> None:
        """Stop relaying: snapshots already queued are dropped too."""
        if self._mailbox is not None:
            self._mailbox.close()
            self._mailbox = None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.session = None
