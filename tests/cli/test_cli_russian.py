"""The command line in Russian (``--lang ru``): argparse's own words and x2desk's help, ``doctor``,
and ``redeem``'s errors; every text it asks argparse for is in the catalogue."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from babel.messages.extract import extract_from_file

from x2desk import cli
from x2desk.commands import COMMANDS
from x2desk.commands.argparse_texts import MESSAGES, PLURALS
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.autopilot.words import english_words

# argparse's words for a parser built wrong: a programmer reads them (in a traceback), in English
DEVELOPER_ONLY = {
    ".__call__() not defined",
    "conflicting subparser: %s",
    "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r",
    "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "conflicting option string: %s",
    "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments",
    "%r is not callable",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse's --help and errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_word_argparse_asks_for_is_in_the_catalogue() -> None:
    """A newer Python's argparse with new words fails here: add them to argparse_texts.py."""
    asked = set()
    keywords = {"_": None, "ngettext": (1, 2)}
    for _line, message, _comments, _context in extract_from_file(
        "python", argparse.__file__, keywords=keywords
    ):
        asked.add(message if isinstance(message, str) else message[0])
    ours = set(MESSAGES) | {singular for singular, _plural in PLURALS}
    assert asked - ours - DEVELOPER_ONLY == set()


def test_help_and_argparse_errors_speak_russian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "ru", "--help")
    assert code == 0
    assert out.startswith("использование: x2desk")
    assert "параметры:" in out and "показать эту справку и выйти" in out
    assert "Подключайте аккаунты мессенджеров и ботов" in out
    assert english_words(out, allowed=COMMANDS) == []  # options, commands and names only
    code, _, err = run(capsys, "--lang=ru", "list", "--bogus")
    assert code == 2
    assert "x2desk: ошибка: нераспознанные аргументы: --bogus" in err
    code, _, err = run(capsys, "--lang", "ru", "export")
    assert code == 2 and "необходимо указать аргументы" in err


def test_a_wrong_lang_is_said_by_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "fr", "list")
    assert code == 2 and "invalid choice: 'fr'" in err  # English: no language was chosen


def test_doctor_speaks_russian(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "ru", "doctor")
    assert code in (0, 1)
    lines = out.splitlines()
    assert lines[0].endswith(": что есть на этом компьютере")
    for name in ("Декодеры", "Учётные данные", "Папка данных", "Журнал"):
        assert any(name in line for line in lines), name
    assert any(word in out for word in ("работает", "внимание", "НЕ РАБОТАЕТ"))
    # the keyring of the tests is theirs: helpers.MemoryKeyring
    assert english_words(out, allowed=["offscreen", "helpers", "MemoryKeyring"]) == []


def test_redeem_errors_speak_russian(
    capsys: pytest.CaptureFixture[str], sandbox: Any, phone: SandboxPhone
) -> None:
    api = f"{sandbox.url}/api/v1"
    code, _, err = run(capsys, "--lang", "ru", "redeem", "hello there", "--api-base", api)
    assert code == 2
    assert "x2desk: Это обычный текст (11 символов), а не токен интеграции X2Chat." in err
    issued = phone.issue_token()
    assert run(capsys, "redeem", issued["deep_link"], "--yes", "--api-base", api)[0] == 0
    code, _, err = run(
        capsys, "--lang", "ru", "redeem", issued["deep_link"], "--yes", "--api-base", api
    )
    assert code != 0
    assert "уже использован" in err and english_words(err) == []
