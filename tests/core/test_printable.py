"""Untrusted text escaped before it is echoed (issue 17 item 9): property tests."""

from __future__ import annotations

import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from x2desk.core.printable import ESCAPED_CATEGORIES, json_safe, needs_escape, printable

ESCAPE = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")
DANGEROUS = ["\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\u200f", "\u2028", "\ufeff", "\x00"]


def unescape(text: str) -> str:
    return ESCAPE.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), text)


def test_terminal_sequences_and_overrides_are_shown_not_obeyed() -> None:
    qr = "\x1b]0;pwned\x07\x1b[2J\x1b[Hx2chat.com\u202etxt.exe"
    shown = printable(qr)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert shown == "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[Hx2chat.com\\u202etxt.exe"
    assert printable("a\nb") == "a\\x0ab"
    assert printable("a\nb\x1b", keep_newlines=True) == "a\nb\\x1b"


def test_ordinary_text_is_left_alone() -> None:
    for text in ("https://ix.x2chat.com/api/v1", "Привет, мир", "@shop_bot 42 ✓", "a b\u00a0c"):
        assert printable(text) == text


@given(st.text())
def test_nothing_dangerous_survives(text: str) -> None:
    shown = printable(text)
    assert not any(needs_escape(c) for c in shown)
    assert len(shown) >= len(text)


@given(st.text().filter(lambda t: "\\" not in t))
def test_the_escapes_say_exactly_what_was_there(text: str) -> None:
    assert unescape(printable(text)) == text


@given(st.text(alphabet=st.characters(blacklist_categories=tuple(ESCAPED_CATEGORIES))))
def test_safe_text_is_unchanged(text: str) -> None:
    assert printable(text) == text


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_json_stays_the_same_value_and_harmless(value: object) -> None:
    for indent in (None, 2):
        encoded = json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
        assert json.loads(encoded) == value
        assert all(c in "\n " or unicodedata.category(c) not in ESCAPED_CATEGORIES for c in encoded)


def test_json_escapes_c1_and_bidi_which_json_dumps_leaves_raw() -> None:
    raw = json.dumps({"text": "\x9b2J\u202e\U000e0001"}, ensure_ascii=False)
    assert "\x9b" in raw and "\u202e" in raw  # what json.dumps alone would print
    safe = json_safe(raw)
    assert safe == '{"text": "\\u009b2J\\u202e\\udb40\\udc01"}'
    for char in DANGEROUS:
        assert char not in safe
