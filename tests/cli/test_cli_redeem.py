"""`x2desk redeem`, `x2desk list` and `x2desk forget` against the sandbox on 127.0.0.1."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import keyring
import pytest
from helpers import secret_file
from keyring.backends import fail

from x2desk import cli
from x2desk.commands import terminal
from x2desk.core.secret import Secret
from x2desk.core.store.folder import store_folder
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
    assert code == 0 and "Forgot" in out and "stays at X2Chat" in err
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") is None
    code, out, _ = run(capsys, "list", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "forget", record_id)  # forgotten: its history stays
    assert code == 0 and "already forgotten" in out
    code, _, err = run(capsys, "forget", "999")
    assert code == 22 and "x2desk list" in err
    code, _, err = run(capsys, "forget", "abc")
    assert code == 22 and "whole numbers" in err


def test_list_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and "No saved connections" in out


def test_second_redeem_of_the_same_token_says_where_it_went_without_a_request(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12: a QR this computer already redeemed is named at once, with the time and the
    bot, and no request (it used to be sent, after the rotation warning, and refused)."""
    issued = phone.issue_token()
    token = issued["token"]
    assert run(capsys, "redeem", token, "--yes")[0] == 0
    before = redeem_count(phone)
    code, _, err = run(capsys, "redeem", token, "--yes")
    assert code == 9 and redeem_count(phone) == before
    last = err.strip().splitlines()[-1]
    assert last.startswith("x2desk: This QR was already used on this computer at")
    username = phone.state()["bots"][issued["bot_id"]]["username"]
    assert f"for @{username}" in last
    assert re.search(r"computer at \d{1,2}:\d{2}(\s[AP]M)? for", last), last  # the time alone
    assert "Warning:" not in err and "Traceback" not in err


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
    monkeypatch.setattr(terminal, "interactive", lambda: True)
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
    monkeypatch.setattr(terminal, "interactive", lambda: True)
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
    monkeypatch.setattr(terminal, "interactive", lambda: True)
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
    passfile = secret_file(tmp_path / "pass.txt", "a long passphrase\n")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        issued = phone.issue_token()
        argv = ["redeem", issued["token"], "--yes", "--passphrase-file", str(passfile)]
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "encrypted file" in out
        # A wrong passphrase is one clear line, before anything is sent.
        secret_file(passfile, "not the passphrase\n")
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
    assert missing[0] == 2 and "passphrase file" in missing[2] and "does not exist" in missing[2]


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


def test_token_from_standard_input_is_not_an_argument(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """Issue 17 item 10: `redeem TOKEN` shows the token in `ps`; `redeem -` reads it."""
    issued = phone.issue_token()
    monkeypatch.setattr("sys.stdin", io.StringIO(issued["deep_link"] + "\n"))
    code, out, err = run(capsys, "redeem", "-", "--yes")
    assert code == 0, err
    assert "Connected @" in out and redeem_count(phone) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = run(capsys, "redeem", "-", "--yes")
    assert code == 2 and "Standard input gave no integration token" in err
    assert redeem_count(phone) == 1


def test_a_failed_webhook_check_is_said(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """Issue 17 item 10: a getWebhookInfo failure after a redeem was silent."""
    from x2desk.core.x2chat.flow import RedeemFlow

    check = RedeemFlow.check

    def check_with_a_fault(flow: RedeemFlow):  # type: ignore[no-untyped-def]
        assert flow.state.bot is not None
        token = phone.bot_token(flow.state.bot.bot_id)
        phone.fault(f"/api/v1/bot{token}/getWebhookInfo", "status", 500)
        return check(flow)

    monkeypatch.setattr(RedeemFlow, "check", check_with_a_fault)
    code, out, err = run(capsys, "redeem", phone.issue_token()["token"], "--yes")
    assert code == 0, err
    assert "could not check whether the bot has a webhook" in err
    assert "internal error" in err and "Connected @" in out


def test_a_passphrase_file_others_can_read_is_refused_before_the_redeem(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 17 item 10: a world-readable passphrase file was accepted silently."""
    passfile = secret_file(tmp_path / "pass.txt", "a long passphrase\n")
    passfile.chmod(0o644)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        argv = ["redeem", phone.issue_token()["token"], "--yes", "--passphrase-file", str(passfile)]
        code, _, err = run(capsys, *argv)
    finally:
        keyring.set_keyring(previous)
    assert code == 2 and "other users" in err and f"chmod 600 {passfile}" in err
    assert redeem_count(phone) == 0


def test_forget_takes_the_passphrase_file_from_the_environment(
    api: str,
    phone: SandboxPhone,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17 item 8: `forget` ignored X2DESK_PASSPHRASE_FILE (exit 24 without a terminal)."""
    from x2desk.core.store.credentials import open_credential_store

    passfile = secret_file(tmp_path / "pass.txt", "a long passphrase\n")
    monkeypatch.setenv("X2DESK_PASSPHRASE_FILE", str(passfile))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        issued = phone.issue_token()
        code, out, err = run(capsys, "redeem", issued["token"], "--yes")
        assert code == 0 and "encrypted file" in out, err
        record_id = json.loads(run(capsys, "list", "--json")[1])[0]["id"]
        code, out, err = run(capsys, "forget", str(record_id))
    finally:
        keyring.set_keyring(previous)
    assert code == 0, err
    assert "Forgot connection" in out
    store = open_credential_store(passphrase=Secret("a long passphrase"))
    assert store.load(f"x2chat_bot:{issued['bot_id']}") is None


def test_hosts_and_server_texts_in_errors_are_escaped(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17 item 9: a redeem error echoed a host with ESC or right-to-left overrides."""
    hostile = "http://exa\u202emple.com\x1b[2J/api/v1"
    code, _, err = run(
        capsys, "redeem", phone.issue_token()["token"], "--yes", "--api-base", hostile
    )
    assert code == 2 and err.startswith("x2desk: ")
    assert "\x1b" not in err and "\u202e" not in err
    assert "\\u202e" in err and err.count("\n") == 1
    assert redeem_count(phone) == 0


# ---- what earlier runs left unfinished: a short note at the start of the next commands ------
# (issue 17: "at the next start (window and CLI) ... is reported with what to do")


def test_a_redeem_left_unfinished_is_noted_by_the_next_commands(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    code, _, err = run(capsys, "redeem", issued["token"], "--yes")
    assert code == 5 and "Note:" not in err  # nothing was left before this one
    for argv in (["list"], ["redeem", phone.issue_token()["token"], "--yes"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        first = err.splitlines()[0]
        assert first == "Note: an earlier run left 1 thing unfinished:"
        assert "got no answer: X2Chat may have spent the token" in err
        assert "make a new integration QR" in err
        assert issued["token"] not in err + out
    for argv in (["doctor", "--json"],):  # doctor reports it its own way, not as this note
        _code, _out, err = run(capsys, *argv)
        assert "Note: an earlier run" not in err


def test_a_journal_that_cannot_be_read_costs_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = store_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "journal.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = run(capsys, "list")
    assert code == 0 and "No saved connections" in out
    assert "Note:" not in err and "Traceback" not in err


def test_forget_leftovers_stops_the_note_but_the_token_stays_known(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    assert run(capsys, "redeem", issued["token"], "--yes")[0] == 5
    code, _, err = run(capsys, "list")
    assert "Note: an earlier run left 1 thing unfinished" in err
    assert "x2desk forget --leftovers" in err
    code, out, _ = run(capsys, "forget", "--leftovers")
    assert code == 0 and "Dismissed 1 unfinished request" in out
    code, _, err = run(capsys, "list")
    assert code == 0 and "Note:" not in err
    code, _, err = run(capsys, "redeem", issued["token"], "--yes")
    assert code == 9 and "already sent to X2Chat from this computer" in err
    with pytest.raises(SystemExit) as ended:  # an id or --leftovers is needed
        cli.main(["forget"])
    assert ended.value.code == 2
