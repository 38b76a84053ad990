"""A language switch for the kiosk's start screen: one button per language, each named in its own
language ("English", "Русский"), the current one pressed. A tap switches x2desk's texts and Qt's
through :func:`x2desk.ui.common.language.language`.

A minimal one of the kiosk's own: the window's shared switch (ui/common/language_switch.py) was
not on main yet when the kiosk was built; it can take this one's place.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from x2desk import i18n
from x2desk.ui.common.language import language

# each language's name in that language (never translated: a visitor looks for their own)
NATIVE_NAMES = {"en": "English", "ru": "Русский"}


class LanguageSwitch(QWidget):
    """Signals: ``switched(code)`` after a tap changed the language."""

    switched = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageSwitch")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for code in i18n.LANGUAGES:
            button = QPushButton(NATIVE_NAMES.get(code, code))
            button.setObjectName(f"language_{code}")
            button.setAccessibleName(NATIVE_NAMES.get(code, code))
            button.setCheckable(True)
            button.setProperty("language", True)
            button.clicked.connect(lambda _checked=False, c=code: self.choose(c))
            self.group.addButton(button)
            self.buttons[code] = button
            lay.addWidget(button)
        self.show_current()

    def choose(self, code: str) -> None:
        changed = code != i18n.current_language()
        language().set(code)
        self.show_current()
        if changed:
            self.switched.emit(code)

    def show_current(self) -> None:
        current = self.buttons.get(i18n.current_language())
        if current is not None:
            current.setChecked(True)
