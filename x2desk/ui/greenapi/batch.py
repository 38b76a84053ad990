"""Pairing many Green-API instances, one after another (issue 14 item 7): a CSV file is read
(:class:`~x2desk.core.greenapi.batch.BatchQueue`: each bad line said with its number, each
token saved as it is read, the file never copied), then each instance is paired in turn with
the Green-API wizard's own QR and password pages, its state in a table (:mod:`.batch_table`).
Skip leaves one for later, Retry puts a failed or skipped one back in line, Stop halts after
the one on screen; an instance already authorised can be kept as it is. Every pairing is a
:class:`~x2desk.core.greenapi.pairing.GreenApiPairing` whose snapshots a :class:`SessionRelay`
brings to this thread; the file and the stores are read in workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.greenapi.batch import BatchQueue, BatchRow, RowState
from x2desk.core.session.states import Snapshot, State
from x2desk.core.texts import GREENAPI, error_text
from x2desk.i18n import _, ngettext
from x2desk.ui.common.flow_layout import FlowLayout
from x2desk.ui.common.session_relay import SessionRelay
from x2desk.ui.common.widgets import Banner, button, label
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.greenapi.batch_table import BatchTable
from x2desk.ui.greenapi.common import api_url_for
from x2desk.ui.greenapi.password import GreenApiPasswordPage
from x2desk.ui.greenapi.qr import GreenApiQrPage

if TYPE_CHECKING:
    from x2desk.core.greenapi.pairing import GreenApiPairing
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import RecordStore
    from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

QR_REFRESH_S = 5.0


class BatchView(QWidget):
    """Signals: ``closed()`` (back home), ``row_done(BatchRow)`` after each instance's turn."""

    closed = Signal()
    row_done = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        clock: Clock = SYSTEM_CLOCK,
        scheduler_factory: Callable[[], Any] | None = None,
        interval_s: float = QR_REFRESH_S,
        countdown_ms: int = 1000,
    ) -> None:
        super().__init__()
        self.setObjectName("greenapiBatch")
        self.ctx, self.clock, self.scheduler_factory = ctx, clock, scheduler_factory
        poll = ctx.greenapi_poll_s
        self.interval_s = float(poll if poll is not None else interval_s)
        self.queue: BatchQueue | None = None
        self.records: RecordStore | None = None
        self.credentials: CredentialStore | None = None
        self.pairing: GreenApiPairing | None = None
        self.row: BatchRow | None = None  # the instance on screen
        self.stopped = False
        self.relay = SessionRelay(self)
        self.relay.snapshot.connect(self.show_snapshot)
        self.timer = QTimer(self)
        self.timer.setInterval(countdown_ms)
        self.timer.timeout.connect(self._tick)
        self._build()

    # ---- building --------------------------------------------------------------------------

    def _build(self) -> None:
        from x2desk.ui.common.fit import scroll_area

        content = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll_area(content, "batchScroll"))  # a small screen scrolls it
        lay = QVBoxLayout(content)
        lay.setContentsMargins(32, 24, 32, 20)
        lay.setSpacing(10)
        lay.addWidget(label(_("Pair many Green-API instances"), "pageTitle", wrap=False))
        lay.addWidget(
            label(
                _(
                    "A CSV file with one instance a line: its ID, its token, its API address "
                    "and a label (the last two may be empty). Each token goes to this "
                    "computer's password store as the file is read; the file is not copied. "
                    "Then the instances are paired one after another, each by its own QR."
                ),
                "batchIntro",
                role="muted",
            )
        )
        top = QHBoxLayout()
        self.import_button = button(_("&Import a CSV file…"), "batchImport", primary=True)
        self.import_button.clicked.connect(self.choose_file)
        self.summary = label("", "batchSummary")
        top.addWidget(self.import_button)
        top.addWidget(self.summary, 1)
        lay.addLayout(top)
        self.banner = Banner("batchBanner")
        lay.addWidget(self.banner)
        self.table = BatchTable()
        self.table.setMinimumHeight(150)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        self.pages = QStackedWidget()
        self.idle = label("", "batchIdle", role="muted")
        self.qr = GreenApiQrPage()
        self.qr.set_interval(self.interval_s)
        self.password = GreenApiPasswordPage()
        self.password.submitted.connect(self.send_password)
        self.already = self._already_panel()
        for page in (self.idle, self.qr, self.password, self.already):
            self.pages.addWidget(page)
        self.pages.setMinimumHeight(self.qr.panel.sizeHint().height())
        lay.addWidget(self.pages, 2)
        lay.addLayout(self._buttons())
        self._update_buttons()

    def _already_panel(self) -> QWidget:
        panel = QWidget()
        v = QVBoxLayout(panel)
        v.setContentsMargins(0, 0, 0, 0)
        self.already_text = label("", "batchAlready", role="heading")
        row = QHBoxLayout()
        keep = button(_("&Keep it as it is"), "batchKeep", primary=True)
        keep.clicked.connect(lambda: self.pairing is not None and self.pairing.keep())
        again = button(_("&Log out and pair again"), "batchLogout")
        again.clicked.connect(lambda: self.pairing is not None and self.pairing.log_out_and_pair())
        row.addWidget(keep)
        row.addWidget(again)
        row.addStretch(1)
        v.addWidget(self.already_text)
        v.addLayout(row)
        v.addStretch(1)
        return panel

    def _buttons(self) -> FlowLayout:
        row = FlowLayout()
        self.send_button = button(_("&Send the password"), "batchSendPassword", primary=True)
        self.send_button.clicked.connect(self.send_password)
        self.skip_button = button(_("S&kip this one"), "batchSkip")
        self.skip_button.clicked.connect(self.skip)
        self.retry_button = button(_("&Retry the selected one"), "batchRetry")
        self.retry_button.clicked.connect(self.retry)
        self.go_button = button(_("&Pair the next"), "batchStart")
        self.go_button.clicked.connect(self.resume)
        self.stop_button = button(_("S&top after this one"), "batchStop")
        self.stop_button.clicked.connect(self.stop)
        self.close_button = button(_("&Close"), "batchClose")
        self.close_button.clicked.connect(self.request_close)
        for b in (self.send_button, self.skip_button, self.retry_button, self.go_button,
                  self.stop_button):  # fmt: skip
            row.addWidget(b)
        row.addWidget(self.close_button)
        return row

    def _update_buttons(self) -> None:
        pairing = self.pairing is not None
        chosen = self.table.selected()
        waiting = self.queue is not None and self.queue.next() is not None
        self.send_button.setVisible(self.pages.currentWidget() is self.password)
        self.skip_button.setEnabled(pairing)
        self.stop_button.setEnabled(pairing and not self.stopped)
        self.go_button.setEnabled(not pairing and waiting)
        self.retry_button.setEnabled(
            chosen is not None and chosen.state in (RowState.FAILED, RowState.SKIPPED)
        )
        self.import_button.setEnabled(not pairing)

    # ---- the file --------------------------------------------------------------------------

    def start(self) -> None:
        """A fresh view (the router shows it)."""
        if self.pairing is None and self.queue is None:
            self.idle.setText(_("Import a CSV file to begin."))
            self.pages.setCurrentWidget(self.idle)

    def choose_file(self) -> None:
        from x2desk.ui.common.file_dialogs import open_file

        open_file(
            self,
            "batchFileDialog",
            _("The CSV file of the instances"),
            [_("CSV files (*.csv *.txt)"), _("All files (*)")],
            lambda path, _f: self.load(path),
        )

    def load(self, path: Path) -> None:
        """Read ``path`` in a worker (saving each token as it goes), then pair the first."""
        from x2desk.ui.home.work import credential_store

        held, api_url = self.ctx.file_store, api_url_for(self.ctx.greenapi_url)
        self.banner.clear_message()
        self.import_button.setEnabled(False)

        def read() -> tuple[BatchQueue, RecordStore, CredentialStore]:
            from x2desk.core.store.records import RecordStore

            credentials = credential_store(held)
            records = RecordStore.open()
            try:
                queue = BatchQueue.read(path, credentials, records, api_url_for=api_url)
            except BaseException:
                records.close()
                raise
            return queue, records, credentials

        run_in_worker(read, self._loaded, self._load_failed, "read batch file")

    def _loaded(self, found: tuple[BatchQueue, RecordStore, CredentialStore]) -> None:
        self.close_stores()
        self.queue, self.records, self.credentials = found
        self.stopped = False
        if self.queue.errors:
            lines = "\n".join(e.text for e in self.queue.errors[:8])
            more = len(self.queue.errors) - 8
            if more > 0:
                lines += "\n" + _("…and {n} more.").format(n=more)
            self.banner.show_message(_("These lines were left out:") + "\n" + lines, "warning")
        self.table.show_rows(self.queue.rows)
        self._say_counts()
        self.pair_next()

    def _load_failed(self, exc: BaseException) -> None:
        from x2desk.core.saving import is_locked

        self.import_button.setEnabled(True)
        if is_locked(exc):
            from x2desk.ui.common.store_choice import unlock_then

            unlock_then(self, self.ctx, self.choose_file, exc)
            return
        self.banner.show_message(error_text(exc, GREENAPI), "error")

    def _say_counts(self) -> None:
        if self.queue is None:
            return
        counts = self.queue.counts()
        total = len(self.queue.rows)
        self.summary.setText(
            ngettext("{n} instance", "{n} instances", total).format(n=total)
            + " · "
            + _("{done} paired, {failed} failed, {skipped} skipped, {waiting} waiting").format(
                done=counts[RowState.DONE],
                failed=counts[RowState.FAILED],
                skipped=counts[RowState.SKIPPED],
                waiting=counts[RowState.WAITING],
            )
        )
        self._update_buttons()

    # ---- one instance after another ---------------------------------------------------------

    def pair_next(self) -> None:
        queue = self.queue
        if queue is None or self.pairing is not None:
            return
        row = queue.next() if not self.stopped else None
        if row is None:
            self._all_done()
            return
        self._begin(row)

    def _begin(self, row: BatchRow) -> None:
        from x2desk.core.session.poller import DEFAULT_BACKOFF_S

        assert self.queue is not None and self.records is not None
        assert self.credentials is not None
        options = {
            "clock": self.clock,
            "scheduler": self.scheduler_factory() if self.scheduler_factory else None,
            "interval_s": self.interval_s,
            "backoff_s": DEFAULT_BACKOFF_S,
        }
        try:
            pairing = self.queue.pairing(row, self.credentials, self.records, **options)
        except Exception as exc:  # its token is gone from the store: said on its row
            self.queue.fail(row, error_text(exc, GREENAPI), self.records)
            self._after(row)
            return
        self.row, self.pairing = row, pairing
        self.table.show_rows(self.queue.rows)
        self.table.selectRow(self.queue.rows.index(row))
        self.qr.set_instance(row.id_instance)
        self.password.reset()
        self.pages.setCurrentWidget(self.qr)
        self.qr.set_busy(True, _("Checking the instance with Green-API…"))
        self.relay.attach(pairing)
        pairing.start()
        self.timer.start()
        self._update_buttons()

    def show_snapshot(self, snap: Snapshot) -> None:
        from x2desk.core.greenapi.pairing import ACTION_KEEP

        if self.pairing is None:
            return
        state = snap.state
        if state in (State.WAITING_FOR_QR, State.LOADING, State.STARTING):
            self.pages.setCurrentWidget(self.qr)
            self.qr.show_snapshot(snap, self.clock.monotonic())
        elif state is State.WAITING_FOR_PASSWORD:
            if self.pages.currentWidget() is not self.password:
                self.qr.clear_qr("")
                self.pages.setCurrentWidget(self.password)
                self.password.enter()
            self.password.show_snapshot(snap)
        elif ACTION_KEEP in snap.actions:
            self.already_text.setText(
                _("Instance {i} is already authorised at Green-API.").format(
                    i=self.row.id_instance if self.row else ""
                )
            )
            self.pages.setCurrentWidget(self.already)
        elif state in (State.AUTHENTICATED, State.CREATING_CONNECTION):
            self.qr.clear_qr(_("Paired; saving it…"))
        elif snap.terminal:
            self._ended(snap)
        self._update_buttons()

    def _tick(self) -> None:
        pairing = self.pairing
        if pairing is None:
            self.timer.stop()
            return
        snap = pairing.snapshot()
        if not snap.terminal and self.pages.currentWidget() is self.qr:
            self.qr.show_snapshot(snap, self.clock.monotonic())

    def _ended(self, snap: Snapshot) -> None:
        row, queue, records = self.row, self.queue, self.records
        self._drop_pairing()
        if row is None or queue is None or records is None:
            return
        queue.finish(row, snap, records)  # a failure: one line in its history
        self._after(row)

    def _after(self, row: BatchRow) -> None:
        self.table.refresh(row)
        self._say_counts()
        self.row_done.emit(row)
        self.pair_next()

    def _all_done(self) -> None:
        self.timer.stop()
        counts = self.queue.counts() if self.queue is not None else {}
        left = counts.get(RowState.WAITING, 0)
        if self.stopped and left:
            self.idle.setText(
                _("Stopped: {n} still waiting. Pair the next when ready.").format(n=left)
            )
        else:
            self.idle.setText(
                _("Done: {done} paired. Select a failed or skipped one to retry it.").format(
                    done=counts.get(RowState.DONE, 0)
                )
            )
        self.pages.setCurrentWidget(self.idle)
        self._update_buttons()

    # ---- the person's choices ---------------------------------------------------------------

    def send_password(self) -> None:
        from x2desk.core.errors import InputError

        if self.pairing is None:
            return
        try:
            self.pairing.submit_password(self.password.value())
        except InputError as exc:
            self.password.show_error(exc.message)

    def skip(self) -> None:
        row, queue = self.row, self.queue
        if row is None or queue is None:
            return
        self._drop_pairing()
        queue.skip(row)
        self._after(row)

    def retry(self) -> None:
        chosen, queue = self.table.selected(), self.queue
        if chosen is None or queue is None:
            return
        queue.retry(chosen)
        self.table.refresh(chosen)
        self.stopped = False
        if self.pairing is None:
            self.pair_next()
        self._say_counts()

    def stop(self) -> None:
        """Pair none after the one on screen (it may still be scanned)."""
        self.stopped = True
        self._update_buttons()

    def resume(self) -> None:
        self.stopped = False
        self.pair_next()

    # ---- leaving ----------------------------------------------------------------------------

    def _drop_pairing(self) -> None:
        self.timer.stop()
        self.relay.detach()
        pairing, self.pairing, self.row = self.pairing, None, None
        self.qr.clear_qr("")
        if pairing is not None:
            pairing.cancel()
            own = self.scheduler_factory is None
            run_in_worker(lambda: pairing.close() if own else None, name="close batch pairing")

    def close_stores(self) -> None:
        records, self.records = self.records, None
        if records is not None:
            run_in_worker(records.close, name="close batch records")

    def shutdown(self) -> None:
        """The view is left or the window closes: the pairing on screen stops (its row waits)."""
        row = self.row
        self._drop_pairing()
        if row is not None and row.state is RowState.PAIRING:
            row.state = RowState.WAITING
            self.table.refresh(row)
        self._update_buttons()

    def request_close(self) -> None:
        self.shutdown()
        self.close_stores()
        self.queue = None
        self.table.show_rows([])
        self.summary.setText("")
        self.banner.clear_message()
        self.start()
        self.closed.emit()
