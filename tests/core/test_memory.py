"""Giving freed heap pages back (the kiosk does it after each person)."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

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
def test_glibc_takes_the_arena_limit_and_the_fixed_mapping_size() -> None:
    # in a process of its own: the settings would hold for every later test in this one
    code = "from x2desk.core import memory; raise SystemExit(0 if memory.steady_heap() else 3)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_both_settings_are_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []

    def mallopt(param: int, value: int) -> int:
        asked.append((param, value))
        return 1

    monkeypatch.setattr(memory, "_glibc", lambda: SimpleNamespace(mallopt=mallopt))
    assert memory.steady_heap() is True
    assert asked == [
        (memory.M_ARENA_MAX, memory.ARENAS),
        (memory.M_MMAP_THRESHOLD, memory.OWN_MAPPING_FROM),
    ]


def test_without_glibc_nothing_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "_glibc", lambda: None)
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert memory.steady_heap() is False and memory.trim_heap() is False
