"""The X2Chat bot wizard: renders a :class:`~x2desk.core.x2chat.flow.RedeemFlow` and sends it the
user's actions. Blocking effects (redeem, check, test message, stores) run in workers; the flow's
state comes back to the GUI thread by queued signal and the page for its step renders it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.secret import Secret
from x2desk.core.x2chat.flow_state import FlowState, Step
from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.i18n import _
from x2desk.ui.common.gui_thread import Mailbox
from x2desk.ui.common.wizard import WizardFrame
from x2desk.ui.common.workers import Job, run_in_worker
from x2desk.ui.context import AppContext
from x2desk.ui.x2chat.actions import STEPS
from x2desk.ui.x2chat.check import CheckPage
from x2desk.ui.x2chat.confirm import ConfirmPage
from x2desk.ui.x2chat.redeem import RedeemPage
from x2desk.ui.x2chat.saved import SavedPage
from x2desk.ui.x2chat.token import TokenPage

if TYPE_CHECKING:
    from x2desk.core.x2chat.flow import RedeemFlow

log = logging.getLogger(__name__)

# Time between "Connect" and the request leaving: the user can still cancel before sending.
REDEEM_GRACE_MS = 700


class X2ChatWizard(QWidget):
    """Signals: ``closed()`` when the user is done or cancels; ``back_to_choose()`` on Back from
    the first page (and "Connect another"); ``page_shown(page_id)``."""

    STEPS = STEPS
    closed = Signal()
    back_to_choose = Signal()
    page_shown = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        clock: Clock = SYSTEM_CLOCK,
        redeem_grace_ms: int = REDEEM_GRACE_MS,
        countdown_interval_ms: int = 1000,
        flow_factory: Callable[[], RedeemFlow] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("x2chatWizard")
        self.ctx = ctx
        self.clock = clock
        self.redeem_grace_ms = redeem_grace_ms
        self._flow_factory = flow_factory
        self.flow: RedeemFlow | None = None
        self.rendered: FlowState | None = None  # the last state the pages rendered (tests)
        self._unsubscribe: Callable[[], None] | None = None
        self._job: Job | None = None
        self._queued: tuple[Callable[[], object], str] | None = None  # asked for while busy
        self._grace: QTimer | None = None
        self._generation = 0
        # the flow's listeners run on worker threads: they only post to this mailbox
        self._state_box = Mailbox(lambda _state: self._render())

        self.frame = WizardFrame([_(step) for step in STEPS], heading=_("Connect an X2Chat bot"))
        self.token = TokenPage(ctx, self.submit)
        self.confirm = ConfirmPage()
        self.redeem = RedeemPage(self, countdown_interval_ms)
        self.check = CheckPage(self)
        self.saved = SavedPage(self)
        for page in (self.token, self.confirm, self.redeem, self.check, self.saved):
            self.frame.add_page(page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.frame)
        self.frame.next_requested.connect(self._next)
        self.frame.back_requested.connect(self._back)
        self.frame.cancel_requested.connect(self.request_close)

    # ---- life ----------------------------------------------------------------------------------

    def start(self) -> None:
        """The token page with a fresh flow, entered afresh (the camera starts) even when it
        was the page on screen when the wizard was last closed."""
        self.new_flow()
        self.token.reset(fresh=True)
        self.frame.show_page("token")
        self.page_shown.emit("token")

    def shutdown(self) -> None:
        """The window closes: stop the camera, forget pending results."""
        self.frame.leave_current()
        self._drop_flow()

    def _show(self, page_id: str) -> None:
        current = self.frame.current
        if current is None or current.page_id != page_id or not current.isVisible():
            self.frame.show_page(page_id)
            self.page_shown.emit(page_id)

    # ---- the flow ------------------------------------------------------------------------------

    def new_flow(self) -> RedeemFlow:
        self._drop_flow()
        if self._flow_factory is not None:
            flow = self._flow_factory()
        else:
            from x2desk.core.x2chat.client import X2ChatClient
            from x2desk.core.x2chat.flow import RedeemFlow

            flow = RedeemFlow(X2ChatClient(self.ctx.x2chat_api), clock=self.clock)
        self.flow = flow
        self._generation += 1
        self._unsubscribe = flow.subscribe(self._state_box.send)
        return flow

    def _drop_flow(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._job is not None:
            self._job.discard()
            self._job = None
        self._queued = None
        if self._grace is not None:
            self._grace.stop()
            self._grace = None
        self.flow = None
        self.rendered = None

    def state(self) -> FlowState | None:
        return self.flow.state if self.flow is not None else None

    def _render(self) -> None:
        flow = self.flow
        if flow is None:
            return
        state = flow.state
        self.rendered = state
        step, failure = state.step, state.failure
        if step is Step.INTAKE:
            self._show("token")
        elif step is Step.CONFIRM:
            self._show("confirm")
        elif step is Step.REDEEMING or (
            step is Step.FAILED and failure is not None and failure.step is Step.REDEEMING
        ):
            self._show("redeem")
            self.redeem.show_state(state)
        elif step in (Step.CHECKING, Step.CHECKED, Step.FAILED):
            self._show("check")
            self.check.show_state(state)
        elif step in (Step.STORE_FAILED, Step.SAVED):
            self._show("saved")
            self.saved.show_state(state)
        self._run_effects(flow, state)
        self.frame.refresh()

    def _run_effects(self, flow: RedeemFlow, state: FlowState) -> None:
        if state.busy or self._job is not None:
            return
        if state.step is Step.REDEEMING and self._grace is None:
            gen = self._generation
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda: self._start_redeem(gen))
            self._grace = timer
            timer.start(self.redeem_grace_ms)
        elif state.step is Step.CHECKING:
            self._effect(flow.check, "check")

    def _start_redeem(self, generation: int) -> None:
        self._grace = None
        if generation != self._generation or self.flow is None:
            return
        if self.flow.state.step is not Step.REDEEMING:
            return  # cancelled during the grace period: nothing was sent
        self._effect(self.flow.redeem, "redeem")

    def _effect(self, fn: Callable[[], object], name: str) -> None:
        gen = self._generation

        def done(_result: object) -> None:
            if gen == self._generation:
                self._job = None
                self._render()
                self._run_queued()

        def failed(exc: BaseException) -> None:
            from x2desk.ui.common.messages import message_for

            if gen != self._generation:
                return
            self._job = None
            log.debug("%s failed unexpectedly: %s", name, type(exc).__name__)
            page = self.frame.current
            banner = getattr(page, "error", None) or getattr(page, "banner", None)
            if banner is not None:
                banner.show_message(message_for(exc), "error")
            self._render()
            self._run_queued()

        self._job = run_in_worker(fn, done, failed, name)

    def _effect_when_free(self, fn: Callable[[], object], name: str) -> None:
        """Run now, or as soon as the job under way ends (a click is never silently lost)."""
        if self._job is None:
            self._effect(fn, name)
        else:
            self._queued = (fn, name)
            self._render()

    def _run_queued(self) -> None:
        queued, self._queued = self._queued, None
        if queued is not None and self._job is None:
            self._effect(*queued)

    # ---- actions from pages --------------------------------------------------------------------

    def submit(self, read: Intake | str) -> Intake:
        """What the token page read (classified there, once: the Intake travels on)."""
        intake = read if isinstance(read, Intake) else classify(read)
        flow = self.flow or self.new_flow()
        if flow.state.step is not Step.INTAKE:
            return intake
        return flow.submit(intake)

    def cancel_redeem(self) -> None:
        if self.flow is not None and self.flow.cancel():
            self.token.banner.show_message(
                _("Cancelled before anything was sent: the token is still good."), "info"
            )

    def scan_again(self) -> None:
        flow = self.flow
        if flow is None:
            return
        failure = flow.state.failure
        if failure is not None and failure.step is Step.CHECKING:
            self.new_flow()  # the saved bot stays saved; start over with a new QR
            self.token.reset()
            self._show("token")
            return
        flow.scan_again()
        self.token.reset()

    def retry(self) -> None:
        """Repeat what failed (the redeem, the checks, or opening the store before the redeem:
        the flow keeps the token for that)."""
        if self.flow is not None and self.flow.state.step is Step.FAILED:
            self.flow.retry()

    def seconds_until_retry(self) -> float:
        return float(self.flow.seconds_until_retry()) if self.flow is not None else 0.0

    def skip_checks(self) -> None:
        if self.flow is not None:
            self.flow.skip_checks()

    def set_test_text(self, text: str) -> None:
        if self.flow is not None:
            self.flow.set_test_text(text)

    def send_test_message(self, text: str) -> None:
        if self.flow is not None:
            flow = self.flow
            self._effect_when_free(lambda: flow.send_test_message(text), "test message")

    def retry_store(self) -> None:
        if self.flow is not None:
            self._effect_when_free(self.flow.retry_store, "retry store")

    def use_file_store(self, passphrase: Secret) -> None:
        if self.flow is not None:
            flow = self.flow
            self._effect_when_free(lambda: flow.use_file_store(passphrase), "file store")

    def ask_discard(self) -> None:
        self.saved.show_discard_question()

    def discard(self) -> None:
        if self.flow is not None and self.flow.state.step in (Step.STORE_FAILED, Step.FAILED):
            self.flow.discard()
            self.saved.hide_discard()
            self.token.reset()
            self.token.banner.show_message(
                _("The credentials were discarded. Make a new QR in X2Chat to connect again."),
                "info",
            )

    def connect_another(self) -> None:
        """Back to "What to connect" (the saved bot stays saved, with the label typed)."""
        self.saved.label_field.commit()
        self.token.reset()
        self.shutdown()
        self.back_to_choose.emit()

    def request_close(self) -> None:
        self.saved.label_field.commit()  # a label typed on the saved page, then Done
        flow, st = self.flow, self.state()
        if flow is not None and st is not None:
            if st.step is Step.REDEEMING and st.sending:
                return  # the request is on the wire: wait for its answer
            if st.step is Step.STORE_FAILED:
                self._show("saved")
                self.ask_discard()
                return
            if st.step in (Step.INTAKE, Step.CONFIRM, Step.REDEEMING):
                flow.cancel()
        self.frame.leave_current()
        self._drop_flow()
        self.closed.emit()

    # ---- navigation ----------------------------------------------------------------------------

    def _next(self) -> None:
        page = self.frame.current
        if page is None or not page.can_next():
            return
        pid = page.page_id
        if pid == "token":
            self.token.submit_paste()
        elif pid == "confirm" and self.flow is not None:
            if self.confirm.dont_ask.isChecked():
                self._remember_no_confirm()
            self.flow.confirm()
        elif pid == "check" and self.flow is not None:
            self.flow.finish()
        elif pid == "saved":
            self.request_close()

    def _back(self) -> None:
        page = self.frame.current
        if page is None or not page.can_back():
            return
        if page.page_id == "token":
            if self.flow is not None:
                self.flow.cancel()
            self.shutdown()
            self.back_to_choose.emit()
        elif page.page_id == "confirm" and self.flow is not None:
            self.flow.back()

    def _remember_no_confirm(self) -> None:
        """Save "don't ask again" in a worker (an atomic write with fsync: not on this thread)."""

        def save() -> None:
            from x2desk.core.store.settings import load_settings, save_settings

            s = load_settings()
            s.confirm_rotation = False
            save_settings(s)

        def failed(exc: BaseException) -> None:  # a preference is not worth a failure
            log.debug("cannot save confirm_rotation: %s", type(exc).__name__)

        run_in_worker(save, None, failed, "settings")
