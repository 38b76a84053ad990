"""Small building blocks shared by the pages: every control gets an objectName (the autopilot
and the tests find controls by it) and an accessible name in the window's language (what a
screen reader says: a button's or label's own text, or the words given to :func:`name`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from x2desk.i18n import N_, _
from x2desk.ui.common.lifetime import alive
from x2desk.ui.common.theme import repolish

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent, QResizeEvent
    from PySide6.QtWidgets import QFormLayout, QFrame

# PySide6 makes each class (and its enums) on its first use, a fraction of a millisecond each:
# the classes only pages use are imported where they are used, not at start-up.

# Start-up: PySide6 builds every enum of the ``Qt`` namespace (~14 ms) on the first use of any of
# them. Widgets built before the first paint send their ``Qt.*`` settings (a button's pointing
# cursor...) through :func:`later`, which holds them until :func:`run_deferred` runs them just
# after the first paint. Outside start-up (tests, pages built later) they run at once.
_deferred: list[Callable[[], None]] | None = None


def defer_until_painted() -> None:
    """Start holding :func:`later` calls (``run_gui`` does this before building the window)."""
    global _deferred
    if _deferred is None:
        _deferred = []


def later(action: Callable[[], None]) -> None:
    """Run ``action`` now, or after the first paint while the window is starting."""
    if _deferred is None:
        action()
    else:
        _deferred.append(action)


def run_deferred() -> None:
    """Run the held actions (on widgets that still exist) and stop holding new ones."""
    global _deferred
    pending, _deferred = _deferred or [], None
    for action in pending:
        action()


def _pointing_cursor(widget: QWidget) -> None:
    from PySide6.QtCore import Qt

    if alive(widget):
        widget.setCursor(Qt.CursorShape.PointingHandCursor)


def name(widget: QWidget, object_name: str, accessible: str = "") -> QWidget:
    """``object_name`` for the autopilot, ``accessible`` (translated) for screen readers; a
    button, check box or radio button without it is called by its own text."""
    from PySide6.QtWidgets import QAbstractButton

    if not accessible and isinstance(widget, QAbstractButton):
        accessible = widget.text().replace("&", "")
    if not accessible:
        raise ValueError(f"{object_name} needs an accessible name")
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    return widget


def button(
    text: str, object_name: str, primary: bool = False, accessible: str | None = None
) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(object_name)
    b.setAccessibleName(accessible or text.replace("&", "").rstrip("…."))
    if primary:
        b.setProperty("primary", True)
    later(lambda: _pointing_cursor(b))
    return b


def label(
    text: str = "",
    object_name: str = "",
    role: str | None = None,
    wrap: bool = True,
    selectable: bool = False,
) -> QLabel:
    lab = QLabel(text)
    if object_name:
        lab.setObjectName(object_name)  # a screen reader reads the label's own text
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    if selectable:
        from PySide6.QtCore import Qt

        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


# A banner's tone is never said by its colour alone: a mark at its left, and a word for screen
# readers (its accessible description).
TONE_MARKS = {"error": "✕", "warning": "⚠", "info": "ℹ"}  # untranslated: symbols
TONE_WORDS = {"error": N_("Error"), "warning": N_("Warning"), "info": N_("Note")}
MARK_ROOM = 34  # the banner's left margin with a mark in it


class GrowingLabel(QLabel):
    """A wrapped label that makes its row as tall as its lines need, in a horizontal layout too
    (Qt gives a wrapped label in a row the height of its lines at some other width, and a
    longer text, or another language's, is cut off at the bottom)."""

    def __init__(self, text: str = "", object_name: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        if object_name:
            self.setObjectName(object_name)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        need = self.heightForWidth(self.width())
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)


class Banner(QLabel):
    """A coloured message box: tone ``error``, ``warning``, ``info`` or hidden when empty. The
    tone shows as a mark at its left (✕, ⚠, ℹ) besides the colour, and is said to screen
    readers ("Error", "Warning", "Note")."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)  # a screen reader reads the message itself
        self.setWordWrap(True)
        later(self._plain_text)  # before any message: messages are never read as HTML
        # The inner spacing is a contents margin, not style-sheet padding: QLabel's word-wrapped
        # height ignores style-sheet padding, which clipped long messages.
        self.setContentsMargins(12, 10, 12, 10)
        later(self._size_policy)  # hidden until its first message: after the first paint
        self.hide()

    def _size_policy(self) -> None:
        from PySide6.QtWidgets import QSizePolicy

        if alive(self):
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _plain_text(self) -> None:
        from PySide6.QtCore import Qt

        if alive(self):
            self.setTextFormat(Qt.TextFormat.PlainText)

    def show_message(self, text: str, tone: str = "info", details: str = "") -> None:
        """``text`` in plain words; ``details`` (the technical words, if any) on a line of
        its own under it."""
        self._plain_text()
        self.setText(f"{text}\n{details}" if details else text)
        self.setProperty("tone", tone)
        self.setContentsMargins(MARK_ROOM if tone in TONE_MARKS else 12, 10, 12, 10)
        self.setAccessibleDescription(_(TONE_WORDS[tone]) if tone in TONE_WORDS else "")
        repolish(self)
        self.show()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        mark = TONE_MARKS.get(self.tone)
        if not mark:
            return
        from PySide6.QtCore import QRect, Qt
        from PySide6.QtGui import QPainter

        painter = QPainter(self)
        font = self.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))
        top = self.contentsMargins().top()
        box = QRect(8, top, MARK_ROOM - 12, self.fontMetrics().height())
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), mark)
        painter.end()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()

    @property
    def tone(self) -> str:
        return str(self.property("tone") or "")


class BusyIndicator(QWidget):
    """An indeterminate bar with a caption: shown on every wait."""

    def __init__(self, object_name: str, caption: str = "") -> None:
        super().__init__()
        self.setObjectName(object_name)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = label(caption, object_name + "Caption", role="muted")
        from PySide6.QtWidgets import QProgressBar

        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(caption or _("Working…"))
        lay.addWidget(self.caption)
        lay.addWidget(self.bar)

    def start(self, caption: str | None = None) -> None:
        if caption is not None:
            self.caption.setText(caption)
            self.bar.setAccessibleName(caption or _("Working…"))
        self.bar.setRange(0, 0)
        self.show()

    def stop(self) -> None:
        self.hide()


def card(object_name: str = "") -> tuple[QFrame, QVBoxLayout]:
    from PySide6.QtWidgets import QFrame

    frame = QFrame()
    frame.setProperty("role", "card")
    if object_name:
        frame.setObjectName(object_name)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(18, 16, 18, 16)
    lay.setSpacing(10)
    return frame, lay


def form_layout() -> QFormLayout:
    """A form whose labels go above their fields where a row has no room for both side by side
    (a narrow window, a large font, longer words)."""
    from PySide6.QtWidgets import QFormLayout

    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def row(*widgets: QWidget, stretch_first: bool = False, stretch_end: bool = False) -> QHBoxLayout:
    lay = QHBoxLayout()
    lay.setContentsMargins(0, 0, 0, 0)
    if stretch_first:
        lay.addStretch(1)
    for w in widgets:
        lay.addWidget(w)
    if stretch_end:
        lay.addStretch(1)
    return lay
