"""The one reader of secret files for the whole CLI: one rule, one set of messages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import secret_file

from x2desk.commands import terminal
from x2desk.commands.secret_files import MAX_BYTES, read_secret_file
from x2desk.core.errors import InputEnded, InputError


def test_the_secret_alone_on_one_line(tmp_path: Path) -> None:
    path = secret_file(tmp_path / "s", "\n  my pass phrase \r\n\n")
    assert read_secret_file(str(path), "passphrase").reveal() == "  my pass phrase "
    secret_file(path, "\ufefftoken-from-notepad")
    assert read_secret_file(str(path), "API key").reveal() == "token-from-notepad"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", "is empty"),
        ("\n \n", "is empty"),
        ("one\ntwo\n", "alone, on one line (it has 2 non-empty lines)"),
        ("x" * (MAX_BYTES + 1), f"larger than {MAX_BYTES} bytes"),
    ],
)
def test_what_is_refused_and_why(tmp_path: Path, content: str, words: str) -> None:
    path = secret_file(tmp_path / "s", content)
    with pytest.raises(InputError, match="API key") as refused:
        read_secret_file(str(path), "API key")
    assert words in refused.value.message


def test_not_text_missing_and_folders(tmp_path: Path) -> None:
    path = secret_file(tmp_path / "bin", "")
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="not UTF-8 text"):
        read_secret_file(str(path), "bot token")
    with pytest.raises(InputError, match="does not exist"):
        read_secret_file(str(tmp_path / "nope"), "bot token")
    with pytest.raises(InputError, match="is a folder"):
        read_secret_file(str(tmp_path), "bot token")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_file_others_can_read_is_refused_with_the_fix(tmp_path: Path, mode: int) -> None:
    path = secret_file(tmp_path / "pass", "a long passphrase")
    path.chmod(mode)
    with pytest.raises(InputError) as refused:
        read_secret_file(str(path), "passphrase")
    message = refused.value.message
    assert "other users" in message and f"chmod 600 {path}" in message
    assert f"{mode:04o}" in message and "a long passphrase" not in message
    path.chmod(0o600)
    assert read_secret_file(str(path), "passphrase").reveal() == "a long passphrase"


def test_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("from-a-pipe\nsecond answer\n"))
    assert read_secret_file("-", "apiTokenInstance").reveal() == "from-a-pipe"
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(InputError, match="Standard input gave no apiTokenInstance"):
        read_secret_file("-", "apiTokenInstance")


def test_standard_input_from_a_terminal_is_asked_without_echo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", Tty("typed-visible"))
    monkeypatch.setattr(
        "getpass.getpass", lambda prompt="": prompts.append(prompt) or "typed-unseen-7f3a"
    )
    assert read_secret_file("-", "integration token").reveal() == "typed-unseen-7f3a"
    assert prompts == ["Integration token (not shown): "]


def test_end_of_input_at_a_prompt_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", eof)
    monkeypatch.setattr("builtins.input", eof)
    with pytest.raises(InputEnded, match="No code") as ended:
        terminal.ask_secret("Code: ", "No code was typed.")
    assert ended.value.exit_code == 2
    with pytest.raises(InputEnded, match="No phone"):
        terminal.ask_line("Phone: ", "No phone was typed.")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert terminal.ask_yes("Really?") is False
