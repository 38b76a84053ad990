"""One flow at a time, in the kiosk's variant of its wizard: :func:`make_flow` builds it for a
flow of :data:`x2desk.core.kinds.FLOWS`, :func:`dispose` takes it apart after each person.

The kiosk's wizards are the window's own (``ui/accounts``, ``ui/greenapi``, ``ui/x2chat``) with
what a stranger must not reach taken out: addresses, keys and tokens come from the config and the
credential store, never from a field; no file dialog, no drop, no "don't show again", no page
that picks another flow. Each has ``outcome`` (:class:`FlowOutcome`): ``succeeded(flow_id)`` and
``not_ready(reason, network)`` besides the wizards' own ``closed`` and ``back_to_choose``.

A wizard is built for one person and thrown away after them (:func:`dispose`), so no field, label
or page of theirs can be left behind for the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import AnswerLost, CannotConnect
from x2desk.core.kinds import FLOWS, KINDS, Service

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from x2desk.core.kiosk.config import KioskConfig
    from x2desk.ui.context import AppContext

log = logging.getLogger("x2desk.kiosk")


class StationNotReady(Exception):
    """The station itself is set up wrong (a key or token missing from the credential store):
    the ``reason`` is for the log (names and keys only, never a value)."""


class FlowOutcome(QObject):
    """Signals: ``succeeded(flow_id)`` once the connection is made and kept;
    ``not_ready(reason, network)``: the flow cannot run (``network``: the services could not be
    reached; otherwise the station is set up wrong)."""

    succeeded = Signal(str)
    not_ready = Signal(str, bool)

    def __init__(self, parent: QObject, flow_id: str) -> None:
        super().__init__(parent)
        self.flow_id = flow_id
        self._done = False

    def success(self) -> None:
        if not self._done:
            self._done = True
            self.succeeded.emit(self.flow_id)

    def failed(self, exc: BaseException) -> None:
        """Say why the flow cannot start (the error's type or key only)."""
        network = isinstance(exc, CannotConnect | AnswerLost)
        reason = str(exc) if isinstance(exc, StationNotReady) else type(exc).__name__
        key = getattr(exc, "key", None)
        self.not_ready.emit(f"{reason} ({key})" if key else reason, network)


class KioskFlow(Protocol):
    """What the kiosk window needs of a flow's wizard."""

    outcome: FlowOutcome
    closed: SignalInstance
    back_to_choose: SignalInstance

    def start(self) -> None: ...

    def shutdown(self) -> None: ...


def make_flow(
    flow_id: str,
    ctx: AppContext,
    config: KioskConfig,
    clock: Clock = SYSTEM_CLOCK,
    scheduler_factory: Callable[[], Any] | None = None,
) -> QWidget:
    """The kiosk's wizard for ``flow_id`` (not started yet). ``clock`` and
    ``scheduler_factory`` are the wizards' own seams (tests run sessions on a fake clock)."""
    service = KINDS[FLOWS[flow_id].kind].service
    if service is Service.X2CHAT:
        from x2desk.ui.kiosk.x2chat_flow import KioskX2ChatWizard

        return KioskX2ChatWizard(ctx, flow_id, clock=clock)
    session = {"clock": clock, "scheduler_factory": scheduler_factory}
    if service is Service.GREENAPI:
        from x2desk.ui.kiosk.greenapi_flow import KioskGreenApiWizard

        return KioskGreenApiWizard(ctx, flow_id, config.profile, **session)
    from x2desk.ui.kiosk.accounts_flow import KioskAccountsWizard

    return KioskAccountsWizard(ctx, flow_id, config.profile, **session)


def clear_fields(root: QWidget) -> None:
    """Empty every text field under ``root`` (before it is thrown away)."""
    for edit in root.findChildren(QLineEdit):
        edit.clear()


def dispose(wizard: QWidget) -> None:
    """Stop the wizard (its session cancelled: no request after this; its camera released),
    close what still delivers to it, empty its fields and delete it."""
    from x2desk.ui.scan.capture_bridge import CaptureBridge

    try:
        wizard.shutdown()  # type: ignore[attr-defined]
    except RuntimeError:  # already gone with its window
        return
    for bridge in wizard.findChildren(CaptureBridge):
        bridge.close()
    state_box = getattr(wizard, "_state_box", None)  # the X2Chat wizard's flow listener
    if state_box is not None:
        state_box.close()
    relay = getattr(wizard, "relay", None)
    if relay is not None:
        relay.detach()
    clear_fields(wizard)
    wizard.hide()
    wizard.setParent(None)
    wizard.deleteLater()
