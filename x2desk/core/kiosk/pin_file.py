"""Write a new admin PIN hash into the kiosk's config file and leave every other byte as it was.

A line edit, not a TOML writer: it replaces the value of ``pin_hash`` in ``[admin]`` (keeping a
comment after it), or adds ``pin_hash`` under the ``[admin]`` header, or appends an ``[admin]``
table. Then ``tomllib`` reads the result back and it must equal the old document with only
``admin.pin_hash`` changed; otherwise nothing is written. tomlkit would round-trip comments too,
but it would be one more library in the bundle for one line, and the read-back check is what
makes either way safe. The file is replaced atomically with mode 0600 (the hash of a short PIN is
worth guarding) and keeps its owner when root edits another user's file.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from pathlib import Path
from typing import Any

from x2desk.core.errors import KioskConfigError
from x2desk.core.kiosk.reader import read_document
from x2desk.core.kiosk.toml_lines import KEY_LINE_RE, TomlLines, string_end
from x2desk.core.store.atomic import atomic_write
from x2desk.i18n import _

KEY = ("admin", "pin_hash")


def _replace_value(line: str, pin_hash: str) -> str:
    """``line`` (``pin_hash = "old"  # note``) with the new value and the same key and note."""
    match = KEY_LINE_RE.match(line)
    assert match is not None
    prefix = line[: match.start(2)]
    rest = match.group(2).lstrip()
    tail = rest[string_end(rest, 0) + 1 :] if rest and rest[0] in "\"'" else ""
    return f'{prefix} "{pin_hash}"{tail}'


def edited_source(source: str, pin_hash: str) -> str:
    """``source`` with ``admin.pin_hash`` set to ``pin_hash`` (which is plain base64 text)."""
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source.splitlines()
    where = TomlLines(source)
    span = where.spans.get(KEY)
    if span is not None and span.first == span.last:
        lines[span.first - 1] = _replace_value(lines[span.first - 1], pin_hash)
    elif span is None and ("admin",) in where.headers:
        lines.insert(where.headers[("admin",)], f'pin_hash = "{pin_hash}"')
    elif span is None and "admin" not in tomllib.loads(source):
        lines += ["", "[admin]", f'pin_hash = "{pin_hash}"']
    return newline.join(lines) + newline


def _same_but_pin(before: dict[str, Any], after: dict[str, Any], pin_hash: str) -> bool:
    expected = {**before, "admin": {**before.get("admin", {}), "pin_hash": pin_hash}}
    return after == expected


def write_pin_hash(path: Path, pin_hash: str) -> Path:
    """Set ``admin.pin_hash`` in the config at ``path`` (a symlink is followed); returns the
    file written. KioskConfigError when the file cannot be read or safely edited."""
    path = path.resolve()
    source, before = read_document(path)
    after_source = edited_source(source, pin_hash)
    try:
        after = tomllib.loads(after_source)
    except tomllib.TOMLDecodeError:
        after = {}
    if not _same_but_pin(before, after, pin_hash):
        raise KioskConfigError(
            str(path),
            TomlLines(source).line_of(KEY),
            ".".join(KEY),
            _(
                "x2desk cannot change this line safely. Write the admin settings as a table of "
                'their own ([admin] on a line, pin_hash = "" below it), then run set-pin again.'
            ),
        )
    owner = path.stat()
    atomic_write(path, after_source.encode("utf-8"))
    if hasattr(os, "geteuid") and os.geteuid() == 0 and owner.st_uid != 0:
        with contextlib.suppress(OSError):
            os.chown(path, owner.st_uid, owner.st_gid)
    return path
