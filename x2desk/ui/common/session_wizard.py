"""What the accounts wizard and the Green-API wizard share: a :class:`WizardFrame` with its
pages, a plain (no Qt) session whose snapshots a :class:`SessionRelay` brings to the GUI thread,
the session's scheduler, the countdown timer, page switching, Next/Back dispatch and shutdown.

A subclass builds its pages, calls :meth:`SessionWizard.add_pages`, and supplies:

- ``_running()``: the session in progress (or None); it has ``snapshot()``;
- ``_release()``: forget and cancel that session; return what closes its thread and client
  (run off the GUI thread), or None;
- ``show_snapshot(snap)``: render one snapshot;
- ``_next_from(page)`` and ``_back_from(page)``: what Next and Back do on each page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from x2desk.core.clock import Clock
from x2desk.core.errors import InputError
from x2desk.ui.common.session_relay import SessionRelay
from x2desk.ui.common.store_choice import PassphraseDialog
from x2desk.ui.common.wizard import WizardFrame, WizardPage
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.context import AppContext

if TYPE_CHECKING:
    from x2desk.core.secret import Secret
    from x2desk.core.session.states import Running, Snapshot
    from x2desk.core.store.credentials import CredentialStore


class SessionWizard(QWidget):
    """Signals: ``closed()`` (done or cancelled), ``back_to_choose()`` (Back on the first page),
    ``page_shown(page_id)``.

    ``scheduler_factory`` and ``clock`` let tests run the session on a fake clock;
    ``countdown_ms`` is how often the countdowns are redrawn."""

    closed = Signal()
    back_to_choose = Signal()
    page_shown = Signal(str)

    CLOSE_JOB = "close session"  # the worker's name for closing a dropped session

    def __init__(
        self,
        ctx: AppContext,
        *,
        object_name: str,
        heading: str,
        steps: list[str],
        clock: Clock,
        scheduler_factory: Callable[[], Any] | None,
        countdown_ms: int,
    ) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.ctx = ctx
        self.clock = clock
        self.scheduler_factory = scheduler_factory
        self.snapshot: Snapshot | None = None  # the last snapshot rendered (tests, autopilot)
        self._job: Job | None = None
        self._recorded: object = None
        self.unlock_dialog: PassphraseDialog | None = None  # the last passphrase dialog opened

        self.frame = WizardFrame(steps, heading=heading)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.frame)
        self.frame.next_requested.connect(self._next)
        self.frame.back_requested.connect(self._back)
        self.frame.cancel_requested.connect(self.request_close)
        self.relay = SessionRelay(self)
        self.relay.snapshot.connect(self.show_snapshot)
        self.timer = QTimer(self)
        self.timer.setInterval(countdown_ms)
        self.timer.timeout.connect(self.tick)

    def add_pages(self, *pages: WizardPage) -> None:
        for page in pages:
            self.frame.add_page(page)

    # ---- what a subclass supplies ---------------------------------------------------------------

    def start(self) -> None:
        raise NotImplementedError

    def show_snapshot(self, snap: Snapshot) -> None:
        raise NotImplementedError

    def _running(self) -> Running | None:
        raise NotImplementedError

    def _release(self) -> Callable[[], None] | None:
        raise NotImplementedError

    def _next_from(self, page: WizardPage) -> None:
        raise NotImplementedError

    def _back_from(self, page: WizardPage) -> None:
        raise NotImplementedError

    # ---- life ----------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window closes: stop the session; forget pending results."""
        self.frame.leave_current()
        self.stop_session()
        if self._job is not None:
            self._job.discard()
            self._job = None

    def request_close(self) -> None:
        self.keep_label()
        self.shutdown()
        self.closed.emit()

    def connect_another(self) -> None:
        self.keep_label()
        self.start()

    def keep_label(self) -> None:
        """A label typed on the result page is saved (:class:`LabelField`) before it goes."""
        from x2desk.ui.common.label_field import LabelField

        for field in self.findChildren(LabelField):
            field.commit()

    def _show(self, page_id: str) -> None:
        current = self.frame.current
        if current is None or current.page_id != page_id or not current.isVisible():
            self.frame.show_page(page_id)
            self.page_shown.emit(page_id)
        else:
            self.frame.refresh()

    # ---- the encrypted credentials file ----------------------------------------------------------

    @staticmethod
    def needs_passphrase(exc: BaseException) -> bool:
        """The credentials are in the encrypted file and it is not open (or the passphrase was
        wrong): ask for the passphrase."""
        from x2desk.core.saving import is_locked

        return is_locked(exc)

    def ask_to_unlock(
        self,
        opened: Callable[[CredentialStore], None],
        failed: Callable[[BaseException], None],
        hint: str = "",
    ) -> None:
        """Ask for the encrypted file's passphrase, open the store in a worker, keep it for this
        window, then ``opened(store)`` (or ``failed(exc)``, e.g. a wrong passphrase) on the GUI
        thread. Cancelling the dialog calls neither."""
        from x2desk.ui.common.store_choice import ask_passphrase

        def open_with(passphrase: Secret) -> None:
            def open_store() -> CredentialStore:
                from x2desk.core.store.credentials import open_credential_store

                return open_credential_store(passphrase=passphrase)

            job: list[Job] = []

            def forget() -> None:
                if job and self._job is job[0]:
                    self._job = None

            def done(store: CredentialStore) -> None:
                forget()
                self.ctx.file_store = store
                opened(store)

            def fail(exc: BaseException) -> None:
                forget()
                failed(exc)

            job.append(run_in_worker(open_store, done, fail, "unlock credentials"))
            self._job = job[0]

        self.unlock_dialog = ask_passphrase(self, open_with, hint)

    # ---- the session ---------------------------------------------------------------------------

    def _make_scheduler(self) -> Any:
        """The tests' scheduler, if they gave a factory (None: the session makes its own)."""
        return self.scheduler_factory() if self.scheduler_factory is not None else None

    def _attach_session(self, session: Running) -> None:
        """Render ``session``'s snapshots from now on."""
        self._recorded = None
        self.relay.attach(session)

    def _run_session(self, session: Running) -> None:
        """Start ``session`` and the countdowns."""
        session.start()
        self.timer.start()

    def _drop_session(self) -> None:
        """Forget the session: cancel it (no request after this) and end its thread and HTTP
        client off the GUI thread (a request in flight may take a while to give up)."""
        self.timer.stop()
        self.relay.detach()
        close = self._release()
        if close is not None:
            run_in_worker(close, name=self.CLOSE_JOB)

    def stop_session(self) -> None:
        self._drop_session()
        self.snapshot = None

    def tick(self) -> None:
        """Every second: fresh countdowns (and an expired QR taken off the screen)."""
        running = self._running()
        if running is None:
            self.timer.stop()
            return
        snap = running.snapshot()
        if not snap.terminal:
            self.show_snapshot(snap)

    # ---- navigation ----------------------------------------------------------------------------

    def _next(self) -> None:
        page = self.frame.current
        if page is None or not page.can_next():
            return
        try:
            self._next_from(page)
        except InputError as exc:
            banner = getattr(page, "banner", None)
            if banner is not None:
                banner.show_message(exc.message, "error")

    def _back(self) -> None:
        page = self.frame.current
        if page is None or not page.can_back():
            return
        self._back_from(page)
