"""Typed reads from a parsed TOML document that fail with the file, the line and the key.

Every check of the kiosk config goes through :class:`ConfigReader`, so every error has the same
form (:class:`~x2desk.core.errors.KioskConfigError`) and points at the line to fix. Messages
describe what is wanted; they never quote a string the file holds (it might be a secret pasted in
the wrong place), only numbers and names x2desk itself defines.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any, NoReturn

from x2desk.core.errors import InsecureUrl, KioskConfigError
from x2desk.core.kiosk.toml_lines import Path as KeyPath
from x2desk.core.kiosk.toml_lines import TomlLines
from x2desk.core.net import require_secure
from x2desk.i18n import _

_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_END_RE = re.compile(r"\s*\(at end of document\)\s*$")


def read_document(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of ``path`` and what ``tomllib`` makes of it; one KioskConfigError if neither."""
    try:
        source = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise KioskConfigError(
            str(path),
            None,
            None,
            _(
                "the file does not exist. Start from the example (packaging/kiosk/example.toml, "
                "installed as /usr/share/x2desk/kiosk/example.toml): copy it there and edit it."
            ),
        ) from None
    except IsADirectoryError:
        raise KioskConfigError(str(path), None, None, _("that is a folder, not a file.")) from None
    except OSError as exc:
        problem = _("cannot be read ({reason}).").format(reason=exc.strerror or "unreadable")
        raise KioskConfigError(str(path), None, None, problem) from None
    except UnicodeDecodeError as exc:
        line = source_line_of_byte(path, exc.start)
        problem = _("the file is not UTF-8 text; save it as UTF-8.")
        raise KioskConfigError(str(path), line, None, problem) from None
    try:
        return source, tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise syntax_error(path, source, str(exc)) from None


def source_line_of_byte(path: Path, offset: int) -> int:
    return path.read_bytes()[:offset].count(b"\n") + 1


def syntax_error(path: Path, source: str, message: str) -> KioskConfigError:
    """tomllib's message ("Invalid value (at line 3, column 8)") as a KioskConfigError."""
    line: int | None = None
    if match := _POSITION_RE.search(message):
        line = int(match.group(1))
        message = message[: match.start()] + _(" at column {column}").format(column=match.group(2))
    elif _END_RE.search(message):
        line = max(1, len(source.splitlines()))
        message = _END_RE.sub(_(" at the end of the file"), message)
    problem = _("this is not valid TOML: {what}. See the example in the README's Kiosk section.")
    return KioskConfigError(
        str(path), line, None, problem.format(what=message[:1].lower() + message[1:])
    )


class ConfigReader:
    """Reads values out of one parsed document; :meth:`fail` raises with the key's line."""

    def __init__(self, path: Path, source: str) -> None:
        self.path = path
        self.lines = TomlLines(source)

    def fail(self, key: KeyPath, problem: str, item: str | None = None) -> NoReturn:
        line = self.lines.line_of(key, item) if key else None
        raise KioskConfigError(str(self.path), line, ".".join(key) or None, problem)

    def table(
        self, parent: dict[str, Any], key: KeyPath, allowed: Collection[str]
    ) -> dict[str, Any]:
        """The table at ``key`` (an empty one when absent); unknown keys in it are an error."""
        value = parent.get(key[-1], {}) if key else parent
        if not isinstance(value, dict):
            self.fail(
                key,
                _("must be a table: write it as [{name}] with its keys below.").format(
                    name=".".join(key)
                ),
            )
        for name in value:
            if name not in allowed:
                self.fail(
                    (*key, name),
                    _(
                        "x2desk does not know this key; check its spelling. Known here: {keys}."
                    ).format(keys=", ".join(sorted(allowed))),
                )
        return value

    def seconds(
        self, table: dict[str, Any], key: KeyPath, default: int, low: int, high: int
    ) -> int:
        """A whole number of seconds from ``low`` to ``high``."""
        value = table.get(key[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                key,
                _(
                    "must be a whole number of seconds from {low} to {high} (default {default})."
                ).format(low=low, high=high, default=default),
            )
        return value

    def integer(self, table: dict[str, Any], key: KeyPath, what: str) -> int | None:
        """A positive whole number, or None when absent. ``what`` names it in the message."""
        value = table.get(key[-1])
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, _("must be {what}: a whole number, without quotes.").format(what=what))
        return value

    def text(
        self, table: dict[str, Any], key: KeyPath, default: str | None = None, max_len: int = 400
    ) -> str | None:
        """A string of at most ``max_len`` characters (surrounding spaces dropped)."""
        value = table.get(key[-1], default)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, _('must be text in quotes, e.g. {key} = "...".').format(key=key[-1]))
        if len(value) > max_len:
            self.fail(key, _("is too long: at most {n} characters.").format(n=max_len))
        return value.strip()

    def choice(
        self, table: dict[str, Any], key: KeyPath, default: str, choices: Collection[str]
    ) -> str:
        value = table.get(key[-1], default)
        if not isinstance(value, str) or value.strip().lower() not in choices:
            self.fail(
                key,
                _("must be one of: {choices}.").format(
                    choices=", ".join(f'"{c}"' for c in choices)
                ),
            )
        return value.strip().lower()

    def url(self, table: dict[str, Any], key: KeyPath, default: str) -> str:
        """An https:// address (http:// only to this computer), without a trailing slash."""
        value = self.text(table, key, default, max_len=300) or ""
        try:
            return require_secure(value)
        except InsecureUrl:
            self.fail(
                key,
                _(
                    "must be an https:// address (http:// only for this computer: 127.0.0.1 or "
                    "localhost), e.g. {example}."
                ).format(example=default),
            )
