"""The window on small and scaled screens: a size that fits the screen it is on, a minimum no
larger than that screen, a remembered geometry pulled back onto it, and pages that scroll.

A 1024x600 touchscreen, a 1366x768 laptop and a 1080p screen at 2x scale (960x540 logical) must
all show the whole window with its Next / Cancel buttons: sizes here are logical pixels, read
from the screen's *available* geometry (without panels and docks).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

PREFERRED = QSize(1040, 700)  # the window's size where it fits
MINIMUM = QSize(640, 420)  # below this the pages scroll (never more than the screen)
# What a window manager adds around the window (title bar, borders), when it is not known yet
DECORATION = QSize(16, 40)


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen ``widget`` is on (or will open on): its own, else the primary one."""
    screen = widget.screen()
    return screen if screen is not None else QGuiApplication.primaryScreen()


def available(widget: QWidget) -> QRect:
    """The part of ``widget``'s screen that windows may use (the preferred size if none)."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1040, 700)


def decoration(widget: QWidget) -> QSize:
    """The window frame's extra size: measured once shown, else :data:`DECORATION`."""
    if widget.isVisible():
        frame, inner = widget.frameGeometry(), widget.geometry()
        return QSize(frame.width() - inner.width(), frame.height() - inner.height())
    return QSize(DECORATION)


def room(widget: QWidget) -> QSize:
    """The largest size the window itself can have on its screen, its frame included."""
    avail, deco = available(widget), decoration(widget)
    return QSize(max(1, avail.width() - deco.width()), max(1, avail.height() - deco.height()))


def minimum_for(widget: QWidget) -> QSize:
    """:data:`MINIMUM`, or smaller when the screen has less room."""
    return MINIMUM.boundedTo(room(widget))


def fits(size: QSize, widget: QWidget) -> bool:
    return size.width() <= room(widget).width() and size.height() <= room(widget).height()


def clamped(geometry: QRect, avail: QRect) -> QRect:
    """``geometry`` no larger than ``avail`` and moved inside it."""
    size = geometry.size().boundedTo(avail.size())
    x = min(max(geometry.x(), avail.left()), avail.left() + avail.width() - size.width())
    y = min(max(geometry.y(), avail.top()), avail.top() + avail.height() - size.height())
    return QRect(x, y, size.width(), size.height())


def scroll_area(content: QWidget, object_name: str) -> QScrollArea:
    """``content`` in a frameless, see-through scroll area that takes no keyboard focus (Tab
    goes through it to ``content``'s controls, and scrolls to show them)."""
    from PySide6.QtCore import Qt

    area = QScrollArea()
    area.setObjectName(object_name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setWidget(content)
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area


def overflow(window: QWidget) -> str:
    """Why ``window`` (its frame included) is not whole on its screen; "" when it is."""
    frame, avail = window.frameGeometry(), available(window)
    if avail.contains(frame):
        return ""
    return (
        f"the window ({frame.width()}x{frame.height()} at {frame.x()},{frame.y()}) is not "
        f"within its screen's free area ({avail.width()}x{avail.height()})"
    )
