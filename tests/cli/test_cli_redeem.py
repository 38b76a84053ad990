"""`x2desk redeem`, `x2desk list` and `x2desk forget` against the sandbox on 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from x2desk import cli
from x2desk.commands import redeem as redeem_command
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def api(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> str:
    base = f"{sandbox.url}/api/v1"
    monkeypatch.setenv("X2DESK_API_BASE", base)
    return base


def redeem_count(phone: SandboxPhone) -> int:
    return sum(1 for r in phone.requests() if r["path"] == REDEEM)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_redeem_list_forget(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = phone.issue_token()
    code, out, err = run(capsys, "redeem", issued["deep_link"], "--yes", "--test-message", "hi ✓")
    assert code == 0, err
    token = phone.bot_token(issued["bot_id"])
    assert token not in out + err
    assert "stops working" in err  # the rotation warning is always shown
    assert f"chat {issued['chat_id']}" in out
    assert f"{token[:4]}…{token[-3:]}" in out
    assert "Test message sent" in out
    assert [m["text"] for m in phone.messages(issued["chat_id"])] == ["hi ✓"]
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") == token

    code, out, _ = run(capsys, "list")
    assert code == 0 and "x2chat_bot" in out and str(issued["chat_id"]) in out
    assert token not in out
    code, out, _ = run(capsys, "list", "--json")
    records = json.loads(out)
    assert [r["external_id"] for r in records] == [issued["bot_id"]]
    assert token not in out
    record_id = str(records[0]["id"])

    code, out, err = run(capsys, "forget", record_id)
    assert code == 0 and "Forgot" in out
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") is None
    code, out, _ = run(capsys, "list", "--json")
    assert json.loads(out) == []
    code, _, err = run(capsys, "forget", record_id)
    assert code == 22 and "x2desk list" in err
    code, _, err = run(capsys, "forget", "abc")
    assert code == 22 and "whole numbers" in err


def test_list_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and "No saved connections" in out


def test_second_redeem_of_the_same_token_says_spent(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    token = phone.issue_token()["token"]
    assert run(capsys, "redeem", token, "--yes")[0] == 0
    code, _, err = run(capsys, "redeem", token, "--yes")
    assert code == 9
    assert err.strip().splitlines()[-1].startswith("x2desk: This token was already used")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("hello", "ordinary text"),
        ("fc6e2368-b677-430d-9f2f", "cut short"),
        ("x2chat://webhook/connect?secret=zzz", "Webhook QR"),
        ("tg://login?token=abc", "Telegram login QR"),
        ("fc6e2368-b677-130d-9f2f-295ce705c9d0", "version 1"),
    ],
)
def test_garbage_says_what_is_wrong_without_a_request(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    code, _, err = run(capsys, "redeem", text, "--yes")
    assert code == 2
    assert words in err and err.count("\n") == 1
    assert redeem_count(phone) == 0


def test_no_terminal_and_no_yes_refuses(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "redeem", phone.issue_token()["token"])
    assert code == 2 and "--yes" in err
    assert redeem_count(phone) == 0


@pytest.mark.parametrize(("answer", "expected"), [("y\n", 0), ("n\n", 1), ("\n", 1)])
def test_asks_in_a_terminal(
    api: str,
    phone: SandboxPhone,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    expected: int,
) -> None:
    monkeypatch.setattr(redeem_command, "interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    code, _, err = run(capsys, "redeem", phone.issue_token()["token"])
    assert code == expected
    assert "[y/N]" in err
    assert redeem_count(phone) == (1 if expected == 0 else 0)


def test_api_base_option_and_https_rule(
    sandbox: SandboxServer, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    token = phone.issue_token()["token"]
    code, _, err = run(capsys, "redeem", token, "--yes", "--api-base", "http://example.com/api")
    assert code == 2 and "https://" in err
    code, _, err = run(capsys, "redeem", token, "--yes", "--api-base", f"{sandbox.url}/api/v1")
    assert code == 0, err


def test_answer_lost_exit_code_and_no_retry(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    phone.fault(REDEEM, "drop_after_commit")
    code, _, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    assert code == 5 and "may already be spent" in err
    assert redeem_count(phone) == 1


def test_no_keyring_refuses_before_spending_the_token(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, _, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    finally:
        keyring.set_keyring(previous)
    assert code == 21 and "encrypted file" in err
    assert redeem_count(phone) == 0


def test_no_keyring_in_a_terminal_offers_the_encrypted_file(
    api: str,
    phone: SandboxPhone,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(redeem_command, "interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a long passphrase")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    finally:
        keyring.set_keyring(previous)
    assert code == 0, err
    assert "encrypted file" in out
    assert redeem_count(phone) == 1


def test_check_failure_after_saving_exits_non_zero(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    phone.fault("/api/v1/bot", "status", 502)
    code, _, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    assert code == 7 and "was saved" in err
    code, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 1


def test_encrypted_file_store_needs_its_passphrase(
    api: str,
    phone: SandboxPhone,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import use_encrypted_file

    use_encrypted_file(Secret("a long passphrase"))
    code, _, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    assert code == 24 and "passphrase" in err and "terminal" in err
    assert redeem_count(phone) == 0
    monkeypatch.setattr(redeem_command, "interactive", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a long passphrase")
    code, out, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    assert code == 0, err
    assert "encrypted file" in out
    record_id = json.loads(run(capsys, "list", "--json")[1])[0]["id"]
    code, out, err = run(capsys, "forget", str(record_id))
    assert code == 0, err


def test_passphrase_file_sets_up_the_encrypted_store_without_a_terminal(
    api: str,
    phone: SandboxPhone,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    passfile = tmp_path / "pass.txt"
    passfile.write_text("a long passphrase\n", encoding="utf-8")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        issued = phone.issue_token()
        argv = ["redeem", issued["token"], "--yes", "--passphrase-file", str(passfile)]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "encrypted file" in out
        # A wrong passphrase is one clear line, before anything is sent.
        passfile.write_text("not the passphrase\n", encoding="utf-8")
        argv[1] = phone.issue_token(bot_id=issued["bot_id"])["token"]
        code, _, err = run(capsys, *argv)
    finally:
        keyring.set_keyring(previous)
    assert code == 23 and "passphrase" in err
    assert redeem_count(phone) == 1
    missing = run(
        capsys,
        "redeem",
        phone.issue_token()["token"],
        "--yes",
        "--passphrase-file",
        str(passfile) + ".missing",
    )
    assert missing[0] == 2 and "Cannot read the passphrase file" in missing[2]


def test_an_incomplete_answer_keeps_the_token_and_says_what_was_missing(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    import httpx

    fault = {
        "path_prefix": REDEEM,
        "kind": "partial",
        "times": 1,
        "fields": {"chat_id": "not-a-number"},
    }
    httpx.post(f"{api.removesuffix('/api/v1')}/_sandbox/faults", json=fault).raise_for_status()
    issued = phone.issue_token()
    code, out, err = run(capsys, "redeem", issued["token"], "--yes", "--test-message", "hi")
    token = phone.bot_token(issued["bot_id"])
    assert token not in out + err
    assert "incomplete" in err and "chat unknown" in out
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") == token
    assert code != 0  # the test message could not go anywhere: said, and not a success
