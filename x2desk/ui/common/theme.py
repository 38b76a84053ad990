"""The look: Fusion with a considered palette (light and dark, following the system) and a small
style sheet for headings, cards and the primary button. No widget sets colours of its own."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alt_base: str
    card: str
    border: str
    text: str
    muted: str
    accent: str
    accent_text: str
    accent_hover: str
    success: str
    warning: str
    warning_bg: str
    danger: str
    danger_bg: str
    info_bg: str
    demo: str
    focus: str  # the focus ring of a blue button: >= 3:1 against the blue and the window


LIGHT = Colors(
    window="#f4f6fa",
    base="#ffffff",
    alt_base="#f0f3f8",
    card="#ffffff",
    border="#d9dee8",
    text="#1b2230",
    muted="#5d6778",
    accent="#2f6bdf",
    accent_text="#ffffff",
    accent_hover="#2459c2",
    success="#1f9d55",
    warning="#9a6200",
    warning_bg="#fff5e0",
    danger="#c0392b",
    danger_bg="#fdecea",
    info_bg="#eaf1fd",
    demo="#7c3aed",
    focus="#0f1d40",
)

DARK = Colors(
    window="#171a21",
    base="#1f232c",
    alt_base="#252a35",
    card="#1f232c",
    border="#343a48",
    text="#e7eaf0",
    muted="#9aa3b2",
    accent="#5b8cff",
    accent_text="#0d1220",
    accent_hover="#7aa2ff",
    success="#3ecf7a",
    warning="#f0b44c",
    warning_bg="#3a2f17",
    danger="#ff6b5e",
    danger_bg="#3d1f1c",
    info_bg="#1c2a44",
    demo="#a78bfa",
    focus="#ffffff",
)

_current: Colors = LIGHT


def colors() -> Colors:
    """The colours in use now (widgets that paint themselves read them)."""
    return _current


def system_prefers_dark() -> bool:
    """Asks Qt for the system's colour scheme: this builds PySide6's ``Qt`` enums (~14 ms), so
    the start-up asks only after the first paint and begins with the last answer it saved."""
    from PySide6.QtCore import Qt

    try:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return False


def _palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    p.setColor(role.Window, QColor(c.window))
    p.setColor(role.WindowText, QColor(c.text))
    p.setColor(role.Base, QColor(c.base))
    p.setColor(role.AlternateBase, QColor(c.alt_base))
    p.setColor(role.ToolTipBase, QColor(c.base))
    p.setColor(role.ToolTipText, QColor(c.text))
    p.setColor(role.PlaceholderText, QColor(c.muted))
    p.setColor(role.Text, QColor(c.text))
    p.setColor(role.Button, QColor(c.base))
    p.setColor(role.ButtonText, QColor(c.text))
    p.setColor(role.BrightText, QColor(c.danger))
    p.setColor(role.Highlight, QColor(c.accent))
    p.setColor(role.HighlightedText, QColor(c.accent_text))
    p.setColor(role.Link, QColor(c.accent))
    p.setColor(role.Mid, QColor(c.border))
    p.setColor(role.Midlight, QColor(c.alt_base))
    p.setColor(role.Light, QColor(c.base))
    p.setColor(role.Dark, QColor(c.border))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor(c.muted))
    p.setColor(group.Disabled, role.Button, QColor(c.alt_base))
    return p


# The application's style sheet; ``{c.name}`` is a colour of the theme (``str.format``).
STYLE_SHEET = """
QWidget#pageTitle, QLabel#pageTitle {{ font-size: 17pt; font-weight: 600; }}
QLabel#pageSubtitle {{ color: {c.muted}; }}
QLabel[role="muted"] {{ color: {c.muted}; }}
QLabel[role="heading"] {{ font-size: 12pt; font-weight: 600; }}
QLabel[role="big"] {{ font-size: 15pt; font-weight: 600; }}
QFrame[role="card"] {{
    background: {c.card}; border: 1px solid {c.border}; border-radius: 10px;
}}
QFrame[role="sidebar"] {{ background: {c.alt_base}; border-right: 1px solid {c.border}; }}
QLabel[tone="error"] {{
    background: {c.danger_bg}; color: {c.danger}; border-radius: 8px;
}}
QLabel[tone="warning"] {{
    background: {c.warning_bg}; color: {c.warning}; border-radius: 8px;
}}
QLabel[tone="info"] {{
    background: {c.info_bg}; color: {c.text}; border-radius: 8px;
}}
QLabel[tone="success"] {{ color: {c.success}; font-weight: 600; }}
QLabel[tone="hint-ok"] {{ color: {c.success}; }}
QLabel[tone="hint-bad"] {{ color: {c.danger}; }}
QLabel#demoBadge {{
    background: {c.demo}; color: white; border-radius: 9px; padding: 2px 10px; font-weight: 600;
}}
QPushButton {{
    padding: 7px 16px; border-radius: 7px; border: 1px solid {c.border}; background: {c.base};
}}
QPushButton:hover {{ border-color: {c.accent}; }}
QPushButton:focus {{ border: 2px solid {c.accent}; padding: 6px 15px; }}
QPushButton:disabled {{ color: {c.muted}; background: {c.alt_base}; }}
QPushButton[primary="true"] {{
    background: {c.accent}; color: {c.accent_text}; border: 1px solid {c.accent}; font-weight: 600;
}}
QPushButton[primary="true"]:hover {{ background: {c.accent_hover}; }}
QPushButton[primary="true"]:focus {{ border: 3px solid {c.focus}; padding: 5px 14px; }}
QPushButton[primary="true"]:disabled {{
    background: {c.border}; border-color: {c.border}; color: {c.muted};
}}
QPushButton[choice="true"] {{
    text-align: left; padding: 14px 16px; border-radius: 10px; background: {c.card};
}}
QPushButton[choice="true"]:checked {{ border: 2px solid {c.accent}; background: {c.info_bg}; }}
QPushButton[choice="true"]:focus {{ padding: 14px 16px; }}
QLabel[role="choiceTitle"] {{ font-size: 12pt; font-weight: 600; background: transparent; }}
QLabel[role="choiceText"] {{ color: {c.muted}; background: transparent; }}
QLineEdit, QPlainTextEdit, QComboBox {{
    padding: 6px 8px; border: 1px solid {c.border}; border-radius: 6px; background: {c.base};
}}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{ border: 2px solid {c.accent}; }}
QListWidget {{ border: 1px solid {c.border}; border-radius: 8px; background: {c.base}; }}
QListWidget::item {{ padding: 10px 8px; border-bottom: 1px solid {c.alt_base}; }}
QListWidget::item:selected {{ background: {c.info_bg}; color: {c.text}; }}
QTableView {{
    border: 1px solid {c.border}; border-radius: 8px; background: {c.base};
    selection-background-color: {c.info_bg}; selection-color: {c.text};
    alternate-background-color: {c.alt_base};
}}
QTableView::item {{ border-bottom: 1px solid {c.alt_base}; padding-left: 12px; }}
QTableView::item:selected {{ background: {c.info_bg}; color: {c.text}; }}
QHeaderView::section {{
    background: {c.alt_base}; color: {c.muted}; font-weight: 600; border: none;
    border-bottom: 1px solid {c.border}; padding: 6px 12px;
}}
QTabWidget::pane {{ border: 1px solid {c.border}; border-radius: 8px; top: -1px; }}
QTabBar::tab {{ padding: 7px 14px; border: none; color: {c.muted}; }}
QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
QProgressBar {{
    border: none; background: {c.alt_base}; border-radius: 3px; max-height: 6px;
}}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 3px; }}
QCheckBox {{ spacing: 8px; }}
QCheckBox::indicator {{
    width: 14px; height: 14px; border: 1px solid {c.muted}; border-radius: 4px;
    background: {c.base};
}}
QCheckBox::indicator:hover, QCheckBox::indicator:focus {{ border-color: {c.accent}; }}
QCheckBox::indicator:checked {{
    background: {c.accent}; border: 1px solid {c.accent};
    image: url(:/qt-project.org/styles/commonstyle/images/standardbutton-apply-16.png);
}}
QCheckBox::indicator:disabled {{ border-color: {c.border}; background: {c.alt_base}; }}
QLabel#stepLabel {{ color: {c.muted}; }}
QLabel#stepLabel[current="true"] {{ color: {c.text}; font-weight: 600; }}
QLabel#stepLabel[done="true"] {{ color: {c.success}; }}
"""


def style_sheet(c: Colors) -> str:
    return STYLE_SHEET.format(c=c)


THEME_ENV = "X2DESK_THEME"  # "dark" or "light" forces one (screenshots); unset: the system's


def forced_dark() -> bool | None:
    """What ``$X2DESK_THEME`` asks for: True (dark), False (light) or None (follow the system)."""
    value = os.environ.get(THEME_ENV, "").strip().lower()
    if value in ("dark", "light"):
        return value == "dark"
    return None


def follows_system() -> bool:
    """Whether the colours follow the system's scheme (no ``dark=`` given, no ``$X2DESK_THEME``)."""
    return _follow_system


def apply(app: QApplication, dark: bool | None = None, *, guess: bool | None = None) -> Colors:
    """Set Fusion, the palette and the style sheet. ``dark=None``: ``$X2DESK_THEME`` when set,
    else the system's colour scheme, followed when it changes. ``guess``: the scheme to assume
    instead of asking the system now (start-up: the last one seen; check it after the first
    paint with :func:`check_system`)."""
    global _current, _follow_system
    _follow_system = dark is None and forced_dark() is None
    if dark is None:
        dark = forced_dark()
    if dark is None:
        dark = guess if guess is not None else system_prefers_dark()
    _current = DARK if dark else LIGHT
    if app.property("x2deskFusion") is not True:  # once: setting a style re-polishes everything
        # Making a style loads the style plugins (~5 ms): skip it where Fusion already is the
        # default (Linux without a desktop theme, offscreen).
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setProperty("x2deskFusion", True)
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(_current))
    _watch_system(app)
    return _current


def use_colors(app: QApplication, c: Colors, sheet: str) -> None:
    """Colours and a style sheet of the caller's own (the kiosk: its brand's accent, touch-sized
    type and controls); the system's colour scheme is not followed from now on."""
    global _current, _follow_system
    apply(app, dark=False)  # Fusion, once; stops following the system
    _follow_system = False
    _current = c
    app.setPalette(_palette(c))
    app.setStyleSheet(sheet)


_follow_system = True
_watching = False


def check_system(app: QApplication) -> bool:
    """After a start with a guessed scheme: apply the system's real one if the guess was wrong.
    Returns whether the colours are dark now."""
    if _follow_system:
        dark = system_prefers_dark()
        if (_current is DARK) != dark:
            apply(app)
    return _current is DARK


def _watch_system(app: QApplication) -> None:
    global _watching
    if _watching:
        return
    hints = QGuiApplication.styleHints()
    signal = getattr(hints, "colorSchemeChanged", None)  # Qt >= 6.5
    if signal is None:
        return
    _watching = True

    def changed(_scheme: object) -> None:
        if _follow_system:
            apply(app)

    signal.connect(changed)


def repolish(widget: object) -> None:
    """Re-apply the style sheet after a dynamic property changed (``tone``, ``current``...)."""
    from PySide6.QtWidgets import QWidget

    if isinstance(widget, QWidget):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
