"""Whether Qt's object behind a Python wrapper still exists: a widget deleted with its page (or a
layout item deleted with its widget) leaves a wrapper that raises on every call."""

from __future__ import annotations

import shiboken6


def alive(obj: object) -> bool:
    """True while the C++ object behind ``obj`` has not been deleted."""
    return bool(shiboken6.isValid(obj))
