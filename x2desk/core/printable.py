"""Untrusted text made safe to echo: a QR's content, a host name, a server's words, a name.

A terminal obeys control characters (ESC starts sequences that clear the screen, set the window
title, or worse), and bidirectional overrides (U+202E...) make text read differently from what
it is. :func:`printable` shows each such character as an escape (``\\x1b``, ``\\u202e``) and
leaves everything else as it is, so what is printed is what was received, visibly. The window
uses it too (a label does not run escape sequences, but an override still reorders what it shows).

Escaped: the Unicode categories Cc (controls, C0 and C1), Cf (format: bidi marks, overrides and
isolates, zero-width characters), Cs (lone surrogates, which cannot even be encoded), Zl and Zp
(line and paragraph separators). No Qt here.
"""

from __future__ import annotations

import unicodedata

ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def needs_escape(char: str) -> bool:
    """Whether ``char`` (one character) is shown as an escape."""
    return unicodedata.category(char) in ESCAPED_CATEGORIES


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control, format and separator character shown as an escape.

    With ``keep_newlines``, ``\\n`` stays a line break (for text that is several lines on
    purpose); otherwise the result is always one line.
    """
    if text.isascii() and text.isprintable():  # the common case: nothing to do
        return text
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif needs_escape(char):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def json_safe(encoded: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` makes it) with the same characters
    written as JSON escapes (``\\u202e``; a pair of surrogates above U+FFFF): still the same
    JSON value, but nothing in it a terminal obeys. ``json.dumps`` escapes the C0 controls in
    strings itself, so those left are the layout's line breaks and indents: kept."""
    out = []
    for char in encoded:
        if char < "\x20" or not needs_escape(char):
            out.append(char)
            continue
        code = ord(char)
        if code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return "".join(out)
