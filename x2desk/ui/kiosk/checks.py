"""What the kiosk's tests and autopilot check after each reset: that no widget holds anything a
person typed (every text field empty, no secret in any text a widget shows or names), and the
process's resident memory."""

from __future__ import annotations

import os
from collections.abc import Iterable

from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

SKIP = ("kioskPhoneScroll",)  # the demo's pretend phone beside the kiosk is not the kiosk


def _skipped(widget: QWidget) -> bool:
    parent: QWidget | None = widget
    while parent is not None:
        if parent.objectName() in SKIP:
            return True
        parent = parent.parentWidget()
    return False


def _texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.accessibleName(), widget.windowTitle()]
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        texts.append(widget.text())
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        texts.append(widget.toPlainText())
    return [t for t in texts if t]


def held_input(root: QWidget, secrets: Iterable[str] = (), fields: bool = True) -> list[str]:
    """What is left behind under ``root``: fields that hold text (unless ``fields`` is False),
    and widgets whose text holds one of ``secrets`` (what was typed or scanned). Empty:
    nothing."""
    wanted = [s for s in secrets if s]
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if _skipped(widget):
            continue
        name = widget.objectName() or type(widget).__name__
        if fields and isinstance(widget, QLineEdit) and widget.text():
            problems.append(f"the field {name} holds text")
        elif fields and isinstance(widget, QTextEdit | QPlainTextEdit) and widget.toPlainText():
            problems.append(f"the text box {name} holds text")
        for text in _texts(widget):
            if any(secret in text for secret in wanted):
                problems.append(f"{name} shows something typed or scanned")
                break
    return problems


def rss_bytes() -> int:
    """The process's resident memory now (Linux: /proc; elsewhere the peak, from getrusage)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak if sys.platform == "darwin" else peak * 1024)
