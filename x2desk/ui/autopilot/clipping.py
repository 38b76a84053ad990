"""Text a person cannot read whole: a button, check box or tab narrower than its words, a label
shorter than its wrapped lines, narrower than its one line or than its longest word, and a page
that must be scrolled sideways. The autopilot looks after each step (in any language, on any
screen, at any font size), as a person reading the screen would.

A widget inside a scroll area counts by its own size (the area scrolls to show it); a drop-down
may shorten its current item (its list shows it whole); a label that elides on purpose says so
with the property ``elides`` = True.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QTabBar,
    QWidget,
)

SLACK_PX = 2  # rounding between a size hint and a laid-out size


def _cut(w: QWidget) -> str | None:
    """What is cut off in ``w``, or None."""
    if w.property("elides"):
        return None
    if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
        if w.wordWrap():
            need = w.heightForWidth(w.width())
            if need > w.height() + SLACK_PX:
                return f"{need - w.height()} px of its lines"
            word, wide = _widest_word(w)
            if wide > w.contentsRect().width() + SLACK_PX:
                return f"{wide - w.contentsRect().width()} px of the word {word!r}"
        elif w.sizeHint().width() > w.width() + SLACK_PX:
            return f"{w.sizeHint().width() - w.width()} px of its line"
    elif isinstance(w, QAbstractButton) and w.text():
        need = w.sizeHint().width()
        if isinstance(w, QCheckBox | QRadioButton):
            need = w.minimumSizeHint().width()
        if need > w.width() + SLACK_PX:
            return f"{need - w.width()} px of its words"
    elif isinstance(w, QTabBar):
        for i in range(w.count()):
            if w.tabSizeHint(i).width() > w.tabRect(i).width() + SLACK_PX:
                return f"tab {i} ({w.tabText(i)!r})"
    return None


def _widest_word(w: QLabel) -> tuple[str, int]:
    """The widest word of ``w``'s text (its plain words if it is rich text), and its width."""
    text = w.text()
    if w.textFormat() != Qt.TextFormat.PlainText and "<" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    metrics = w.fontMetrics()
    words = text.replace("&", "").split()
    if not words:
        return "", 0
    widest = max(words, key=metrics.horizontalAdvance)
    return widest, metrics.horizontalAdvance(widest)


def clipped(windows: Iterable[QWidget] | None = None) -> Iterator[tuple[QWidget, str]]:
    """(widget, what is cut) for every visible text that does not fit its widget."""
    tops = list(windows) if windows is not None else QApplication.topLevelWidgets()
    for top in tops:
        if not top.isVisible():
            continue
        for w in [top, *top.findChildren(QWidget)]:
            if w.isVisible() and w.width() > 0 and (cut := _cut(w)):
                yield w, cut


def sideways(windows: Iterable[QWidget] | None = None) -> list[str]:
    """The pages (scroll areas) a person must scroll sideways to read whole, and by how much."""
    tops = list(windows) if windows is not None else QApplication.topLevelWidgets()
    found = []
    for top in tops:
        if not top.isVisible():
            continue
        for area in top.findChildren(QScrollArea):
            bar = area.horizontalScrollBar()
            if isinstance(area, QAbstractItemView) or not area.isVisible():
                continue
            if bar.isVisible() and bar.maximum() > SLACK_PX:
                found.append(f"{area.objectName() or '?'}: scrolls sideways by {bar.maximum()} px")
    return found


def clipped_on_screen(windows: Iterable[QWidget] | None = None) -> list[str]:
    """One line per widget whose text is cut: which, its words, and how much is cut."""
    lines = []
    for w, cut in clipped(windows):
        text = " ".join((w.text() if hasattr(w, "text") else "").split())[:60]
        lines.append(f"{type(w).__name__}#{w.objectName() or '?'} {text!r}: {cut}")
    return list(dict.fromkeys(lines))
