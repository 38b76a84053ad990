"""Where a key of a TOML document is written: its line, for error messages and for line edits.

``tomllib`` reports lines only for syntax errors; a value that parses but is wrong (an idle
timeout of -5) needs its line found here. The scanner reads a document ``tomllib`` has already
accepted, line by line: table headers, ``key = value`` lines (dotted and quoted keys too), and
the extent of values that run over several lines (arrays, inline tables, multi-line strings), so
that text inside them is never taken for a key. Keys inside an inline table, or in an array of
tables, are answered with the line of the nearest enclosing key or table that was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Path = tuple[str, ...]

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\]|\\.)*"'
_LITERAL = r"'[^']*'"
_PART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_KEY = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER_RE = re.compile(rf"^\s*\[\s*({_KEY})\s*\]\s*(?:#.*)?$")
_ARRAY_HEADER_RE = re.compile(rf"^\s*\[\[\s*({_KEY})\s*\]\]")
KEY_LINE_RE = re.compile(rf"^\s*({_KEY})\s*=(.*)$")
_PART_RE = re.compile(_PART)


def split_key(text: str) -> Path:
    """``a."b.c".d`` -> ``("a", "b.c", "d")`` (quotes dropped; basic-string escapes kept)."""
    parts = []
    for match in _PART_RE.finditer(text):
        part = match.group(0)
        if part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


@dataclass(frozen=True)
class Span:
    """Lines ``first``..``last`` (1-based, inclusive) hold one key and its value."""

    first: int
    last: int


def _scan_value(text: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """Bracket depth and the open multi-line string quote after reading ``text``."""
    i = 0
    while i < len(text):
        if quote:
            end = text.find(quote, i)
            if end < 0:
                return depth, quote
            i, quote = end + 3, None
            continue
        char = text[i]
        if char == "#":
            break
        if text.startswith(('"""', "'''"), i):
            quote, i = text[i : i + 3], i + 3
            continue
        if char in "\"'":
            i = string_end(text, i)
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        i += 1
    return depth, quote


def string_end(text: str, start: int) -> int:
    """The index of the quote closing the one-line string that opens at ``start``."""
    quote, i = text[start], start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            return i
        i += 1
    return len(text)


class TomlLines:
    """The lines of a parsed TOML document's tables and keys. Lines are 1-based."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()
        self.spans: dict[Path, Span] = {}
        self.headers: dict[Path, int] = {}
        self._scan()

    def _scan(self) -> None:
        table: Path = ()
        depth, quote = 0, None
        opened: tuple[Path, int] | None = None  # the key whose value is still open
        for number, line in enumerate(self.lines, start=1):
            if depth > 0 or quote:
                depth, quote = _scan_value(line, depth, quote)
            elif header := _HEADER_RE.match(line):
                table = split_key(header.group(1))
                self.headers.setdefault(table, number)
                self.spans.setdefault(table, Span(number, number))
                continue
            elif array := _ARRAY_HEADER_RE.match(line):
                table = split_key(array.group(1))  # keys below: answered by the array's line
                self.headers.setdefault(table, number)
                self.spans.setdefault(table, Span(number, number))
                table = (*table, "\0")  # no key inside an array of tables is recorded as such
                continue
            elif key_line := KEY_LINE_RE.match(line):
                opened = ((*table, *split_key(key_line.group(1))), number)
                depth, quote = _scan_value(key_line.group(2), 0, None)
            if opened and depth <= 0 and not quote:
                self.spans.setdefault(opened[0], Span(opened[1], number))
                opened, depth = None, 0

    def span(self, path: Path) -> Span | None:
        """The lines of ``path`` itself, or of its nearest recorded ancestor; None if neither."""
        for end in range(len(path), 0, -1):
            found = self.spans.get(path[:end])
            if found:
                return found
        return None

    def line_of(self, path: Path, item: str | None = None) -> int | None:
        """The line of ``path`` (or of its nearest recorded ancestor). With ``item``, the line
        of the quoted string ``item`` inside that value (an array's element), if it is there."""
        found = self.span(path)
        if found is None:
            return None
        if item is not None:
            for quoted in (f'"{item}"', f"'{item}'"):
                for number in range(found.first, found.last + 1):
                    if quoted in self.lines[number - 1]:
                        return number
        return found.first
