"""``x2desk --demo --autopilot``: drives the real window like a person (mouse clicks and key presses
on visible, enabled controls found by objectName) and plays the phone only through the sandbox's
``/_sandbox/`` endpoints.

Each flow script is a module in this package with a ``FLOWS`` list of :class:`Flow` (``x2chat``,
``accounts``, ``greenapi``; the phone moves they share in ``moves``); adding a flow is adding its
module name to :data:`FLOW_MODULES`. The hands and eyes (waiting with a deadline while Qt runs,
clicks, screenshots) are :mod:`x2desk.ui.autopilot.pilot`; the run and the JSON report
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
