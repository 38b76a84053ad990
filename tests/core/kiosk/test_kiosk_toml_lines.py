"""Finding a TOML key's line in a document tomllib accepted: tables, dotted and quoted keys,
values over several lines (whose text is never taken for a key), arrays of tables."""

from __future__ import annotations

import tomllib

from x2desk.core.kiosk.toml_lines import TomlLines, split_key

DOC = '''\
# comment = 1
title = "a = b"
flows = [
    "one",   # x = 1
    "two",
]
note = """
fake = 2
[not.a.table]
"""
raw = \'\'\'
also = 3\'\'\'
"quoted.key" = 1
site."dotted key".name = "x"

[ profile ]   # spaced
url = "https://example.com/#frag"
inline = { a = 1, b = [
  2, 3] }
after = true

[branding.en]
title = 'it is'

[[servers]]
name = "s1"
'''


def test_split_key() -> None:
    assert split_key('a."b.c".d') == ("a", "b.c", "d")
    assert split_key("a . 'b' . c-d") == ("a", "b", "c-d")


def test_lines_of_keys_and_tables() -> None:
    tomllib.loads(DOC)  # the scanner only ever sees documents tomllib accepted
    lines = TomlLines(DOC)
    assert lines.line_of(("title",)) == 2
    assert lines.line_of(("flows",)) == 3
    assert lines.span(("flows",)) is not None and lines.span(("flows",)).last == 6  # type: ignore[union-attr]
    assert lines.line_of(("flows",), "two") == 5
    assert lines.line_of(("flows",), "absent") == 3
    assert lines.line_of(("note",)) == 7
    assert lines.line_of(("raw",)) == 11
    assert lines.line_of(("quoted.key",)) == 13
    assert lines.line_of(("site", "dotted key", "name")) == 14
    assert lines.line_of(("profile",)) == 16
    assert lines.line_of(("profile", "url")) == 17
    assert lines.line_of(("profile", "inline")) == 18
    assert lines.line_of(("profile", "inline", "b")) == 18  # inside an inline table: its key
    assert lines.line_of(("profile", "after")) == 20
    assert lines.line_of(("profile", "missing")) == 16  # the table's header
    assert lines.line_of(("branding", "en", "title")) == 23
    assert lines.line_of(("branding",)) is None  # never written as such
    assert lines.line_of(("servers", "name")) == 25  # the array of tables' header


def test_text_inside_multiline_values_is_not_a_key() -> None:
    lines = TomlLines(DOC)
    for fake in (("fake",), ("also",), ("x",), ("not", "a", "table"), ("comment",)):
        assert lines.line_of(fake) is None
