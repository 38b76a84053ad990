"""The terminal QR (issue 12): dark modules on a light quiet zone on any terminal theme.

A small renderer plays the terminal: it applies the colour sequences to the half blocks the way
a terminal with a dark or a light theme draws them, and the picture is compared with the QR's
modules and read back by x2desk's own decoder, as a phone would.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from x2desk.commands.terminal_qr import BORDER, RESET, colours_wanted, qr_lines, qr_text
from x2desk.core.scan.decode import QrDecoder
from x2desk.core.scan.matrix import qr_modules

DARK, LIGHT = 0, 255
THEMES = {"dark": (LIGHT, DARK), "light": (DARK, LIGHT)}  # (default text colour, background)
SGR = re.compile(r"\x1b\[([0-9;]*)m")
PALETTE = {16: DARK, 231: LIGHT}
PAYLOAD = "tg://login?token=AQID" + "x" * 60


def render(lines: list[str], theme: str) -> np.ndarray:
    """The pixels a terminal with ``theme`` shows: one per module (two rows per text line)."""
    default_fg, default_bg = THEMES[theme]
    rows: list[list[int]] = []
    for line in lines:
        fg, bg = default_fg, default_bg
        top: list[int] = []
        bottom: list[int] = []
        pos = 0
        for match in [*SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            for char in line[pos:end]:
                top.append(fg if char in "▀█" else bg)
                bottom.append(fg if char in "▄█" else bg)
            if match is None:
                break
            pos = match.end()
            codes = [int(c) for c in match.group(1).split(";") if c] or [0]
            while codes:
                code = codes.pop(0)
                if code == 0:
                    fg, bg = default_fg, default_bg
                elif code in (38, 48) and codes[:1] == [5]:
                    colour = PALETTE[codes[1]]
                    codes = codes[2:]
                    fg, bg = (colour, bg) if code == 38 else (fg, colour)
        rows += [top, bottom]
    return np.array(rows, dtype=np.uint8)


def expected(payload: str) -> np.ndarray:
    modules = qr_modules(payload, border=BORDER)
    if len(modules) % 2:
        modules.append([False] * len(modules[0]))
    return np.where(np.array(modules), DARK, LIGHT).astype(np.uint8)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_dark_modules_on_a_light_quiet_zone_on_any_theme(theme: str) -> None:
    lines = qr_lines(PAYLOAD, colour=True)
    assert all(line.endswith(RESET) for line in lines)  # nothing leaks into the next text
    picture = render(lines, theme)
    assert np.array_equal(picture, expected(PAYLOAD))
    assert (picture[0] == LIGHT).all() and (picture[:, 0] == LIGHT).all()  # the quiet zone
    scaled = np.kron(picture, np.ones((6, 6), dtype=np.uint8))
    scaled = np.pad(scaled, 24, constant_values=LIGHT)
    assert [c.text for c in QrDecoder().decode(scaled)] == [PAYLOAD]


def test_without_colours_a_light_terminal_gets_an_inverted_code() -> None:
    """Why the colours: the plain drawing (what every terminal got before) suits only a dark
    theme; on a light one it is the negative, which many phone scanners refuse."""
    plain = qr_lines(PAYLOAD, colour=False)
    assert np.array_equal(render(plain, "dark"), expected(PAYLOAD))
    assert np.array_equal(render(plain, "light"), LIGHT - expected(PAYLOAD))


def test_colours_unless_the_terminal_says_no() -> None:
    assert colours_wanted({"TERM": "xterm-256color"}) is True
    assert colours_wanted({"NO_COLOR": "1"}) is False
    assert colours_wanted({"TERM": "dumb"}) is False
    assert "\x1b[" not in qr_text("hello", colour=False)
    assert qr_text("hello", colour=True).endswith(RESET + "\n")
