"""The window's language switch (ui/common/language_switch.py, in the main window's top bar):
a button per other language, named in its own language; a press rebuilds the whole window in
the new language at once, back where the person was (home, the chooser, a wizard's first
page); while a connection is under way (past a wizard's first page) it waits for the wizard to
close, and says so."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import main_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from x2desk import i18n
from x2desk.ui.app import ensure_app
from x2desk.ui.common.language_switch import LanguageSwitch
from x2desk.ui.main_window import MainWindow
from x2desk.ui.router import ACCOUNTS, X2CHAT


@pytest.fixture
def win(qtbot: Any, sandbox: Any) -> Iterator[MainWindow]:
    window = main_window(qtbot, sandbox.url, active=True)
    yield window
    window.close()


def press_switch(qtbot: Any, win: MainWindow, code: str) -> None:
    button = win.language_switch.buttons[code]
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def russian(text: str) -> str:
    """``text`` as the Russian catalogue has it (and it is not the English), without switching
    (a switch would rebuild the window under test)."""
    said = gettext.translation(i18n.DOMAIN, str(i18n.LOCALE_DIR), ["ru"]).gettext(text)
    assert said != text
    return said


def test_the_switch_offers_the_other_language_in_its_own_words(qtbot: Any) -> None:
    ensure_app()
    switch = LanguageSwitch()
    qtbot.addWidget(switch)
    assert list(switch.buttons) == ["ru"]
    ru = switch.buttons["ru"]
    assert ru.text() == "Русский" and ru.accessibleName() == "Русский"
    assert "на русском" in ru.toolTip()
    qtbot.mouseClick(ru, Qt.MouseButton.LeftButton)
    assert i18n.current_language() == "ru"
    assert list(switch.buttons) == ["en"]
    assert switch.buttons["en"].text() == "English"
    assert switch.accessibleName() == russian("Window language")


def test_home_is_rebuilt_in_russian_at_once(qtbot: Any, win: MainWindow) -> None:
    old_home = win.home
    press_switch(qtbot, win, "ru")
    assert i18n.current_language() == "ru"
    assert win.home is not old_home and win.views.currentWidget() is win.home
    assert win.home.connect_button.text() == russian("&Connect…")
    assert list(win.language_switch.buttons) == ["en"]
    assert win.language_switch.buttons["en"].isVisible()
    assert QApplication.focusWidget() is win.language_switch.buttons["en"]  # keyboard not lost
    press_switch(qtbot, win, "en")
    assert i18n.current_language() == "en"


def test_the_chooser_comes_back_in_the_new_language(qtbot: Any, win: MainWindow) -> None:
    win.open_wizard()
    press_switch(qtbot, win, "ru")
    chooser = win.router.chooser
    assert chooser is not None and win.views.currentWidget() is chooser
    assert chooser.page.title == russian("What do you want to connect?")
    assert chooser.frame.title_label.text() == chooser.page.title


def test_a_wizard_on_its_first_page_comes_back_in_the_new_language(
    qtbot: Any, win: MainWindow
) -> None:
    old = win.router.open(X2CHAT)
    press_switch(qtbot, win, "ru")
    wizard = win.router.wizard(X2CHAT)
    assert wizard is not None and wizard is not old
    assert win.views.currentWidget() is wizard
    assert wizard.frame.current.page_id == "token"  # type: ignore[attr-defined]
    assert wizard.frame.cancel_button.text() == russian("Cancel")  # type: ignore[attr-defined]


def test_a_connection_under_way_keeps_its_language_until_it_ends(
    qtbot: Any, win: MainWindow
) -> None:
    wizard = win.router.open(ACCOUNTS)
    frame = wizard.frame  # type: ignore[attr-defined]
    frame.next_button.click()  # the kind chosen: the provider's page
    assert frame.current.page_id == "account_provider"
    assert win.router.flow_running()
    press_switch(qtbot, win, "ru")
    assert i18n.current_language() == "en"  # nothing mixed: the page stays as it is
    assert win.router.wizard(ACCOUNTS) is wizard
    note = win.language_note
    assert note is not None and note.isVisible() and "Русский" in note.text()
    frame.cancel_button.click()  # the wizard closes: home, and now the switch
    assert i18n.current_language() == "ru"
    assert win.views.currentWidget() is win.home
    assert not win.router.flow_running()
    assert win.language_note is not None and not win.language_note.isVisible()
