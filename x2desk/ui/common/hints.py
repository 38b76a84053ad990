"""The line under a field that says, as it is typed, whether the value is right (green) or what
is wrong with it (red): one helper for every page that checks as you type."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from x2desk.ui.common.theme import repolish


def set_hint(widget: QLabel, text: str, ok: bool) -> None:
    """Show ``text`` under a field, green when ``ok``, red otherwise."""
    widget.setText(text)
    widget.setProperty("tone", "hint-ok" if ok else "hint-bad")
    repolish(widget)
