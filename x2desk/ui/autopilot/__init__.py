"""``x2desk --demo --autopilot``: drives the real window like a person (mouse clicks and key presses
on visible, enabled controls found by objectName) and plays the phone only through the sandbox's
``/_sandbox/`` endpoints.

Each flow script is a module in this package with a ``FLOWS`` list of :class:`Flow`; adding a flow
is adding its module name to :data:`FLOW_MODULES` (modules not present yet are skipped). The
machinery (waiting with a deadline while Qt runs, screenshots, the JSON report) is in
:mod:`x2desk.ui.autopilot.runner`.
"""

from __future__ import annotations

from x2desk.ui.autopilot.runner import (
    FLOW_MODULES,
    Autopilot,
    Flow,
    Pilot,
    StepFailed,
    load_flows,
)

__all__ = ["FLOW_MODULES", "Autopilot", "Flow", "Pilot", "StepFailed", "load_flows"]
