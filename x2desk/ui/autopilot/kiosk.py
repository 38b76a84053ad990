"""``x2desk --kiosk --demo --autopilot --cycles N [--report FILE] [--screenshots DIR]``: N people
at the kiosk, one after the other, in turn English and Russian speakers.

Some pair and walk away (done screen, then the start by itself); some give up half way with
something typed (a phone number, a 2FA password) or a QR on screen, and the idle countdown takes
the kiosk back to the start. After each reset the run checks what a next person could find: no
field holding text, no widget showing anything the last person typed or scanned, the camera
released, and (after an idle reset) no request to the services after it. The report gives the
resident memory after the tenth and the last person: a leak shows as growth between them, and a
run of 20 or more fails when the last is more than 10 % above the tenth.

The kiosk's timers are short here (:data:`AUTOPILOT_TIMINGS`), the phone is the sandbox's
``/_sandbox/`` endpoints, and the hands are the demo autopilot's :class:`Pilot`.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from x2desk import i18n
from x2desk.core.kiosk.watch import Timings
from x2desk.ui.autopilot import kiosk_cycles as cycles
from x2desk.ui.autopilot.pilot import Pilot, Screenshots, StepFailed, describe
from x2desk.ui.kiosk.checks import held_input, rss_bytes
from x2desk.ui.kiosk.window import TRIM_AFTER_MS

if TYPE_CHECKING:
    from x2desk.ui.kiosk.window import KioskWindow

log = logging.getLogger(__name__)

# Short, but long enough that a person scanning with their phone (no touch on the kiosk) is not
# reset mid-way on a busy machine: the idle reset after 8 s, the countdown in its last 3 s.
AUTOPILOT_TIMINGS = Timings(
    idle_s=8.0, warning_s=3.0, done_s=0.5, hold_s=1.0, probe_online_s=30.0, probe_offline_s=(1.0,)
)
# Every visitor is another X2Chat owner, but the sandbox's bots share one: its per-owner limit
# of integration QRs (10 an hour) would stop a long run, and so would its 60 redeems an hour
# from one address (a real busy kiosk would meet that one: worth knowing, not worth a test).
KIOSK_LIMITS = {"issue_per_hour": 100_000, "redeem_per_hour": 100_000}
RSS_AT = 10  # the cycle after which the first memory reading is taken
RSS_GROWTH = 1.10  # the last reading may be at most this much of the tenth's
RSS_MIN_CYCLES = 20  # the memory rule applies to runs this long (the first ten warm up)
LANGUAGES = ("en", "ru")


@dataclass
class CycleRecord:
    number: int
    kind: str
    language: str
    ok: bool = True
    seconds: float = 0.0
    reset: str = ""
    rss_mib: float = 0.0  # resident memory once this person's reset is done
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.number,
            "kind": self.kind,
            "language": self.language,
            "ok": self.ok,
            "rss_mib": self.rss_mib,
            "seconds": self.seconds,
            "reset": self.reset,
            "problems": self.problems,
        }


class KioskAutopilot(QObject):
    """Serves ``cycles`` people, writes the report, then quits the application with 0 only when
    every cycle passed its checks (and memory stayed within bounds)."""

    def __init__(
        self,
        window: KioskWindow,
        session: Any,
        cycles: int = 6,
        report: str | Path | None = None,
        screenshots: str | Path | None = None,
        quit_when_done: bool = True,
    ) -> None:
        super().__init__()
        self.window = window
        self.session = session
        self.cycles = max(1, int(cycles))
        self.report_path = Path(report) if report else None
        self.screenshots = screenshots
        self.quit_when_done = quit_when_done
        self.records: list[CycleRecord] = []
        self.rss: dict[str, int] = {}
        self.exit_code = 1
        self.last_reset = ""
        window.went_to_start.connect(self._reset_seen)

    def _reset_seen(self, reason: str) -> None:
        self.last_reset = reason

    def start(self) -> None:
        try:
            self.exit_code = self.run()
        except Exception as exc:  # the machinery itself failed: say so, exit non-zero
            log.debug("kiosk autopilot failed", exc_info=True)
            _say(f"kiosk autopilot: failed: {describe(exc)}")
            self.exit_code = 1
        if self.quit_when_done:
            code = self.exit_code
            QTimer.singleShot(0, lambda: QCoreApplication.exit(code))

    def run(self) -> int:
        started = time.monotonic()
        pilot = Pilot(self.window, self.session, Screenshots(self.screenshots))
        shots = cycles.Shots(pilot, enabled=self.screenshots is not None)
        try:
            pilot.wait_visible("kioskStart", timeout=30)
            shots.take("start")
            for number in range(1, self.cycles + 1):
                self.records.append(self._cycle(pilot, number, shots))
                if number in (min(RSS_AT, self.cycles), self.cycles):
                    pilot.idle(TRIM_AFTER_MS + 500)  # as the station rests between people
                    gc.collect()
                    self.rss[str(number)] = rss_bytes()
            if shots.enabled:
                cycles.offline_moment(pilot, self.window, shots)
        finally:
            pilot.close()
        ok = all(r.ok for r in self.records) and self._memory_ok()
        self.write_report(time.monotonic() - started, ok)
        return 0 if ok else 1

    def _cycle(self, pilot: Pilot, number: int, shots: cycles.Shots) -> CycleRecord:
        kind, script = cycles.PLAN[(number - 1) % len(cycles.PLAN)]
        lang = LANGUAGES[(number - 1) % len(LANGUAGES)]
        record = CycleRecord(number, kind, lang)
        started = time.monotonic()
        self.last_reset = ""
        secrets: list[str] = []
        try:
            pilot.wait_visible("kioskStart", timeout=AUTOPILOT_TIMINGS.idle_s + 10)
            cycles.speak(pilot, lang)
            expected = script(pilot, secrets, shots)
            pilot.wait_visible("kioskStart", timeout=AUTOPILOT_TIMINGS.idle_s + 10)
            record.reset = self.last_reset
            if self.last_reset != expected:
                record.problems.append(f"reset by {self.last_reset!r}, not {expected!r}")
            record.problems += self._after_reset(pilot, secrets, expected == "idle")
        except StepFailed as exc:
            record.problems.append(describe(exc))
            self._recover(pilot)
        record.ok = not record.problems
        record.seconds = round(time.monotonic() - started, 2)
        record.rss_mib = round(rss_bytes() / 2**20, 1)
        _say(
            f"kiosk autopilot: {number}/{self.cycles} {kind} ({lang}) "
            f"{'ok' if record.ok else 'FAILED: ' + '; '.join(record.problems)} "
            f"in {record.seconds:.1f} s"
        )
        return record

    def _after_reset(self, pilot: Pilot, secrets: list[str], idle: bool) -> list[str]:
        problems = held_input(self.window, secrets)
        camera = getattr(self.session, "camera", None)
        try:
            pilot.wait_until(
                lambda: camera is None or not camera.is_open, "the camera to be released", 5
            )
        except StepFailed:
            problems.append("the camera was not released")
        if idle:
            problems += cycles.no_requests_after_reset(pilot)
        return problems

    def _recover(self, pilot: Pilot) -> None:
        """After a failed cycle: the idle reset brings the start back; wait for it."""
        try:
            pilot.wait_visible("kioskStart", timeout=AUTOPILOT_TIMINGS.idle_s + 10)
        except StepFailed:
            self.window.go_to_start("autopilot")

    def _memory_ok(self) -> bool:
        if self.cycles < RSS_MIN_CYCLES:
            return True
        tenth, last = self.rss.get(str(RSS_AT)), self.rss.get(str(self.cycles))
        return bool(tenth and last and last <= tenth * RSS_GROWTH)

    def write_report(self, seconds: float, ok: bool) -> None:
        tenth = self.rss.get(str(min(RSS_AT, self.cycles)))
        last = self.rss.get(str(self.cycles))
        ratio = round(last / tenth, 4) if tenth and last else None
        _say(
            f"kiosk autopilot: {'all cycles ok' if ok else 'FAILED'} in {seconds:.1f} s; "
            f"RSS after cycle {min(RSS_AT, self.cycles)}: {_mib(tenth)}, after cycle "
            f"{self.cycles}: {_mib(last)} (x{ratio})"
        )
        if self.report_path is None:
            return
        report = {
            "ok": ok,
            "cycles": self.cycles,
            "languages": list(LANGUAGES),
            "language_at_end": i18n.current_language(),
            "seconds": round(seconds, 1),
            "rss_bytes": self.rss,
            "rss_after_10": tenth,
            "rss_after_last": last,
            "rss_ratio": ratio,
            "records": [r.as_dict() for r in self.records],
        }
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.report_path.with_name(self.report_path.name + ".tmp")
        tmp.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        tmp.replace(self.report_path)


def _mib(value: int | None) -> str:
    return "?" if value is None else f"{value / 2**20:.1f} MiB"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
