"""The autopilot's run: the flow scripts (:data:`FLOW_MODULES`, each a module of this package
with a ``FLOWS`` list of :class:`Flow`), run one after the other on the window by a
:class:`~x2desk.ui.autopilot.pilot.Pilot`, each recorded as a :class:`FlowRecord` of steps, and
the JSON report; then the application quits with 0 only when every flow succeeded.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSize, QTimer, Signal
from PySide6.QtWidgets import QWidget

from x2desk.ui.autopilot.pilot import Pilot, Screenshots, StepFailed, StepRecord, describe
from x2desk.ui.common.fit import room

log = logging.getLogger(__name__)

# The flow scripts, in the order they run.
FLOW_MODULES: tuple[str, ...] = ("x2chat", "accounts", "greenapi", "home")
RUN_DEADLINE_S = 110.0  # the whole run against the demo's own sandbox (CI kills it at 120 s)
# ...and against a sandbox started on its own (``--demo --sandbox-url URL``): its timings are
# its own (QRs every 30 s, or a slow server), and each wait follows the screen
EXTERNAL_DEADLINE_S = 420.0
WINDOW_SIZE = (1180, 820)  # screenshots of the same size from run to run (room for the phone)

__all__ = ["FLOW_MODULES", "Autopilot", "Flow", "FlowRecord", "Pilot", "StepFailed", "load_flows"]


@dataclass(frozen=True)
class Flow:
    """A flow script: ``run(pilot)`` drives one flow from the home view back to it.

    ``prefix`` starts the names of its screenshots (``02-x2chat-choose.png``)."""

    name: str
    run: Callable[[Pilot], None]
    prefix: str = ""


@dataclass
class FlowRecord:
    name: str
    ok: bool = False
    seconds: float = 0.0
    steps: list[StepRecord] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "steps": [s.as_dict() for s in self.steps],
            "seconds": self.seconds,
        }


def load_flows(modules: Sequence[str] = FLOW_MODULES) -> list[Flow]:
    """The ``FLOWS`` of each flow module of this package, in order."""
    flows: list[Flow] = []
    for name in modules:
        flows.extend(importlib.import_module(f"{__package__}.{name}").FLOWS)
    return flows


class Autopilot(QObject):
    """Runs every flow on the window, writes the report, then quits the application.

    Signals: ``finished(exit_code)``. ``exit_code`` is 0 only when every flow succeeded."""

    finished = Signal(int)

    def __init__(
        self,
        window: QWidget,
        session: Any,
        screenshots: str | Path | None = None,
        report: str | Path | None = None,
        flows: Sequence[Flow] | None = None,
        deadline_s: float | None = None,
        quit_when_done: bool = True,
        window_size: tuple[int, int] | None = WINDOW_SIZE,
    ) -> None:
        super().__init__()
        self.window = window
        self.session = session
        self.screenshots = screenshots
        self.report_path = Path(report) if report else None
        self._flows = list(flows) if flows is not None else None
        if deadline_s is None:
            external = session is not None and getattr(session, "server", True) is None
            deadline_s = EXTERNAL_DEADLINE_S if external else RUN_DEADLINE_S
        self.deadline_s = deadline_s
        self.quit_when_done = quit_when_done
        self.window_size = window_size
        self.records: list[FlowRecord] = []
        self.shots: Screenshots | None = None
        self.exit_code = 1
        self._started = False

    def start(self) -> None:
        """Run everything (returns when done: the waits run Qt's event loop)."""
        if self._started:
            return
        self._started = True
        try:
            self.exit_code = self.run()
        except Exception as exc:  # the machinery itself failed: still say so and exit non-zero
            log.debug("autopilot failed", exc_info=True)
            _say(f"autopilot: failed: {describe(exc)}")
            self.exit_code = 1
        self.finished.emit(self.exit_code)
        if self.quit_when_done:
            code = self.exit_code
            QTimer.singleShot(0, lambda: QCoreApplication.exit(code))

    def run(self) -> int:
        started = time.monotonic()
        self.shots = Screenshots(self.screenshots)
        if self.window_size and not (self.window.isMaximized() or self.window.isFullScreen()):
            self.window.resize(QSize(*self.window_size).boundedTo(room(self.window)))
        flows = self._flows if self._flows is not None else load_flows()
        pilot = Pilot(self.window, self.session, self.shots, deadline=started + self.deadline_s)
        try:
            if self.session is None:
                self.records.append(
                    FlowRecord(
                        "autopilot",
                        steps=[StepRecord("start", False, 0.0, "the autopilot needs --demo")],
                    )
                )
            elif not flows:
                self.records.append(
                    FlowRecord("autopilot", steps=[StepRecord("start", False, 0.0, "no flows")])
                )
            for flow in flows if self.session is not None else []:
                self.records.append(self._run_flow(pilot, flow))
        finally:
            pilot.close()
        self.write_report()
        ok = bool(self.records) and all(r.ok for r in self.records)
        total = time.monotonic() - started
        _say(f"autopilot: {'all flows ok' if ok else 'FAILED'} in {total:.1f} s")
        return 0 if ok else 1

    def _run_flow(self, pilot: Pilot, flow: Flow) -> FlowRecord:
        record = FlowRecord(flow.name)
        pilot.steps = record.steps
        pilot.prefix = flow.prefix
        started = time.monotonic()
        if pilot.deadline is not None and started >= pilot.deadline:
            record.steps.append(StepRecord("start", False, 0.0, "the run's deadline had passed"))
        else:
            try:
                flow.run(pilot)
                record.ok = all(s.ok for s in record.steps)
            except Exception as exc:
                record.ok = False
                if not record.steps or record.steps[-1].ok:  # failed outside a step
                    record.steps.append(StepRecord("script", False, 0.0, describe(exc)))
                self._back_home(pilot)
        record.seconds = round(time.monotonic() - started, 3)
        failed = next((s for s in record.steps if not s.ok), None)
        detail = f" at {failed.name!r}: {failed.error}" if failed else ""
        _say(
            f"autopilot: {flow.name} {'ok' if record.ok else 'FAILED'} in {record.seconds:.1f} s "
            f"({len(record.steps)} steps){detail}"
        )
        return record

    def _back_home(self, pilot: Pilot) -> None:
        """After a failure: leave the wizard like a person (Cancel), so the next flow can run."""
        for _ in range(3):
            if pilot.is_visible("home") or not self.window.isVisible():
                return
            try:
                if pilot.is_visible("wizardCancel"):
                    pilot.click("wizardCancel", timeout=2)
                elif pilot.is_visible("confirmDiscard"):
                    pilot.click("confirmDiscard", timeout=2)
                pilot.wait_visible("home", timeout=3)
            except StepFailed:
                continue

    def report(self) -> dict[str, Any]:
        report: dict[str, Any] = {"flows": [r.as_dict() for r in self.records]}
        prints = self._leak_prints()
        if prints is not None:  # for tools/leakcheck.py: salted hashes, never the secrets
            report["leak_check"] = prints
        return report

    def _leak_prints(self) -> dict[str, Any] | None:
        try:
            from x2desk.sandbox.leaks import fingerprints, secrets_in_state

            return fingerprints(secrets_in_state(self.session.phone.state()))
        except Exception as exc:  # no sandbox to ask: the report goes without them
            log.debug("no leak fingerprints: %s", type(exc).__name__)
            return None

    def write_report(self) -> None:
        if self.report_path is None:
            return
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.report_path.with_name(self.report_path.name + ".tmp")
        tmp.write_text(json.dumps(self.report(), indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.report_path)


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
