""" "Check all" in the window: :class:`~x2desk.core.home.check_all.CheckAll` on a worker thread,
gently paced (``ctx.check_interval_s`` between two checks, longer when a service asks to slow
down), each result brought to the GUI thread as it comes (:class:`~x2desk.ui.common.gui_thread.
Mailbox`), cancellable at any moment (a check under way finishes and is kept; no other starts).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QWidget

from x2desk.i18n import _
from x2desk.ui.common.gui_thread import Mailbox
from x2desk.ui.common.widgets import button, label
from x2desk.ui.common.workers import Job, run_in_worker

if TYPE_CHECKING:
    from x2desk.core.home.check_all import Progress
    from x2desk.core.secret import Secret
    from x2desk.core.status import Status
    from x2desk.core.store.credentials import CredentialStore


class CheckAllRun(QObject):
    """One "check all". Signals: ``progress(Progress)`` after each check, ``finished(counts,
    cancelled)`` at the end (counts: a Counter of the statuses found), ``failed(exception)`` when
    it could not start or stopped on an error (the credential store locked, say)."""

    progress = Signal(object)
    finished = Signal(object, bool)
    failed = Signal(object)

    def __init__(
        self,
        record_ids: list[int],
        credentials: CredentialStore | None,
        known_keys: dict[tuple[str, str | None], Secret],
        interval_s: float,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.record_ids = list(record_ids)
        self.total = len(self.record_ids)
        self.done = 0
        self.profile = ""  # the profile whose connections these are (the view's, at the start)
        self._stop = threading.Event()
        self._job: Job | None = None
        self._mailbox: Mailbox | None = None
        self._work = _runner(self.record_ids, credentials, known_keys, interval_s, self._stop)

    @property
    def running(self) -> bool:
        return self._job is not None

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def start(self) -> None:
        mailbox = Mailbox(self._arrived)
        self._mailbox = mailbox
        work = self._work
        self._job = run_in_worker(
            lambda: work(mailbox.post), self._ended, self._broke, "check all connections"
        )

    def cancel(self) -> None:
        """Stop before the next check (from the GUI thread)."""
        self._stop.set()

    def _arrived(self, progress: object) -> None:
        self.done = getattr(progress, "done", self.done)
        self.progress.emit(progress)

    def _close(self) -> None:
        self._job = None
        if self._mailbox is not None:
            self._mailbox.close()
            self._mailbox = None

    def _ended(self, counts: Counter[Status]) -> None:
        self._close()
        self.finished.emit(counts, self.cancelled)

    def _broke(self, exc: BaseException) -> None:
        self._close()
        self.failed.emit(exc)


class CheckAllBar(QWidget):
    """What "check all" shows while it runs: how far it got, a bar, and "Stop checking"."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("checkAllProgress")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = label("", "checkAllText", wrap=False)
        self.bar = QProgressBar()
        self.bar.setObjectName("checkAllBar")
        self.bar.setTextVisible(False)
        self.cancel_button = button(_("&Stop checking"), "checkAllCancel")
        row.addWidget(self.text)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.hide()

    def begin(self, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.text.setText(_("Checking {total} connections…").format(total=total))
        self.cancel_button.setEnabled(True)
        self.show()

    def step(self, progress: Progress) -> None:
        self.bar.setValue(progress.done)
        self.text.setText(
            _("Checked {done} of {total}").format(done=progress.done, total=progress.total)
        )

    def stopping(self) -> None:
        self.cancel_button.setEnabled(False)
        self.text.setText(_("Stopping after the check under way…"))


def _runner(
    record_ids: list[int],
    held: CredentialStore | None,
    known_keys: dict[tuple[str, str | None], Secret],
    interval_s: float,
    stop: threading.Event,
) -> Callable[[Callable[[Any], None]], Counter[Status]]:
    """The worker's part: check each connection, post each :class:`Progress`; the counts."""

    def run(post: Callable[[Progress], None]) -> Counter[Status]:
        from x2desk.core.home.check_all import CheckAll
        from x2desk.ui.home.work import checker

        with checker(held, known_keys) as check:
            checks = CheckAll(check, record_ids, interval_s=interval_s, wait=stop.wait)
            for step in checks:
                post(step)
                if stop.is_set():
                    checks.cancel()
            return checks.counts()

    return run
