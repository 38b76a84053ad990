"""Controls that fit a narrow page: on a small screen, with a large system font, or in a language
with longer words, nothing is cut off and no page has to be scrolled sideways.

- :class:`AdaptiveRow`: widgets side by side where they fit, one under another where not.
- :class:`WrappedCheck`: a check box whose words wrap onto more lines (a plain ``QCheckBox``
  keeps its text on one line and makes the whole page as wide as it).
- :func:`arrange_on_resize` and :func:`room`: a page that arranges its parts by the room it is
  shown in (the QR beside its column or under it, cards in two columns or one).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QHBoxLayout, QLabel, QWidget


class _Rearranger(QObject):
    """Calls ``arrange()`` when its widget, or the room it is shown in, is resized or shown."""

    def __init__(self, widget: QWidget, arrange: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._arrange = arrange
        self._holder: QWidget | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            holder = self._widget.parentWidget()
            if holder is not None and holder is not self._holder:
                holder.installEventFilter(self)  # a page in a scroll area: its viewport
                self._holder = holder
            self._arrange()
        return False


def arrange_on_resize(widget: QWidget, arrange: Callable[[], None]) -> None:
    """Call ``arrange()`` whenever ``widget`` or the room it is shown in changes size."""
    _Rearranger(widget, arrange)


def room(widget: QWidget) -> int:
    """The width ``widget`` is shown in: its parent's (a scroll area's viewport), else its own."""
    holder = widget.parentWidget()
    return holder.width() if holder is not None else widget.width()


class AdaptiveRow(QWidget):
    """``widgets`` side by side (a stretch after the first ``stretch_after`` of them), or, when the
    row is narrower than they need, one under another. Its narrowest is its widest widget."""

    def __init__(
        self,
        *widgets: QWidget,
        stretch_after: int | None = None,
        grow: int | None = None,
        spacing: int = 8,
    ) -> None:
        """``stretch_after``: the index before which the empty space goes (default: at the
        end); ``grow``: the index of a widget that takes the empty space instead."""
        super().__init__()
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self.items = list(widgets)
        self.grow = grow
        for i, w in enumerate(widgets):
            if grow is None and stretch_after is not None and i == stretch_after:
                self.box.addStretch(1)
            self.box.addWidget(w, 1 if i == grow else 0)
        if grow is None and (stretch_after is None or stretch_after >= len(widgets)):
            self.box.addStretch(1)

    def _shown(self) -> list[QWidget]:
        return [w for w in self.items if not w.isHidden()]

    def _across(self) -> int:
        shown = self._shown()
        return sum(w.sizeHint().width() for w in shown) + self.box.spacing() * (len(shown) - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        shown = self._shown()
        width = max((w.minimumSizeHint().width() for w in shown), default=0)
        width = max(width, max((w.sizeHint().width() for w in shown), default=0))
        return QSize(width, super().minimumSizeHint().height())

    def event(self, event: QEvent) -> bool:
        if event.type() in (  # resized, shown, or a widget in it shown, hidden or retitled
            QEvent.Type.LayoutRequest,
            QEvent.Type.Resize,
            QEvent.Type.Show,
        ):
            self._arrange()
        return super().event(event)

    def _arrange(self) -> None:
        across = self.width() >= self._across()
        direction = QBoxLayout.Direction.LeftToRight if across else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
            for i, w in enumerate(self.items):  # one under another: each on the left
                left = Qt.AlignmentFlag.AlignLeft if i != self.grow else Qt.AlignmentFlag(0)
                self.box.setAlignment(w, Qt.AlignmentFlag(0) if across else left)
            self.updateGeometry()


class _ClickableLabel(QLabel):
    def __init__(self, box: QCheckBox) -> None:
        super().__init__()
        self._box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
            self._box.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class WrappedCheck(QWidget):
    """A check box (``box``, with the object name, the accessible name and the focus) and its
    words beside it, wrapped; a click on the words ticks it, Alt+its letter too."""

    def __init__(self, text: str, object_name: str) -> None:
        super().__init__()
        self.box = QCheckBox()
        self.box.setObjectName(object_name)
        self.box.setAccessibleName(text.replace("&", ""))
        self.words = _ClickableLabel(self.box)
        self.words.setObjectName(object_name + "Text")
        self.words.setText(text)
        self.words.setWordWrap(True)
        self.words.setBuddy(self.box)  # Alt+the underlined letter ticks it
        self.words.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.words, 1)
        self.setFocusProxy(self.box)  # focusing the whole focuses the box
        self.toggled = self.box.toggled

    def isChecked(self) -> bool:  # noqa: N802
        return self.box.isChecked()

    def setChecked(self, on: bool) -> None:  # noqa: N802
        self.box.setChecked(on)

    def text(self) -> str:
        return self.words.text()
