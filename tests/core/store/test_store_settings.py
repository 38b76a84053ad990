"""The JSON settings file: defaults, round trip, validation, atomic private writes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from x2desk.core.errors import InsecureUrl, StoreError
from x2desk.core.secret import Secret
from x2desk.core.store import Settings, load_settings, save_settings
from x2desk.core.store.settings import settings_path


def test_defaults_when_there_is_no_file(x2desk_home: Path) -> None:
    settings = load_settings()
    assert settings.credential_store == "keyring"
    assert settings.confirm_rotation is True
    assert settings.api_bases == {}
    assert not settings_path().exists()


def test_round_trip_keeps_unknown_keys(x2desk_home: Path) -> None:
    settings = Settings(confirm_rotation=False)
    settings.set_api_base("x2chat", "http://127.0.0.1:8765/api/v1/")
    settings.extra["camera"] = 1  # a key from another version or another part of the app
    save_settings(settings)
    path = settings_path()
    assert path.parent == x2desk_home
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_settings()
    assert loaded.confirm_rotation is False
    assert loaded.api_bases == {"x2chat": "http://127.0.0.1:8765/api/v1"}
    assert loaded.extra == {"camera": 1}
    assert json.loads(path.read_text())["credential_store"] == "keyring"


def test_insecure_api_base_is_refused() -> None:
    with pytest.raises(InsecureUrl):
        Settings().set_api_base("x2chat", "http://ix.x2chat.com/api/v1")


def test_a_secret_is_never_written(x2desk_home: Path) -> None:
    settings = Settings()
    settings.extra["oops"] = {"token": Secret("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq")}
    with pytest.raises(TypeError):
        save_settings(settings)
    assert not settings_path().exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"credential_store": "plaintext"}', "credential_store"),
        ('{"confirm_rotation": "yes"}', "confirm_rotation"),
        ('{"api_bases": {"x2chat": "http://evil.example/api"}}', "https://"),
    ],
)
def test_damaged_settings_say_what_is_wrong(x2desk_home: Path, content: str, words: str) -> None:
    settings_path().write_text(content)
    with pytest.raises(StoreError) as info:
        load_settings()
    assert words in info.value.message
    assert str(settings_path()) in info.value.message


def test_unusable_data_folder_is_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from x2desk.core.store import RecordStore

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("X2DESK_HOME", str(blocker))
    with pytest.raises(StoreError, match="Cannot create"):
        load_settings()
    with pytest.raises(StoreError, match="Cannot create"):
        RecordStore.open()
