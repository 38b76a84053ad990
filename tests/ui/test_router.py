"""The router and its chooser: "What to connect" shows the step list of the choice selected,
Enter or a double click on a card chooses, Cancel goes home, Back on each wizard's first page
comes back to the chooser, and only one wizard runs at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import main_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from x2desk.ui.main_window import MainWindow
from x2desk.ui.router import ACCOUNTS, GREENAPI, X2CHAT, choices


@pytest.fixture
def win(qtbot: Any, sandbox: Any) -> Iterator[MainWindow]:
    window = main_window(qtbot, sandbox.url)
    yield window
    window.close()


def step_texts(window: MainWindow) -> list[str]:
    chooser = window.router.chooser
    assert chooser is not None
    side = chooser.frame.findChild(QLabel, "wizardHeading").parentWidget()
    labels = [w for w in side.findChildren(QLabel, "stepLabel") if w.isVisible()]
    return [w.text().split("   ", 1)[1] for w in sorted(labels, key=lambda w: w.y())]


def test_the_chooser_shows_the_steps_of_the_choice_selected(qtbot: Any, win: MainWindow) -> None:
    win.open_wizard()
    chooser = win.router.chooser
    assert chooser is not None and win.views.currentWidget() is chooser
    assert list(chooser.page.buttons) == [X2CHAT, ACCOUNTS, GREENAPI]
    table = {c.key: list(c.steps) for c in choices()}
    assert step_texts(win) == table[X2CHAT]
    for key in (ACCOUNTS, GREENAPI, X2CHAT):
        qtbot.mouseClick(chooser.page.buttons[key], Qt.MouseButton.LeftButton)
        assert set(step_texts(win)) <= set(table[key])  # at once: no old label left on screen
        qtbot.waitUntil(lambda key=key: step_texts(win) == table[key], timeout=2000)
    assert win.router.wizards == {}  # nothing built before a choice is made


def test_enter_or_a_double_click_on_a_card_chooses(qtbot: Any, win: MainWindow) -> None:
    win.open_wizard()
    chooser = win.router.chooser
    assert chooser is not None
    card = chooser.page.buttons[GREENAPI]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    green = win.router.wizard(GREENAPI)
    assert green is not None and win.views.currentWidget() is green
    qtbot.mouseClick(green.frame.back_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert win.views.currentWidget() is chooser
    qtbot.mouseDClick(chooser.page.buttons[X2CHAT], Qt.MouseButton.LeftButton)
    x2chat = win.router.wizard(X2CHAT)
    assert x2chat is not None and win.views.currentWidget() is x2chat
    assert x2chat.frame.current.page_id == "token"  # type: ignore[attr-defined]


def test_back_on_each_first_page_returns_and_cancel_goes_home(qtbot: Any, win: MainWindow) -> None:
    win.open_wizard()
    chooser = win.router.chooser
    assert chooser is not None
    for key in (X2CHAT, ACCOUNTS, GREENAPI):
        qtbot.mouseClick(chooser.page.buttons[key], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(chooser.frame.next_button, Qt.MouseButton.LeftButton)
        wizard = win.router.wizard(key)
        assert wizard is not None and win.views.currentWidget() is wizard
        qtbot.mouseClick(wizard.frame.back_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        assert win.views.currentWidget() is chooser, key
        assert chooser.page.selected() == key  # the choice is remembered
    qtbot.keyClick(chooser.page.buttons[GREENAPI], Qt.Key.Key_Escape)
    assert win.views.currentWidget() is win.home


def test_opening_a_wizard_stops_the_others(qtbot: Any, win: MainWindow) -> None:
    x2chat = win.router.open(X2CHAT)
    assert x2chat.flow is not None  # type: ignore[attr-defined]
    win.router.open(ACCOUNTS)
    assert x2chat.flow is None  # type: ignore[attr-defined]  # dropped: no camera left running
    assert win.views.currentWidget() is win.router.wizard(ACCOUNTS)
