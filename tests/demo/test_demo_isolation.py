"""The demo leaves nothing in the user's real data folder or keyring."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest

from x2desk.core.secret import Secret
from x2desk.core.store.credentials import KeyringStore
from x2desk.demo.isolation import DemoKeyring, isolate_demo_data


def test_demo_uses_a_temporary_home_and_an_in_memory_keyring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("X2DESK_HOME")
    home = isolate_demo_data()
    assert home is not None and os.environ["X2DESK_HOME"] == home
    assert Path(home).is_dir() and "x2desk-demo-" in home
    assert isinstance(keyring.get_keyring(), DemoKeyring)
    store = KeyringStore()
    store.save("x2chat_bot:demo", Secret("12345:" + "a" * 35))
    assert store.load("x2chat_bot:demo") == Secret("12345:" + "a" * 35)
    assert "demo" in store.description


def test_an_explicit_home_is_respected(x2desk_home: Path) -> None:
    before = keyring.get_keyring()
    assert isolate_demo_data() is None
    assert os.environ["X2DESK_HOME"] == str(x2desk_home)
    assert keyring.get_keyring() is before
