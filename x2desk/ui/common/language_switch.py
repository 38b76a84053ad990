"""The language switch: one button per language x2desk speaks other than the current one, each
named in its own language ("English" in a Russian window, "Русский" in an English one), so a
person who cannot read the window's language still finds theirs. One press switches the whole
window at once (x2desk's texts and Qt's own: :mod:`x2desk.ui.common.language`).

Use it anywhere a person starts (the main window's top bar has one; the kiosk's start screen
should too)::

    from x2desk.ui.common.language_switch import LanguageSwitch

    switch = LanguageSwitch()          # applies the choice at once
    layout.addWidget(switch)

The switch follows every change of language (its buttons are rebuilt), whoever made it. A window
that must decide *when* a switch applies (the main window, while a connection is being made)
passes ``apply=False`` and handles ``chosen(code)`` itself, calling
``language().set(code)`` when it is ready. Signals: ``chosen(code)`` when a button is pressed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from x2desk import i18n
from x2desk.i18n import _
from x2desk.ui.common.language import language
from x2desk.ui.common.widgets import button

# Each language in its own words: they do not follow the window's language on purpose.
NAMES = {"en": "English", "ru": "Русский"}  # untranslated: each language's own name
SWITCH_TO = {  # said in the language the button switches to
    "en": "Show x2desk in English",  # untranslated: in its own language
    "ru": "Показать x2desk на русском",  # untranslated: in its own language
}


class LanguageSwitch(QWidget):
    """Signals: ``chosen(code)``. ``apply``: switch at once when a button is pressed."""

    chosen = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, apply: bool = True, object_name: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name or "languageSwitch")
        self._apply = apply
        self.buttons: dict[str, QPushButton] = {}
        self._lay = QHBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(6)
        self._build()
        language().changed.connect(self._build)

    def _build(self, *_code: str) -> None:
        """A button for each language but the current one."""
        for b in self.buttons.values():
            self._lay.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.buttons = {}
        self.setAccessibleName(_("Window language"))
        for code in i18n.LANGUAGES:
            if code == i18n.current_language():
                continue
            b = button(NAMES[code], f"language_{code}", accessible=NAMES[code])
            b.setAccessibleDescription(SWITCH_TO[code])
            b.setToolTip(SWITCH_TO[code])
            b.setProperty("flat", True)
            b.clicked.connect(lambda _checked=False, c=code: self._pressed(c))
            self._lay.addWidget(b)
            self.buttons[code] = b

    def _pressed(self, code: str) -> None:
        self.chosen.emit(code)
        if self._apply:
            language().set(code)
