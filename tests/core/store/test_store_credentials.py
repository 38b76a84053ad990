"""The OS keyring store: in-memory backend (conftest), and every backend x2desk must refuse."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from helpers import MemoryKeyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringLocked

from x2desk.core.errors import KeyringUnavailable, PassphraseRequired, StoreError
from x2desk.core.secret import Secret
from x2desk.core.store import (
    SERVICE,
    CredentialStore,
    EncryptedFileStore,
    KeyringStore,
    Settings,
    keyring_status,
    load_settings,
    open_credential_store,
    secret_ref,
    use_encrypted_file,
    use_keyring,
)

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-text file backend."""

    priority = 0.5  # type: ignore[assignment]

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


class BrokenKeyring(KeyringBackend):
    """A backend that fails like a locked keyring or a dead D-Bus, with the secret in its text."""

    priority = 5  # type: ignore[assignment]

    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc

    def get_password(self, service: str, username: str) -> str | None:
        raise self.exc

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.exc

    def delete_password(self, service: str, username: str) -> None:
        raise self.exc


@pytest.fixture
def use_backend() -> Iterator[object]:
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def test_round_trip_in_the_memory_keyring() -> None:
    store = open_credential_store()
    assert isinstance(store, KeyringStore)
    assert isinstance(store, CredentialStore)
    ref = secret_ref("x2chat_bot", 42)
    assert ref == "x2chat_bot:42"
    assert store.load(ref) is None
    store.save(ref, Secret(TOKEN))
    loaded = store.load(ref)
    assert isinstance(loaded, Secret)
    assert loaded.reveal() == TOKEN
    assert keyring.get_password(SERVICE, ref) == TOKEN  # service name "x2desk"
    store.save(ref, Secret(TOKEN + "x"))  # a rotated token replaces the old one
    assert store.load(ref) == Secret(TOKEN + "x")
    store.delete(ref)
    assert store.load(ref) is None
    store.delete(ref)  # deleting what is gone is fine


def test_save_takes_only_a_secret() -> None:
    with pytest.raises(TypeError):
        KeyringStore().save("x2chat_bot:1", TOKEN)  # type: ignore[arg-type]


def test_fail_backend_is_refused(use_backend) -> None:  # type: ignore[no-untyped-def]
    use_backend(fail.Keyring())
    with pytest.raises(KeyringUnavailable) as info:
        open_credential_store()
    assert "encrypted file" in info.value.message
    ok, description = keyring_status()
    assert not ok
    assert "no system keyring" in description


def test_null_backend_is_refused(use_backend) -> None:  # type: ignore[no-untyped-def]
    use_backend(null.Keyring())
    with pytest.raises(KeyringUnavailable):
        KeyringStore()


def test_plaintext_backend_is_refused(use_backend) -> None:  # type: ignore[no-untyped-def]
    plain = use_backend(PlaintextKeyring())
    with pytest.raises(KeyringUnavailable) as info:
        open_credential_store()
    assert "plain text" in info.value.message
    assert plain.items == {}


def test_chainer_without_backends_is_refused(use_backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ChainerBackend, "backends", [])
    use_backend(ChainerBackend())
    with pytest.raises(KeyringUnavailable):
        open_credential_store()


def test_chainer_never_writes_to_its_plaintext_member(use_backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plain = PlaintextKeyring()
    real = keyring.get_keyring()  # the in-memory one from conftest
    monkeypatch.setattr(ChainerBackend, "backends", [plain, real])
    use_backend(ChainerBackend())
    store = open_credential_store()
    store.save("x2chat_bot:7", Secret(TOKEN))
    assert plain.items == {}
    assert real.get_password(SERVICE, "x2chat_bot:7") == TOKEN


def test_chainer_with_only_plaintext_is_refused(use_backend, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ChainerBackend, "backends", [PlaintextKeyring()])
    use_backend(ChainerBackend())
    with pytest.raises(KeyringUnavailable, match="plain text"):
        open_credential_store()


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (KeyringLocked(f"locked while storing {TOKEN}"), "locked"),
        (RuntimeError(f"dbus said no to {TOKEN}"), "RuntimeError"),
    ],
)
def test_keyring_errors_become_plain_store_errors(use_backend, exc, words) -> None:  # type: ignore[no-untyped-def]
    use_backend(BrokenKeyring(exc))
    store = KeyringStore()
    for action in (
        lambda: store.save("x2chat_bot:1", Secret(TOKEN)),
        lambda: store.load("x2chat_bot:1"),
        lambda: store.delete("x2chat_bot:1"),
    ):
        with pytest.raises(StoreError) as info:
            action()
        assert words in info.value.message
        assert TOKEN not in str(info.value)
        assert info.value.__cause__ is None and info.value.__suppress_context__
    ok, description = keyring_status()
    assert not ok and TOKEN not in description


def test_keyring_status_describes_a_working_keyring() -> None:
    ok, description = keyring_status()
    assert ok
    assert description  # the in-memory backend's name


def test_encrypted_file_needs_a_passphrase_once_chosen() -> None:
    store = use_encrypted_file(Secret("correct horse battery"))
    assert isinstance(store, EncryptedFileStore)
    settings = load_settings()
    assert settings.credential_store == "encrypted_file"
    with pytest.raises(PassphraseRequired):
        open_credential_store()
    reopened = open_credential_store(passphrase=Secret("correct horse battery"))
    assert isinstance(reopened, EncryptedFileStore)
    assert reopened.description.startswith("encrypted file ")
    back = use_keyring()
    assert isinstance(back, KeyringStore)
    assert load_settings().credential_store == "keyring"


def test_chosen_file_that_vanished_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(credential_store="encrypted_file", credentials_file=str(tmp_path / "x"))
    with pytest.raises(StoreError, match="missing"):
        open_credential_store(settings, passphrase=Secret("whatever-long"))


def test_second_redeem_replaces_the_token_and_keeps_history(fake_clock) -> None:  # type: ignore[no-untyped-def]
    from x2desk.core.store import RecordStore

    store = open_credential_store()
    with RecordStore.open(clock=fake_clock) as records:
        for n, token in enumerate((TOKEN, TOKEN[:-3] + "new")):
            ref = secret_ref("x2chat_bot", 77)
            store.save(ref, Secret(token))
            records.upsert("x2chat_bot", 77, secret_ref=ref, flow="redeem", outcome=f"ok{n}")
            fake_clock.advance(1)
        (record,) = records.list()
        assert store.load(record.secret_ref or "") == Secret(TOKEN[:-3] + "new")
        assert [e.outcome for e in records.history(record.id)] == ["ok0", "ok1"]
