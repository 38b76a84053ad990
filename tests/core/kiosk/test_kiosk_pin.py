"""The admin PIN: salted scrypt hashes, constant-time checks, malformed hashes, the keypad's
pauses after wrong PINs (fake clock), and writing the hash into a config without touching the
rest of the file."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError, KioskConfigError
from x2desk.core.kiosk import pin as pin_module
from x2desk.core.kiosk.pin import PinAttempts, check_pin, hash_pin, is_pin_hash, verify_pin
from x2desk.core.kiosk.pin_file import edited_source, write_pin_hash
from x2desk.core.secret import Secret

PIN = "271828"


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin(Secret(PIN))


def test_hash_is_salted_scrypt_and_holds_no_pin(stored: str) -> None:
    again = hash_pin(Secret(PIN))
    assert stored.startswith("scrypt$16384$8$1$") and is_pin_hash(stored)
    assert stored != again  # a new salt each time
    assert PIN not in stored
    assert verify_pin(Secret(PIN), stored) and verify_pin(PIN, again)


def test_wrong_pins_and_no_hash_do_not_verify(stored: str) -> None:
    assert not verify_pin("271829", stored)
    assert not verify_pin("", stored)
    assert not verify_pin(PIN, None)
    assert not verify_pin(PIN, "")


@pytest.mark.parametrize(
    "bad",
    [
        "1234",
        "scrypt$16384$8$1$c2FsdA==",  # no digest
        "scrypt$16385$8$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # n not a power of two
        "scrypt$2097152$8$1$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # n too big: seconds, GiB
        "scrypt$16384$8$1$c2Fs$ZGlnZXN0ZGlnZXN0ZGlnZXN0",  # salt too short
        "scrypt$16384$8$1$!!!!$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "pbkdf2$1$2$3$c2FsdHNhbHQ=$ZGlnZXN0ZGlnZXN0ZGlnZXN0",
    ],
)
def test_malformed_hashes_are_refused_not_crashed_on(bad: str) -> None:
    assert not is_pin_hash(bad)
    assert not verify_pin(PIN, bad)


def test_the_comparison_is_constant_time(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = pin_module.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(pin_module.hmac, "compare_digest", spy)
    assert not verify_pin("999999", stored)
    assert len(seen) == 1 and len(seen[0][0]) == len(seen[0][1]) == 32


@pytest.mark.parametrize("bad", ["", "   ", "12345", "1" * 17, "12345a", "12 3456", "١٢٣٤٥٦"])
def test_pin_form(bad: str) -> None:
    with pytest.raises(InputError, match=r"PIN") as caught:
        check_pin(Secret(bad))
    assert bad.strip() not in caught.value.message or not bad.strip()
    assert check_pin(Secret(" 123456 ")).reveal() == "123456"


def test_attempts_pause_after_wrong_runs_and_reset_on_success(stored: str) -> None:
    clock = FakeClock()
    gate = PinAttempts(stored, free=3, pause_s=30, max_pause_s=100, clock=clock)
    for _ in range(2):
        assert not gate.try_pin("000000")
    assert gate.wait_s() == 0
    assert not gate.try_pin("000000")
    assert gate.wait_s() == 30
    assert not gate.try_pin(PIN)  # the right PIN is not even checked during the pause
    clock.advance(30)
    for _ in range(3):
        assert not gate.try_pin("000000")
    assert gate.wait_s() == 60  # doubled
    clock.advance(60)
    for _ in range(3):
        gate.try_pin("000000")
    assert gate.wait_s() == 100  # capped
    clock.advance(100)
    assert gate.try_pin(PIN)
    assert gate.wait_s() == 0
    for _ in range(2):
        gate.try_pin("000000")
    assert gate.wait_s() == 0  # the count started again


# ---- writing the hash into the file -------------------------------------------------------

NEW = "scrypt$16384$8$1$bmV3c2FsdG5ld3NhbHQ=$bmV3ZGlnZXN0bmV3ZGlnZXN0bmV3ZGln"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # replaced in place, the comment after it kept
            '# top\nflows = ["whatsapp"]\n\n[admin]\n'
            "pin_hash = 'old'   # by set-pin\nexit_corner = \"none\"\n",
            '# top\nflows = ["whatsapp"]\n\n[admin]\n'
            f'pin_hash = "{NEW}"   # by set-pin\nexit_corner = "none"\n',
        ),
        (  # added under the [admin] header
            'flows = ["whatsapp"]\n[admin]  # leaving\nexit_corner = "top-left"\n[camera]\n',
            f'flows = ["whatsapp"]\n[admin]  # leaving\npin_hash = "{NEW}"\n'
            'exit_corner = "top-left"\n[camera]\n',
        ),
        (  # an [admin] table appended
            'flows = ["whatsapp"]\n# the end',
            f'flows = ["whatsapp"]\n# the end\n\n[admin]\npin_hash = "{NEW}"\n',
        ),
        (  # a dotted key at the top level
            'flows = ["whatsapp"]\nadmin.pin_hash = ""\n',
            f'flows = ["whatsapp"]\nadmin.pin_hash = "{NEW}"\n',
        ),
        (  # Windows line ends stay Windows line ends
            'flows = ["whatsapp"]\r\n[admin]\r\npin_hash = ""\r\n',
            f'flows = ["whatsapp"]\r\n[admin]\r\npin_hash = "{NEW}"\r\n',
        ),
    ],
    ids=["replace", "insert", "append", "dotted", "crlf"],
)
def test_the_line_edit(before: str, after: str) -> None:
    assert edited_source(before, NEW) == after


def test_write_keeps_the_rest_and_makes_the_file_private(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    text = (
        '# my kiosk\nflows = ["whatsapp"]   # only this\n\n[admin]\n# the PIN below\n'
        'exit_corner = "top-right"\n'
    )
    path.write_text(text)
    path.chmod(0o644)
    link = tmp_path / "link.toml"
    link.symlink_to(path)
    assert write_pin_hash(link, NEW) == path
    assert link.is_symlink()  # the link was followed, not replaced
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == text.replace("[admin]\n", f'[admin]\npin_hash = "{NEW}"\n')
    assert tomllib.loads(path.read_text())["admin"]["pin_hash"] == NEW
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_inline_admin_table_is_refused_and_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    text = 'flows = ["whatsapp"]\nadmin = { exit_corner = "top-left" }\n'
    path.write_text(text)
    with pytest.raises(KioskConfigError, match="cannot change this line safely") as caught:
        write_pin_hash(path, NEW)
    assert (caught.value.line, caught.value.config_key) == (2, "admin.pin_hash")
    assert path.read_text() == text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_editing_a_users_file_keeps_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('flows = ["whatsapp"]\n')
    os.chown(path, 4242, 4343)
    write_pin_hash(path, NEW)
    assert (path.stat().st_uid, path.stat().st_gid) == (4242, 4343)
