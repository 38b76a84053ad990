"""The home list's small pictures, drawn here (no icon theme is needed, none is shipped): a
badge per connection kind (its service's colour and a short mark) and a sign per status (a tick,
an exclamation mark, a pause, a dash, a cross). Each always stands beside its word: a person
who cannot tell the colours apart reads the word, and the signs differ in shape too.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from x2desk.core.status import Status

SIZE = 20
SCALE = 2  # drawn at twice the size: sharp on a scaled screen

# kind -> (colour, mark): the services' own colours, dark enough for white letters
KIND_BADGES: dict[str, tuple[str, str]] = {
    "x2chat_bot": ("#6d4ad6", "X2"),
    "telegram": ("#1f7fc4", "TG"),
    "telegram_bot": ("#1a6aa3", "B"),
    "max_personal": ("#4b3bd1", "M"),
    "whatsapp": ("#1b8a4b", "WA"),
    "odnoklassniki": ("#d46a00", "OK"),
    "greenapi": ("#2e7d32", "G"),
}
OTHER_BADGE = ("#5d6778", "?")


def _canvas() -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(SIZE * SCALE, SIZE * SCALE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(SCALE, SCALE)
    return pixmap, painter


def _finish(pixmap: QPixmap, painter: QPainter) -> QIcon:
    """The icon, the same in a selected row (Qt would tint it)."""
    painter.end()
    pixmap.setDevicePixelRatio(SCALE)
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


@cache
def kind_icon(kind: str) -> QIcon:
    """The badge of a connection kind (``x2chat`` is the bot's old name)."""
    colour, mark = KIND_BADGES.get("x2chat_bot" if kind == "x2chat" else kind, OTHER_BADGE)
    pixmap, painter = _canvas()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawRoundedRect(QRectF(1, 1, SIZE - 2, SIZE - 2), 5, 5)
    font = QFont()
    font.setPixelSize(9 if len(mark) > 1 else 11)
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, SIZE, SIZE), int(Qt.AlignmentFlag.AlignCenter), mark)
    return _finish(pixmap, painter)


# status -> colour per theme (light, dark): the same family as the theme's
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.WORKS: ("#1f9d55", "#3ecf7a"),
    Status.NEEDS_REAUTH: ("#c0392b", "#ff6b5e"),
    Status.UNPAID: ("#9a6200", "#f0b44c"),
    Status.NOT_CHECKED: ("#5d6778", "#9aa3b2"),
    Status.CHECK_FAILED: ("#b5470b", "#ff9f5e"),
}


@cache
def status_icon(status: Status, dark: bool = False) -> QIcon:
    """The sign of a status: a filled circle with a white tick, "!", pause bars or a cross;
    "not checked" is a hollow circle with a dash."""
    colour = QColor(STATUS_COLOURS[status][1 if dark else 0])
    pixmap, painter = _canvas()
    circle = QRectF(2, 2, SIZE - 4, SIZE - 4)
    if status is Status.NOT_CHECKED:
        painter.setPen(QPen(colour, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle)
        painter.drawLine(QPointF(7, 10), QPointF(13, 10))
        return _finish(pixmap, painter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(circle)
    pen = QPen(QColor("#ffffff"), 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if status is Status.WORKS:
        tick = QPainterPath(QPointF(6.2, 10.3))
        tick.lineTo(8.9, 13)
        tick.lineTo(14, 7.3)
        painter.drawPath(tick)
    elif status is Status.NEEDS_REAUTH:
        painter.drawLine(QPointF(10, 6), QPointF(10, 11))
        painter.drawPoint(QPointF(10, 14))
    elif status is Status.UNPAID:
        painter.drawLine(QPointF(8, 6.5), QPointF(8, 13.5))
        painter.drawLine(QPointF(12, 6.5), QPointF(12, 13.5))
    else:  # check failed
        painter.drawLine(QPointF(7, 7), QPointF(13, 13))
        painter.drawLine(QPointF(13, 7), QPointF(7, 13))
    return _finish(pixmap, painter)
