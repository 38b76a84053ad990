"""A QR code drawn with text in a terminal, the way a phone reads it on any colour scheme.

Each character cell holds two module rows (the half blocks ``▀ ▄ █`` and a space), drawn in
explicit colours: black (256-colour index 16) on white (231), entries of the colour cube that
terminal themes leave alone. So the modules are dark on a light quiet zone whether the terminal
is dark or light; without colours (``$NO_COLOR``, ``TERM=dumb``) light modules are drawn as
blocks, which suits a dark terminal. Phones refuse inverted codes, and a light terminal used to
get one.
"""

from __future__ import annotations

import os
import sys

from x2desk.core.scan.matrix import qr_modules

BORDER = 2  # quiet-zone modules around the code (the light background makes it look wider)
DARK_ON_LIGHT = "\033[38;5;16;48;5;231m"
RESET = "\033[0m"

# (top dark, bottom dark) -> the character, in colour (foreground = dark) and without colours
# (foreground = light, for a dark terminal).
COLOUR_CELLS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
PLAIN_CELLS = {(True, True): " ", (True, False): "▄", (False, True): "▀", (False, False): "█"}


def colours_wanted(environ: dict[str, str] | None = None) -> bool:
    """Colours unless ``$NO_COLOR`` is set or ``TERM`` is ``dumb``."""
    env = os.environ if environ is None else environ
    if "NO_COLOR" in env or env.get("TERM") == "dumb":
        return False
    return _windows_terminal_sequences() if sys.platform == "win32" else True


def _windows_terminal_sequences() -> bool:  # pragma: no cover - Windows only
    """Turn on the console's escape sequences (Windows 10+); False when they cannot be."""
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.GetStdHandle(-11)  # STD_OUTPUT_HANDLE
        mode = ctypes.c_uint32()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return True  # not a console (a pipe, a terminal emulator): sequences pass through
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))
    except Exception:
        return False


def qr_lines(payload: str, colour: bool = True) -> list[str]:
    """The QR of ``payload`` as lines of text (colour sequences included when ``colour``)."""
    modules = qr_modules(payload, border=BORDER)
    if len(modules) % 2:  # one more light half-row, so every cell has a top and a bottom
        modules.append([False] * len(modules[0]))
    cells = COLOUR_CELLS if colour else PLAIN_CELLS
    lines = []
    for top, bottom in zip(modules[0::2], modules[1::2], strict=True):
        row = "".join(cells[pair] for pair in zip(top, bottom, strict=True))
        lines.append(f"{DARK_ON_LIGHT}{row}{RESET}" if colour else row)
    return lines


def qr_text(payload: str, colour: bool | None = None) -> str:
    """The QR as one block of text ending in a newline; ``colour`` None: :func:`colours_wanted`."""
    use = colours_wanted() if colour is None else colour
    return "\n".join(qr_lines(payload, use)) + "\n"
