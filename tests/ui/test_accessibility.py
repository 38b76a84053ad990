"""What a screen reader and a keyboard user get, on every page of every wizard, in English and in
Russian: every control has a name a screen reader says (its own words, or an accessible name:
never an objectName like "providerKey"), in the window's language; no two controls of a page
answer the same Alt+letter; after a page change the focus is on that page (or Next), never on
Cancel or outside the wizard."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import main_window
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from x2desk import i18n
from x2desk.ui.autopilot.words import english_words
from x2desk.ui.main_window import MainWindow

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTabBar)
IDENTIFIER = re.compile(r"^[a-z]+[A-Z]\w*$|^\w+_\w+$")  # providerKey, account_qr


@pytest.fixture(params=["en", "ru"])
def win(request: Any, qtbot: Any, sandbox: Any) -> Iterator[MainWindow]:
    i18n.set_language(request.param)
    window = main_window(qtbot, sandbox.url, active=True)
    yield window
    window.close()


def every_page(win: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """(where, page) for the home view, the chooser and every page of every wizard, shown."""
    yield "home", win.home
    win.router.choose()
    chooser = win.router.chooser
    assert chooser is not None
    yield "choose", chooser
    for key in ("x2chat_bot", "accounts", "greenapi"):
        wizard = win.router.open(key)
        frame = wizard.frame  # type: ignore[attr-defined]
        for page_id in list(frame._pages):
            frame.show_page(page_id)
            yield f"{key}/{page_id}", wizard  # type: ignore[misc]
        wizard.shutdown()


def spoken_name(w: QWidget) -> str:
    """What a screen reader says for ``w``: its accessible name, else Qt's from its words or
    its label (a form's label is the buddy of its field)."""
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def test_every_control_has_a_spoken_name_in_the_windows_language(win: MainWindow) -> None:
    missing, identifiers, english = [], [], []
    controls = 0
    for where, view in every_page(win):
        for w in [view, *view.findChildren(QWidget)]:
            if not isinstance(w, INTERACTIVE) or not w.isVisible():
                continue
            controls += 1
            said = spoken_name(w).replace("&", "").strip()
            what = f"{where}: {type(w).__name__}#{w.objectName()}"
            if not said:
                missing.append(what)
            elif IDENTIFIER.match(said):
                identifiers.append(f"{what} is called {said!r}")
            elif i18n.current_language() == "ru" and english_words(said):
                english.append(f"{what} is called {said!r}")
    assert controls > 60
    assert missing == [], "\n".join(missing)
    assert identifiers == [], "\n".join(identifiers)
    assert english == [], "\n".join(english)


def mnemonics(view: QWidget) -> list[tuple[str, str]]:
    """(Alt+letter in lower case, the words) of the visible buttons and field labels in
    ``view``."""
    found = []
    for w in [view, *view.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.buddy() is not None):
            text = w.text().replace("&&", "")
            if "&" in text and text.index("&") + 1 < len(text):
                found.append((text[text.index("&") + 1].lower(), text))
    return found


def test_no_two_controls_of_a_page_answer_the_same_alt_letter(win: MainWindow) -> None:
    clashes = []
    for where, view in every_page(win):
        keys = mnemonics(view)
        counts = Counter(letter for letter, _words in keys)
        for letter in [letter for letter, n in counts.items() if n > 1]:
            said = " / ".join(words for key, words in keys if key == letter)
            clashes.append(f"{where}: Alt+{letter}: {said}")
    assert clashes == [], "\n".join(clashes)


def test_after_a_page_change_the_focus_is_on_that_page(win: MainWindow) -> None:
    lost = []
    for where, view in every_page(win):
        frame = getattr(view, "frame", None)
        if frame is None or frame.current is None:
            continue
        focus = QApplication.focusWidget()
        on_page = focus is not None and (
            frame.current.isAncestorOf(focus) or focus is frame.current
        )
        if not (on_page or focus is frame.next_button):
            lost.append(f"{where}: {type(focus).__name__}#{getattr(focus, 'objectName', str)()}")
    assert lost == [], "\n".join(lost)
