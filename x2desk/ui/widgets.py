"""Small building blocks shared by the pages: every control gets an objectName and an
accessibleName (the autopilot and screen readers find controls by them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from x2desk.ui.theme import repolish


def name(widget: QWidget, object_name: str, accessible: str | None = None) -> QWidget:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible or object_name)
    return widget


def button(
    text: str, object_name: str, primary: bool = False, accessible: str | None = None
) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(object_name)
    b.setAccessibleName(accessible or text.replace("&", "").rstrip("…."))
    if primary:
        b.setProperty("primary", True)
    b.setCursor(Qt.CursorShape.PointingHandCursor)
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
        lab.setObjectName(object_name)
        lab.setAccessibleName(object_name)
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


class Banner(QLabel):
    """A coloured message box: tone ``error``, ``warning``, ``info`` or hidden when empty."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setAccessibleName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The inner spacing is a contents margin, not style-sheet padding: QLabel's word-wrapped
        # height ignores style-sheet padding, which clipped long messages.
        self.setContentsMargins(12, 10, 12, 10)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, text: str, tone: str = "info") -> None:
        self.setText(text)
        self.setProperty("tone", tone)
        repolish(self)
        self.show()

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
        self.setAccessibleName(object_name)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.caption = label(caption, object_name + "Caption", role="muted")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(object_name + " progress")
        lay.addWidget(self.caption)
        lay.addWidget(self.bar)

    def start(self, caption: str | None = None) -> None:
        if caption is not None:
            self.caption.setText(caption)
        self.bar.setRange(0, 0)
        self.show()

    def stop(self) -> None:
        self.hide()


def card(object_name: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    if object_name:
        frame.setObjectName(object_name)
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(18, 16, 18, 16)
    lay.setSpacing(10)
    return frame, lay


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
