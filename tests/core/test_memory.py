"""Giving freed heap pages back (the kiosk does it after each person)."""

from __future__ import annotations

import sys

import pytest

from x2desk.core import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_glibc_is_asked_to_trim_its_heap() -> None:
    assert memory._malloc_trim() is not None  # glibc's malloc_trim was found
    # every other block freed: holes free() cannot give back by itself, only malloc_trim can
    chunks = [bytearray(32 * 1024) for _ in range(2000)]
    del chunks[::2]
    assert isinstance(memory.trim_heap(), bool)
    del chunks


def test_without_malloc_trim_it_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert memory.trim_heap() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_takes_the_arena_limit() -> None:
    assert memory.few_arenas() is True


def test_without_glibc_nothing_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_glibc", lambda: None)
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert memory.few_arenas() is False and memory.trim_heap() is False
