"""The kiosk's watch on every input, installed on the application: each press, key, touch or
wheel counts as someone being there (the idle reset waits); the close shortcuts are swallowed;
the admin's exit chord and a long press on the exit corner are noticed.

The long press is only *started* here (where and when it began); the window's heartbeat checks
how long it has lasted, on its injectable clock.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.kiosk.config import Corner

CORNER_FRACTION = 0.08  # the exit corner: this share of the screen's shorter side, square

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
}
_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
_RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel}
# what would close a window or quit: never acted on in the kiosk
CLOSE_KEYS = (
    QKeySequence(QKeySequence.StandardKey.Quit),
    QKeySequence(QKeySequence.StandardKey.Close),
    QKeySequence("Alt+F4"),
    QKeySequence("Ctrl+W"),
    QKeySequence("Ctrl+Q"),
)


def corner_rect(area: QRect, corner: Corner) -> QRect:
    side = max(24, int(min(area.width(), area.height()) * CORNER_FRACTION))
    left = area.left() if corner in (Corner.TOP_LEFT, Corner.BOTTOM_LEFT) else area.right() - side
    top = area.top() if corner in (Corner.TOP_LEFT, Corner.TOP_RIGHT) else area.bottom() - side
    return QRect(left, top, side + 1, side + 1)


def _key_matches(event: QKeyEvent, sequence: QKeySequence) -> bool:
    if sequence.isEmpty():
        return False
    return bool(event.keyCombination() == sequence[0])  # type: ignore[index]


def _press_point(event: QEvent) -> QPointF | None:
    if isinstance(event, QMouseEvent):
        return event.globalPosition()
    if isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].globalPosition()
    return None


class InputGuard(QObject):
    """Calls ``touched()`` on every input and ``chord()`` on the exit chord; swallows the close
    shortcuts. ``held_for()`` is how long a press on the exit corner has lasted (0: none)."""

    def __init__(
        self,
        window: QWidget,
        touched: Callable[[], None],
        chord: Callable[[], None],
        exit_chord: str | None,
        exit_corner: Corner | None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._touched, self._chord = touched, chord
        self.exit_chord = QKeySequence.fromString(exit_chord) if exit_chord else QKeySequence()
        self.exit_corner = exit_corner
        self._clock = clock
        self._pressed_at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in _ACTIVITY:
            self._touched()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if _key_matches(event, self.exit_chord):
                self._chord()
                return True
            if any(_key_matches(event, keys) for keys in CLOSE_KEYS):
                return True
        elif kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if any(_key_matches(event, keys) for keys in CLOSE_KEYS):
                event.accept()  # the key comes as a KeyPress, swallowed above: no shortcut
        elif kind in _PRESS:
            self._pressed(event)
        elif kind in _RELEASE:
            self._pressed_at = None
        return False

    def _pressed(self, event: QEvent) -> None:
        point = _press_point(event)
        if self.exit_corner is None or point is None or not self.window.isVisible():
            return
        area = self.window.geometry()
        if corner_rect(area, self.exit_corner).contains(QPoint(int(point.x()), int(point.y()))):
            self._pressed_at = self._clock.monotonic()
        else:
            self._pressed_at = None

    def held_for(self) -> float:
        """Seconds the exit corner has been pressed without letting go (0: not pressed)."""
        if self._pressed_at is None:
            return 0.0
        return self._clock.monotonic() - self._pressed_at

    def forget_press(self) -> None:
        self._pressed_at = None
