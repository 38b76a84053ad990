"""`x2desk kiosk set-pin` and `x2desk kiosk check`: the PIN asked twice without echo or read
from stdin or a descriptor, written as a hash with the rest of the file kept; every refusal
leaves the file as it was; the PIN is never printed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from x2desk.cli import main
from x2desk.core.errors import InputError, KioskConfigError
from x2desk.core.kiosk.config import load_kiosk_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "packaging" / "kiosk" / "example.toml"
PIN = "90210456"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def pin_fd(text: str) -> int:
    read, write = os.pipe()
    os.write(write, text.encode())
    os.close(write)
    return read


def answers(monkeypatch: pytest.MonkeyPatch, *typed: str, tty: bool = True) -> list[str]:
    prompts: list[str] = []
    queue = list(typed)

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        if not queue:
            raise EOFError
        return queue.pop(0)

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: tty, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty, raising=False)
    return prompts


def test_set_pin_from_a_descriptor_keeps_the_rest_of_the_file(config: Path, capsys: Any) -> None:
    before = config.read_text(encoding="utf-8")
    fd = pin_fd(f"{PIN}\nmore lines are not read\n")
    try:
        assert main(["kiosk", "set-pin", "--config", str(config), "--pin-fd", str(fd)]) == 0
    finally:
        os.close(fd)
    after = config.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 1 and added[0].startswith('pin_hash = "scrypt$')
    assert after.replace(added[0] + "\n", "") == before
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert load_kiosk_config(config).admin.verify_pin(PIN)
    out, err = capsys.readouterr()
    assert "Saved the new admin PIN" in out and PIN not in out + err


def test_set_pin_twice_replaces_the_hash(config: Path) -> None:
    for pin in (PIN, "11223344"):
        fd = pin_fd(pin)
        try:
            assert main(["kiosk", "set-pin", "--config", str(config), "--pin-fd", str(fd)]) == 0
        finally:
            os.close(fd)
    text = config.read_text(encoding="utf-8")
    assert [line.startswith("pin_hash = ") for line in text.splitlines()].count(True) == 1
    admin = load_kiosk_config(config).admin
    assert admin.verify_pin("11223344") and not admin.verify_pin(PIN)


def test_set_pin_asks_twice_without_echo(
    config: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    prompts = answers(monkeypatch, PIN, PIN)
    assert main(["kiosk", "set-pin", "--config", str(config)]) == 0
    assert len(prompts) == 2 and "PIN" in prompts[0]
    assert load_kiosk_config(config).admin.verify_pin(PIN)
    assert PIN not in "".join(capsys.readouterr())


@pytest.mark.parametrize(
    ("typed", "tty", "message"),
    [
        ((PIN, "90210457"), True, "The two PINs differ"),
        (("1234", "1234"), True, "The PIN must be 6 to 16 digits"),
        ((), True, "No PIN was typed"),
        ((PIN, PIN), False, "No terminal to ask for the PIN"),
    ],
    ids=["differ", "short", "eof", "no-terminal"],
)
def test_refusals_leave_the_file_as_it_was(
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    typed: tuple[str, ...],
    tty: bool,
    message: str,
) -> None:
    before = config.read_bytes()
    answers(monkeypatch, *typed, tty=tty)
    assert main(["kiosk", "set-pin", "--config", str(config)]) == InputError.exit_code
    err = capsys.readouterr().err
    assert err.startswith(f"x2desk: {message}") and err.count("\n") == 1
    assert config.read_bytes() == before


def test_a_broken_config_is_reported_before_any_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('flows = ["whatsapp"]\n[timeouts]\nidle_seconds = -1\n')
    prompts = answers(monkeypatch, PIN, PIN)
    assert main(["kiosk", "set-pin", "--config", str(path)]) == KioskConfigError.exit_code
    assert prompts == []
    err = capsys.readouterr().err
    assert err.startswith(f"x2desk: kiosk config {path}, line 3, key timeouts.idle_seconds: ")


def test_set_pin_from_stdin_in_a_real_process(config: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "x2desk",
            "kiosk",
            "set-pin",
            "--pin-stdin",
            "--config",
            str(config),
        ],
        input=f"{PIN}\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "X2DESK_HOME": str(tmp_path / "home")},
    )
    assert done.returncode == 0, done.stderr
    assert PIN not in done.stdout + done.stderr
    assert load_kiosk_config(config).admin.verify_pin(PIN)


def test_check_says_what_the_kiosk_offers(config: Path, capsys: Any) -> None:
    assert main(["kiosk", "check", "--config", str(config)]) == KioskConfigError.exit_code
    assert "no admin PIN is set" in capsys.readouterr().err
    fd = pin_fd(PIN)
    try:
        main(["kiosk", "set-pin", "--config", str(config), "--pin-fd", str(fd)])
    finally:
        os.close(fd)
    capsys.readouterr()
    assert main(["--config", str(config), "kiosk", "check"]) == 0  # the option before works too
    out = capsys.readouterr().out
    assert f"{config} is a valid kiosk config." in out
    assert "Flows: X2Chat bot; Telegram account, by QR; WhatsApp account" in out
    assert "Ctrl+Alt+Shift+X or a long press on the top-left corner" in out


def test_kiosk_needs_an_action(capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["kiosk"])
    assert caught.value.code == 2
    assert "set-pin" in capsys.readouterr().err
