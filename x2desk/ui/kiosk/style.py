"""The kiosk's look: the window's own style sheet with every size scaled for a touch screen seen
at arm's length (type, paddings, check boxes, fields at least a finger high), the brand's accent
colour on buttons and highlights, and a few rules of the kiosk's own screens.

The scale follows the screen: 1.0 on a small 1024x600 panel, 1.5 on a 1920x1080 one.
"""

from __future__ import annotations

import dataclasses
import re

from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from x2desk.ui.common import theme

MIN_SCALE, MAX_SCALE = 1.0, 1.7
BASE_PT = 12.0  # body text at scale 1
TOUCH_PX = 48  # the least height of anything a finger presses, at scale 1
_SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)(pt|px)")

KIOSK_RULES = """
QWidget#kioskWindow {{ background: {c.window}; }}
QFrame#kioskTopBar {{ background: {c.base}; border-bottom: 1px solid {c.border}; }}
QScrollArea#kioskCardsScroll, QWidget#kioskCards {{ background: transparent; }}
QLabel#kioskTitle {{ font-size: {title}pt; font-weight: 600; color: {c.text}; }}
QLabel#kioskWelcome {{ font-size: {big}pt; color: {c.muted}; }}
QLabel#kioskHeadline {{ font-size: {huge}pt; font-weight: 700; color: {c.text}; }}
QLabel#kioskLine {{ font-size: {big}pt; color: {c.text}; }}
QLabel#kioskNote {{ color: {c.muted}; }}
QLabel#kioskBadge {{
    background: {c.demo}; color: white; border-radius: {r}px; padding: {badge_v}px {badge_h}px;
    font-weight: 600;
}}
QLabel#kioskMark {{ font-size: {mark}pt; font-weight: 700; }}
QLabel#kioskMark[tone="done"] {{ color: {c.success}; }}
QLabel#kioskMark[tone="calm"] {{ color: {c.accent}; }}
QPushButton {{ min-height: {button_h}px; padding: {pad_v}px {pad_h}px; }}
QPushButton:focus {{ padding: {pad_v}px {pad_h}px; }}
QPushButton[primary="true"]:focus {{ padding: {pad_v}px {pad_h}px; }}
QPushButton[kioskCard="true"] {{
    text-align: left; padding: {card_pad}px; border-radius: {r}px; background: {c.card};
    border: 2px solid {c.border};
}}
QPushButton[kioskCard="true"]:pressed {{ border-color: {c.accent}; background: {c.info_bg}; }}
QPushButton[kioskCard="true"] QLabel[role="choiceTitle"] {{
    font-size: {big}pt; font-weight: 600; color: {c.accent};
}}
QPushButton[language="true"] {{ min-width: {lang_w}px; }}
QPushButton[language="true"]:checked {{
    background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; font-weight: 600;
}}
QPushButton[pinKey="true"] {{ font-size: {big}pt; min-width: {key}px; min-height: {key}px; }}
QLineEdit, QComboBox {{ min-height: {field_h}px; }}
QTabBar::tab {{ min-height: {field_h}px; }}
QCheckBox::indicator {{ width: {box}px; height: {box}px; }}
QFrame#kioskOverlay {{ background: rgba(20, 26, 38, 150); }}
QFrame#kioskDialog {{ background: {c.base}; border-radius: {r}px; border: 1px solid {c.border}; }}
"""


def screen_scale(width: int, height: int) -> float:
    """How much larger than the desktop's sizes: by the screen's smaller ratio to 1280x720."""
    return max(MIN_SCALE, min(MAX_SCALE, width / 1280, height / 720))


def app_scale() -> float:
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return MIN_SCALE
    size = screen.size()
    return screen_scale(size.width(), size.height())


def accent_colors(accent: str) -> theme.Colors:
    """The light theme with the brand's accent (its hover a shade darker; its text white or
    near-black, whichever reads on it)."""
    colour = QColor(accent)
    light = colour.lightnessF() > 0.6 or _luminance(colour) > 0.45
    return dataclasses.replace(
        theme.LIGHT,
        accent=colour.name(),
        accent_hover=colour.darker(115).name(),
        accent_text="#111111" if light else "#ffffff",
    )


def _luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def _scaled(sheet: str, scale: float) -> str:
    def grow(match: re.Match[str]) -> str:
        value, unit = float(match.group(1)), match.group(2)
        if unit == "px" and value <= 2:  # hairlines and focus rings stay hairlines
            return match.group(0)
        return f"{round(value * scale, 1):g}{unit}"

    return _SIZE_RE.sub(grow, sheet)


def kiosk_sheet(c: theme.Colors, scale: float) -> str:
    """The application's style sheet, every size times ``scale``, and the kiosk's own rules."""
    s = scale
    sizes = {
        "title": round(20 * s, 1),
        "big": round(15 * s, 1),
        "huge": round(26 * s, 1),
        "mark": round(54 * s, 1),
        "button_h": int(TOUCH_PX * s) - 2 * int(8 * s) - 2,  # with its padding and border
        "field_h": int(TOUCH_PX * s) - 2 * int(6 * s) - 2,
        "pad_v": int(8 * s),
        "pad_h": int(22 * s),
        "card_pad": int(20 * s),
        "r": int(12 * s),
        "badge_v": int(6 * s),
        "badge_h": int(14 * s),
        "lang_w": int(110 * s),
        "key": int(76 * s),
        "box": int(26 * s),
    }
    return _scaled(theme.style_sheet(c), scale) + KIOSK_RULES.format(c=c, **sizes)


def apply_kiosk_style(app: QApplication, accent: str, scale: float | None = None) -> float:
    """Scale the type and controls and use the brand's colours; returns the scale used."""
    scale = app_scale() if scale is None else scale
    font = QFont(app.font())
    font.setPointSizeF(BASE_PT * scale)
    app.setFont(font)
    theme.use_colors(app, accent_colors(accent), kiosk_sheet(accent_colors(accent), scale))
    return scale
