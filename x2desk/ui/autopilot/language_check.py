"""English left on screen in a run in another language: after each step, every text a person
can see or hear in the visible windows (labels, buttons, tabs, group titles, list rows, the
window's title, tooltips, placeholders, accessible names and descriptions) is read, and the
English words in it are reported (names such as x2desk, Telegram, QR, API, and addresses,
numbers, @usernames and «quotations» of another program's own words are not words to
translate).

Data that came from elsewhere is not x2desk's to translate: what a person typed into a field
(its text is never read; its placeholder is), the chat's messages, and the names the sandbox
made up for bots and companies (:data:`DATA_WORDS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTabBar,
    QWidget,
)

from x2desk.sandbox.x2chat import BOT_WORDS as SANDBOX_BOT_WORDS
from x2desk.ui.autopilot.words import english_words

# Words the sandbox makes up for its bots ("Shop bot", @shop_123_bot) and companies ("Sandbox
# company"): data from the (pretend) server, shown as it came.
DATA_WORDS = frozenset([*SANDBOX_BOT_WORDS, "bot", "sandbox", "company"])
# the chat's messages (data); the language switch (each language in its own words, on purpose)
_SKIPPED = ("phoneMessages", "languageSwitch")


def visible_texts(windows: Iterable[QWidget] | None = None) -> Iterator[tuple[QWidget, str, str]]:
    """(widget, what, text) for every text a person can see or hear in the visible windows."""
    tops = list(windows) if windows is not None else QApplication.topLevelWidgets()
    for top in tops:
        if not top.isVisible():
            continue
        if top.windowTitle():
            yield top, "title", top.windowTitle()
        for w in [top, *top.findChildren(QWidget)]:
            if not w.isVisible() or _in_skipped(w):
                continue
            yield from _texts_of(w)


def _in_skipped(w: QWidget) -> bool:
    node: QWidget | None = w
    while node is not None:
        if node.objectName() in _SKIPPED:
            return True
        node = node.parentWidget()
    return False


def _texts_of(w: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    if isinstance(w, QLabel | QAbstractButton) and w.text():
        yield w, "text", w.text()
    elif isinstance(w, QLineEdit) and w.placeholderText():
        yield w, "placeholder", w.placeholderText()
    elif isinstance(w, QGroupBox) and w.title():
        yield w, "title", w.title()
    elif isinstance(w, QComboBox) and w.currentText():
        yield w, "text", w.currentText()
    elif isinstance(w, QTabBar):
        for i in range(w.count()):
            yield w, f"tab {i}", w.tabText(i)
            if w.tabToolTip(i):
                yield w, f"tab {i} tooltip", w.tabToolTip(i)
    elif isinstance(w, QListWidget):
        for i in range(w.count()):
            item = w.item(i)
            if item is not None and not item.isHidden():
                yield w, f"row {i}", item.text()
    for what, text in (
        ("tooltip", w.toolTip()),
        ("accessible name", w.accessibleName()),
        ("accessible description", w.accessibleDescription()),
    ):
        if text:
            yield w, what, text


def english_on_screen(
    windows: Iterable[QWidget] | None = None, allowed: Iterable[str] = ()
) -> list[str]:
    """One line per text with English words in it: where it is, and the words."""
    found: dict[str, None] = {}
    for widget, what, text in visible_texts(windows):
        words = english_words(text, [*DATA_WORDS, *allowed])
        if words:
            where = f"{type(widget).__name__}#{widget.objectName() or '?'} {what}"
            found[f"{where}: {_short(text)!r} ({', '.join(dict.fromkeys(words))})"] = None
    return list(found)


def _short(text: str, limit: int = 90) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
