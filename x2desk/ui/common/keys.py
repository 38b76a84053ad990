"""Enter and focus, the same on every page: Enter presses the button that has the focus, else
the page's default action (also from a check box, a radio button or a list); a field that does
something of its own with Enter keeps it. Qt does this only inside a ``QDialog``; our pages live in
a main window, so :class:`~x2desk.ui.common.wizard.WizardFrame` and the main window call
:func:`press_focused` with the Enter that no control took.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPushButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_enter(event: QEvent) -> bool:
    """A plain Enter or Return (the keypad's included; no Ctrl, Alt or Shift)."""
    if not isinstance(event, QKeyEvent) or event.key() not in ENTER_KEYS:
        return False
    extra = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return extra == Qt.KeyboardModifier.NoModifier


def usable(widget: QWidget | None) -> bool:
    """On screen and enabled: a person could press it."""
    return widget is not None and widget.isVisible() and widget.isEnabled()


def takes_enter_itself(widget: QWidget | None) -> bool:
    """A field whose Enter already did something (a connected ``returnPressed``)."""
    if not isinstance(widget, QLineEdit):
        return False
    return bool(widget.receivers("2returnPressed()") > 0)  # SIGNAL("returnPressed()")


def press_focused(focus: QWidget | None, within: QWidget) -> bool:
    """Enter on ``focus`` (the focus widget), inside ``within``: click it when it is a push
    button; True when Enter was dealt with (pressed here, or by the field itself)."""
    if focus is None or not within.isAncestorOf(focus):
        return False
    if takes_enter_itself(focus):
        return True
    if isinstance(focus, QPushButton) and usable(focus):
        focus.click()
        return True
    return False


def first_focusable(container: QWidget, fields_only: bool = False) -> QWidget | None:
    """The first control of ``container`` that Tab would reach, if any (``fields_only``: not a
    push button, whose Enter would act at once)."""
    widget = container.nextInFocusChain()
    seen = 0
    while widget is not None and widget is not container and seen < 2000:
        seen += 1
        policy = widget.focusPolicy()
        if (
            container.isAncestorOf(widget)
            and policy & Qt.FocusPolicy.TabFocus
            and usable(widget)
            and widget.focusProxy() is None
            and not (fields_only and is_push_button(widget))
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None


def tab_after(container: QWidget, buttons: list[QWidget]) -> None:
    """Tab order: ``container``'s controls, then ``buttons`` in that order."""
    last: QWidget = container
    widget = container.nextInFocusChain()
    seen = 0
    while widget is not None and widget is not container and seen < 2000:
        seen += 1
        if container.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            last = widget
        widget = widget.nextInFocusChain()
    for button in buttons:
        QWidget.setTabOrder(last, button)
        last = button


def is_push_button(widget: QWidget) -> bool:
    """A plain push button (not a choice card: a card is a choice, like a radio button)."""
    return isinstance(widget, QPushButton) and widget.property("choice") is not True


def primary_button(container: QWidget) -> QAbstractButton | None:
    """The first blue (primary) button of ``container`` a person could press now."""
    for b in container.findChildren(QPushButton):
        if b.property("primary") is True and usable(b):
            return b
    return None


def keep_out_of_tab_order(root: QWidget) -> None:
    """``root`` and its controls take no focus from Tab or Enter (the demo's phone panel): its
    buttons still click, and its text fields take the focus only when clicked."""
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLineEdit):
            widget.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        else:
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if isinstance(widget, QPushButton):
            widget.setAutoDefault(False)
            widget.setDefault(False)
