"""English left on screen in a run in another language: after each step, every text a person
can see or hear in the visible windows (labels, buttons, tabs, group titles, list rows, the
window's title, tooltips, placeholders, accessible names and descriptions) is read, and the
English words in it are reported (names such as x2desk, Telegram, QR, API, and addresses,
numbers and @usernames are not words to translate).

Data that came from elsewhere is not x2desk's to translate: what a person typed into a field
(its text is never read; its placeholder is), the chat's messages, and the names the sandbox
made up for bots and companies (:data:`DATA_WORDS`).
"""

from __future__ import annotations

import re
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

# Names and tokens that stay as they are in any language (the brief's list and Qt's keys).
_ALLOWED_TEXT = """
    x2desk x2chat telegram whatsapp max green api qr pin url urls id idinstance apitokeninstance
    apiurl http https ok ctrl alt shift esc enter tab json csv env gnome kde secret service
    libsecret macos windows linux botfather mybots webhook getme getupdates sendmessage utf
    png jpeg jpg bmp webp tif tiff gif avi mp4 mjpg opencv zxing zbar sqlite qt pyside6 python
"""
ALLOWED = frozenset(_ALLOWED_TEXT.split())
# Words the sandbox makes up for its bots ("Shop bot", @shop_123_bot) and companies ("Sandbox
# company"): data from the (pretend) server, shown as it came.
DATA_WORDS = frozenset([*SANDBOX_BOT_WORDS, "bot", "sandbox", "company"])
# Where a word is not a word: addresses, @usernames, paths, identifiers with digits or _.
_NOT_WORDS = re.compile(
    r"[a-z][a-z0-9+.-]*://\S*|\S+@\S+|@\w+|\S*[/\\]\S*|\b\w*[\d_]\w*\b|<[^>]*>|&\w+;",
    re.IGNORECASE,
)
_LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")
_SKIPPED = ("phoneMessages",)  # the chat's messages: data


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words in ``text`` (not names, addresses, numbers or identifiers)."""
    extra = {w.lower() for w in allowed}
    plain = _NOT_WORDS.sub(" ", text.replace("&&", "&").replace("&", ""))
    return [
        w
        for w in _LATIN_WORD.findall(plain)
        if w.lower() not in ALLOWED and w.lower() not in DATA_WORDS and w.lower() not in extra
    ]


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
        words = english_words(text, allowed)
        if words:
            where = f"{type(widget).__name__}#{widget.objectName() or '?'} {what}"
            found[f"{where}: {_short(text)!r} ({', '.join(dict.fromkeys(words))})"] = None
    return list(found)


def _short(text: str, limit: int = 90) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
