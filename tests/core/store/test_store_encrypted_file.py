"""The passphrase-protected credentials file: round trip, wrong passphrase, atomic writes."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from x2desk.core.errors import InputError, StoreError, WrongPassphrase
from x2desk.core.secret import Secret
from x2desk.core.store import EncryptedFileStore
from x2desk.core.store import atomic as atomic_module
from x2desk.core.store.atomic import atomic_write
from x2desk.core.store.lock import LOCK_NAME

PASS = Secret("tr0ub4dor&3-long")
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"
FAST_N = 2**14  # the smallest cost the store accepts, to keep tests quick


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "creds" / "credentials.x2k"


def test_round_trip_and_reopen(path: Path) -> None:
    store = EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    assert store.load("x2chat_bot:1") is None
    store.save("x2chat_bot:1", Secret(TOKEN))
    store.save("greenapi:1101000001", Secret("d75b3a66374942c5b3c019c698abc2067e151558acbd412345"))
    assert store.load("x2chat_bot:1") == Secret(TOKEN)
    again = EncryptedFileStore(path, Secret(PASS.reveal()), create=False)
    assert again.load("x2chat_bot:1") == Secret(TOKEN)
    assert again.refs() == ["greenapi:1101000001", "x2chat_bot:1"]
    again.delete("x2chat_bot:1")
    again.delete("x2chat_bot:1")  # already gone: fine
    assert store.load("x2chat_bot:1") is None  # the first handle sees the other's write


def test_wrong_passphrase(path: Path) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N).save("x2chat_bot:1", Secret(TOKEN))
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase) as info:
        EncryptedFileStore(path, Secret("not the passphrase"))
    assert "passphrase" in info.value.message
    assert path.read_bytes() == before  # a wrong passphrase changes nothing


def test_file_never_holds_the_secret_or_passphrase_in_clear(path: Path) -> None:
    store = EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    store.save("x2chat_bot:1", Secret(TOKEN))
    raw = path.read_bytes()
    for needle in (TOKEN, TOKEN.split(":")[1], PASS.reveal(), "x2chat_bot:1"):
        assert needle.encode() not in raw
    document = json.loads(raw)
    assert document["format"] == "x2desk-credentials"
    assert document["kdf"]["name"] == "scrypt"
    assert document["cipher"] == "AES-256-GCM"
    assert not any(p.name.endswith(".tmp") for p in path.parent.iterdir())


def test_file_mode_is_600(path: Path) -> None:
    store = EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    store.save("x2chat_bot:1", Secret(TOKEN))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_atomic_write_sets_the_mode_before_writing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd: int, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(atomic_module.os, "fdopen", spying_fdopen)
    atomic_write(tmp_path / "f", b"data")
    assert seen == [0o600]
    assert (tmp_path / "f").read_bytes() == b"data"


def test_a_failed_write_leaves_the_old_file_whole(path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    store.save("x2chat_bot:1", Secret(TOKEN))
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "replace", crash)
    with pytest.raises(StoreError, match="No space left"):
        store.save("x2chat_bot:2", Secret(TOKEN + "2"))
    monkeypatch.undo()
    assert path.read_bytes() == before
    left = sorted(p.name for p in path.parent.iterdir())
    assert left == [LOCK_NAME, path.name]  # no temp file left (the lock file stays)
    assert EncryptedFileStore(path, PASS).load("x2chat_bot:1") == Secret(TOKEN)


def test_new_file_needs_a_real_passphrase(path: Path) -> None:
    with pytest.raises(InputError, match="at least 8"):
        EncryptedFileStore(path, Secret("short"))
    assert not path.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[]", b'{"format": "something else"}', b'{"format": "x2desk-credentials"}'],
)
def test_damaged_file_says_so(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        EncryptedFileStore(path, PASS)
    assert str(path) in info.value.message
    assert not isinstance(info.value, WrongPassphrase)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("r", 9),
        ("p", 2),
        ("n", 2**15),
        ("salt", "AAAAAAAAAAAAAAAAAAAAAA=="),
    ],
)
def test_a_changed_header_is_damage_not_a_wrong_passphrase(
    path: Path, field: str, value: object
) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N).save("x2chat_bot:1", Secret(TOKEN))
    document = json.loads(path.read_text())
    document["kdf"][field] = value  # the header is authenticated: never passes silently
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match=r"damaged.*header was changed") as info:
        EncryptedFileStore(path, PASS)
    assert not isinstance(info.value, WrongPassphrase)


@pytest.mark.parametrize("field", ["data", "nonce"])
def test_changed_data_with_the_right_passphrase_is_damage(path: Path, field: str) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N).save("x2chat_bot:1", Secret(TOKEN))
    document = json.loads(path.read_text())
    raw = bytearray(base64.b64decode(document[field]))
    raw[0] ^= 1
    document[field] = base64.b64encode(bytes(raw)).decode()
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match="encrypted data was changed") as info:
        EncryptedFileStore(path, PASS)
    assert not isinstance(info.value, WrongPassphrase)
    with pytest.raises(WrongPassphrase):  # a wrong passphrase is still told as one
        EncryptedFileStore(path, Secret("not the passphrase"))


@pytest.mark.parametrize("field", ["key_check", "header_sha256"])
def test_a_check_field_removed_or_changed_is_damage(path: Path, field: str) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    document = json.loads(path.read_text())
    del document[field]
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match="check fields is missing"):
        EncryptedFileStore(path, PASS)
    EncryptedFileStore(path.with_name("b.x2k"), PASS, scrypt_n=FAST_N)
    document = json.loads(path.with_name("b.x2k").read_text())
    document["key_check"] = base64.b64encode(b"x" * 16).decode()
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match="header was changed"):
        EncryptedFileStore(path, PASS)


def _old_style_file(path: Path, n: int) -> bytes:
    """A file as x2desk wrote it before the checks (no key_check, no header_sha256) at cost n."""
    store = EncryptedFileStore(path, PASS, scrypt_n=n)
    store.save("x2chat_bot:1", Secret(TOKEN))
    document = json.loads(path.read_text())
    del document["key_check"], document["header_sha256"]
    path.write_text(json.dumps(document))
    return path.read_bytes()


def test_an_old_file_opens_and_is_rewrapped_at_the_new_cost(path: Path) -> None:
    before = _old_style_file(path, 2**14)
    with pytest.raises(WrongPassphrase):  # an old file still tells a wrong passphrase
        EncryptedFileStore(path, Secret("not the passphrase"), scrypt_n=2**15)
    assert path.read_bytes() == before  # and a failed unlock changes nothing
    store = EncryptedFileStore(path, PASS, create=False, scrypt_n=2**15)
    document = json.loads(path.read_text())
    assert document["kdf"]["n"] == 2**15 == store.scrypt_n
    assert document["kdf"]["salt"] != json.loads(before)["kdf"]["salt"]  # a new salt too
    assert document["key_check"] and document["header_sha256"]
    assert store.load("x2chat_bot:1") == Secret(TOKEN)
    store.save("greenapi:1", Secret("d75b3a66374942c5b3c019c698abc2067e151558acbd412345"))
    again = EncryptedFileStore(path, PASS, scrypt_n=2**15)
    assert again.refs() == ["greenapi:1", "x2chat_bot:1"]
    unchanged = path.read_bytes()
    EncryptedFileStore(path, PASS, scrypt_n=2**14)  # never lowered, not rewritten
    assert path.read_bytes() == unchanged


@pytest.mark.real_scrypt
def test_production_cost_is_at_least_2_to_the_17_and_old_files_are_raised_to_it(
    path: Path,
) -> None:
    from x2desk.core.store import encrypted_file

    assert encrypted_file.DEFAULT_SCRYPT_N >= 2**17
    _old_style_file(path, 2**15)  # what x2desk 0.1 wrote
    store = EncryptedFileStore(path, PASS)
    assert json.loads(path.read_text())["kdf"]["n"] == encrypted_file.DEFAULT_SCRYPT_N
    assert store.load("x2chat_bot:1") == Secret(TOKEN)


def test_absurd_kdf_cost_is_refused_before_deriving(path: Path) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    document = json.loads(path.read_text())
    document["kdf"]["n"] = 2**30
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match="damaged"):
        EncryptedFileStore(path, PASS)


def test_newer_format_version(path: Path) -> None:
    EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    document = json.loads(path.read_text())
    document["version"] = 99
    path.write_text(json.dumps(document))
    with pytest.raises(StoreError, match="another version"):
        EncryptedFileStore(path, PASS)


def test_description_names_the_file(path: Path) -> None:
    store = EncryptedFileStore(path, PASS, scrypt_n=FAST_N)
    assert store.description.startswith("encrypted file ")
    assert path.name in store.description
    assert PASS.reveal() not in repr(vars(store))
