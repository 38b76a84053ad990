"""Whether the kiosk can reach its services: :func:`x2desk.core.kiosk.probe.reachable` in a
worker whenever the :class:`~x2desk.core.kiosk.watch.ProbeSchedule` says one is due (the window's
heartbeat asks), and a signal when the answer changes. Each change is logged."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from x2desk.core.kiosk.watch import ProbeSchedule
from x2desk.ui.common.workers import Job, run_in_worker

log = logging.getLogger("x2desk.kiosk")

Probe = Callable[[Sequence[str]], bool]


def _default_probe(targets: Sequence[str]) -> bool:
    from x2desk.core.kiosk.probe import reachable

    return reachable(targets)


class NetworkWatch(QObject):
    """Signals: ``changed(online)`` when a probe's answer differs from the one before.
    ``probe=None``: never probes (always online)."""

    changed = Signal(bool)

    def __init__(
        self,
        targets: Sequence[str],
        schedule: ProbeSchedule,
        probe: Probe | None = _default_probe,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.targets = list(targets)
        self.schedule = schedule
        self.probe = probe
        self.online = True
        self._job: Job | None = None

    @property
    def probing(self) -> bool:
        return self._job is not None

    def tick(self) -> None:
        """Start a probe if one is due and none is under way."""
        if self.probe is None or self._job is not None or not self.schedule.due():
            return
        probe, targets = self.probe, list(self.targets)
        self._job = run_in_worker(
            lambda: probe(targets), self._answered, lambda _e: self._answered(False), "probe"
        )

    def check_soon(self) -> None:
        """A flow could not reach its service: probe at the next tick."""
        self.schedule.now()

    def _answered(self, ok: object) -> None:
        self._job = None
        online = bool(ok)
        self.schedule.result(online)
        if online != self.online:
            self.online = online
            log.warning("kiosk: %s", "online" if online else "offline")  # untranslated: the log
            self.changed.emit(online)

    def stop(self) -> None:
        if self._job is not None:
            self._job.discard()
            self._job = None
