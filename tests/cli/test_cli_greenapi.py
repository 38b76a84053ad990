"""``x2desk connect green-api``: parsed by the real CLI parser, run against the sandbox over HTTP.

The terminal is a fake that plays the person and the phone: when a QR is drawn it scans the
payload it was drawn from (read back from Green-API's PNG by x2desk's own decoder); it answers
the password prompt from a list. Time is the fake clock the sandbox also runs on.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import secret_file

from x2desk import cli
from x2desk.commands import connect_greenapi
from x2desk.commands.session_loop import Runtime
from x2desk.core.clock import FakeClock
from x2desk.core.errors import AlreadyAuthorised, InputEnded, InputError, InvalidAuth
from x2desk.core.secret import Secret
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.credentials import KeyringStore, secret_ref
from x2desk.core.store.records import open_records
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


class PhoneTerminal(connect_greenapi.GreenApiTerminal):
    def __init__(self, phone: SandboxPhone, cloud_password: str | None = None) -> None:
        super().__init__(out=io.StringIO(), err=io.StringIO())
        self.phone = phone
        self.cloud_password = cloud_password
        self.passwords: list[str] = []
        self.choice = ""
        self.drawn: list[str | None] = []
        self.scan = True
        self.asked_token = False

    @property
    def interactive(self) -> bool:
        return True

    def show_qr(self, payload: str | None) -> None:
        super().show_qr(payload)
        self.drawn.append(payload)
        if self.scan and payload is not None:
            self.phone.scan(payload, password=self.cloud_password)
            self.scan = False

    def ask_password(self, hint: str | None = None) -> Secret:
        return Secret(self.passwords.pop(0))

    def ask_token(self) -> Secret:
        self.asked_token = True
        raise AssertionError("the token should not be asked for")

    def choose_already(self) -> str:
        return self.choice

    @property
    def said(self) -> str:
        assert isinstance(self.err, io.StringIO)
        return self.err.getvalue()


@pytest.fixture
def instance(phone: SandboxPhone, tmp_path: Path) -> dict[str, Any]:
    made = phone.greenapi_instance()
    token_file = secret_file(tmp_path / "token.txt", made["apiTokenInstance"] + "\n")
    return {**made, "file": str(token_file)}


def run(
    sandbox: SandboxServer, clock: FakeClock, term: PhoneTerminal, *argv: str
) -> tuple[int, ManualScheduler]:
    args = cli.build_parser().parse_args(
        ["connect", "green-api", "--sandbox-url", sandbox.url, *argv]
    )
    scheduler = ManualScheduler(clock)

    def wait(_changed: threading.Event) -> None:
        scheduler.advance(1.0)

    code = connect_greenapi.run(args, term=term, runtime=Runtime(clock, scheduler, wait))
    return code, scheduler


def test_pairs_with_a_terminal_qr_and_a_wrong_password_first(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    term = PhoneTerminal(phone, cloud_password="cloud-right")
    term.passwords = ["", "cloud-wrong", "cloud-right"]
    id_instance = str(instance["idInstance"])
    code, _ = run(
        sandbox, fake_clock, term, "--instance", id_instance, "--token-file", instance["file"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert f"Green-API instance {id_instance} (Telegram account +7900" in out  # which account
    assert ") authorised" in out
    assert term.drawn and term.drawn[0] is not None and term.drawn[0].endswith(id_instance)
    assert isinstance(term.out, io.StringIO) and "█" in term.out.getvalue()  # the QR, as text
    assert "cannot be empty" in term.said and "password is wrong" in term.said
    assert term.passwords == []
    token = KeyringStore().load(secret_ref("greenapi", id_instance))
    assert token is not None and token.reveal() == instance["apiTokenInstance"]
    for text in (out, term.said):
        assert instance["apiTokenInstance"] not in text and "cloud-right" not in text


def test_already_authorised_without_a_choice_changes_nothing(
    sandbox: SandboxServer, fake_clock: FakeClock, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    id_instance = str(instance["idInstance"])
    phone.greenapi_control(instance["idInstance"], state="authorized")
    term = PhoneTerminal(phone)
    with pytest.raises(AlreadyAuthorised, match="stays authorised"):
        run(sandbox, fake_clock, term, "--instance", id_instance, "--token-file", instance["file"])
    assert "already authorised" in term.said
    assert phone.state()["instances"][id_instance]["state"] == "authorized"


def test_already_authorised_log_out_and_pair_again(
    sandbox: SandboxServer, fake_clock: FakeClock, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    id_instance = str(instance["idInstance"])
    phone.greenapi_control(instance["idInstance"], state="authorized")
    term = PhoneTerminal(phone)
    term.choice = "log-out"
    code, _ = run(
        sandbox, fake_clock, term, "--instance", id_instance, "--token-file", instance["file"]
    )
    assert code == 0 and term.drawn  # a fresh QR was drawn after the logout
    assert "logged out" in term.said
    logouts = [r for r in phone.requests() if "/logout/" in r["path"]]
    assert len(logouts) == 1


def test_if_authorised_keep_saves_it_as_it_is(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    id_instance = str(instance["idInstance"])
    phone.greenapi_control(instance["idInstance"], state="authorized")
    term = PhoneTerminal(phone)
    args = ("--instance", id_instance, "--token-file", instance["file"], "--if-authorised", "keep")
    code, _ = run(sandbox, fake_clock, term, *args)
    assert code == 0 and "kept as it was" in capsys.readouterr().out
    assert not term.drawn and not [r for r in phone.requests() if "/logout/" in r["path"]]


def test_repair_uses_the_saved_token(
    sandbox: SandboxServer, fake_clock: FakeClock, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    id_instance = str(instance["idInstance"])
    first = PhoneTerminal(phone)
    assert (
        run(
            sandbox, fake_clock, first, "--instance", id_instance, "--token-file", instance["file"]
        )[0]
        == 0
    )
    phone.greenapi_control(instance["idInstance"], state="notAuthorized")  # the phone unlinked it
    term = PhoneTerminal(phone)
    code, _ = run(sandbox, fake_clock, term, "--instance", id_instance)
    assert code == 0 and not term.asked_token
    assert "Re-pairing saved instance" in term.said
    with open_records() as records:
        record = records.find("greenapi", id_instance)
        assert record is not None
        assert [e.flow for e in records.history(record.id)] == ["greenapi_qr", "greenapi_repair"]


def test_a_wrong_token_is_invalid_auth(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    tmp_path: Path,
) -> None:
    wrong = secret_file(tmp_path / "wrong.txt", "d4" * 25)
    term = PhoneTerminal(phone)
    with pytest.raises(InvalidAuth, match="idInstance or the apiTokenInstance is wrong") as caught:
        run(
            sandbox,
            fake_clock,
            term,
            "--instance",
            str(instance["idInstance"]),
            "--token-file",
            str(wrong),
        )
    assert "d4d4d4" not in caught.value.message and "d4d4d4" not in term.said


@pytest.mark.parametrize(
    ("argv", "words", "code"),
    [
        (["--instance", "12ab"], "digits only", 2),
        (["--instance", "1101", "--token-file", "{missing}"], "apiTokenInstance file", 2),
        (["--instance", "1101", "--token-file", "{two_lines}"], "alone, on one line", 2),
        (["--instance", "1101", "--token-file", "{short}"], "not an apiTokenInstance", 2),
        (["--instance", "1101"], "No apiTokenInstance", 2),
        (["--instance", "1101", "--api-url", "http://example.com"], "only https://", 2),
        (["--instance", "1101", "--interval", "0.2"], "at least 1 second", 2),
    ],
)
def test_bad_input_gets_one_clear_line_and_its_exit_code(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    words: str,
    code: int,
) -> None:
    files = {
        "missing": tmp_path / "nope.txt",
        "two_lines": tmp_path / "two.txt",
        "short": tmp_path / "short.txt",
    }
    secret_file(files["two_lines"], "e5" * 25 + "\nmore\n")
    secret_file(files["short"], "tiny-token-xyz\n")
    argv = [a.format(**{k: str(v) for k, v in files.items()}) for a in argv]
    assert cli.main(["connect", "green-api", *argv]) == code
    err = capsys.readouterr().err
    assert err.startswith("x2desk: ") and words in err and err.count("\n") == 1
    assert "e5e5e5" not in err and "tiny-token-xyz" not in err


def test_no_keyring_pairs_into_the_encrypted_file_with_the_passphrase_file(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 12: exit 21 without a keyring even with X2DESK_PASSPHRASE_FILE."""
    import keyring
    from keyring.backends import fail

    from x2desk.core.store.credentials import open_credential_store

    passfile = secret_file(tmp_path / "pass", "a long passphrase\n")
    id_instance = str(instance["idInstance"])
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, _ = run(
            sandbox,
            fake_clock,
            PhoneTerminal(phone),
            "--instance",
            id_instance,
            "--token-file",
            instance["file"],
            "--passphrase-file",
            str(passfile),
        )
        assert code == 0
        out = capsys.readouterr().out
        assert "saved in encrypted file" in out
        monkeypatch.setenv("X2DESK_PASSPHRASE_FILE", str(passfile))  # the variable serves too
        phone.greenapi_control(instance["idInstance"], state="notAuthorized")
        term = PhoneTerminal(phone)
        assert run(sandbox, fake_clock, term, "--instance", id_instance)[0] == 0
        assert "Re-pairing saved instance" in term.said
    finally:
        keyring.set_keyring(previous)
    store = open_credential_store(passphrase=Secret("a long passphrase"))
    token = store.load(secret_ref("greenapi", id_instance))
    assert token is not None and token.reveal() == instance["apiTokenInstance"]


def test_without_a_passphrase_file_the_message_says_how_to_give_one(
    instance: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.delenv("X2DESK_PASSPHRASE_FILE", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        argv = ["connect", "green-api", "--instance", "1101", "--token-file", instance["file"]]
        assert cli.main(argv) == 21
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert "--passphrase-file" in err and "X2DESK_PASSPHRASE_FILE" in err


class TypingTerminal(PhoneTerminal):
    """Asks for the password the way the real terminal does (getpass)."""

    def ask_password(self, hint: str | None = None) -> Secret:
        return connect_greenapi.GreenApiTerminal.ask_password(self, hint)


def test_end_of_input_at_the_password_prompt_says_what_was_left(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17 item 8: end of input at a prompt was "unexpected error (EOFError)"."""

    def eof(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", eof)
    term = TypingTerminal(phone, cloud_password="cloud-right")
    id_instance = str(instance["idInstance"])
    with pytest.raises(InputEnded) as ended:
        run(sandbox, fake_clock, term, "--instance", id_instance, "--token-file", instance["file"])
    assert "No two-step verification password was typed" in ended.value.message
    assert "stopped the pairing" in ended.value.message and ended.value.exit_code == 2
    with open_records() as records:
        assert records.find("greenapi", id_instance) is None


def test_the_outcome_is_said_once(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    term = PhoneTerminal(phone)
    args = ("--instance", str(instance["idInstance"]), "--token-file", instance["file"])
    assert run(sandbox, fake_clock, term, *args)[0] == 0
    assert "Paired" not in term.said  # the summary line below says it
    assert capsys.readouterr().out.count("authorised") == 1


def test_without_an_api_url_the_instance_s_own_host_is_used(monkeypatch) -> None:
    import argparse

    monkeypatch.delenv("X2DESK_GREENAPI_URL", raising=False)
    args = argparse.Namespace(api_url=None, sandbox_url=None)
    assert connect_greenapi.resolve_api_url(args, "3100123456") == "https://3100.api.green-api.com"
    args.api_url = "https://7103.api.greenapi.com"
    assert connect_greenapi.resolve_api_url(args, "3100123456") == args.api_url


# ---- issue 11: the phone code, the saved apiUrl ------------------------------------------


class CodeTerminal(PhoneTerminal):
    """The person reads the login code off the Telegram app (the sandbox's phone): a wrong one
    first, then the right one."""

    def __init__(self, phone: SandboxPhone, id_instance: str, password: str | None = None) -> None:
        super().__init__(phone)
        self.id_instance = id_instance
        self.codes_asked = 0
        self.password_of_account = password

    def ask_code(self) -> Secret:
        self.codes_asked += 1
        if self.codes_asked == 1:
            return Secret("00000")
        return Secret(self.phone.greenapi_code(self.id_instance, self.password_of_account))


def test_pairs_by_a_phone_code_with_a_wrong_code_first(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    instance: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    id_instance = str(instance["idInstance"])
    term = CodeTerminal(phone, id_instance, password="cloud-pw")
    term.passwords = ["cloud-pw"]
    argv = ("--instance", id_instance, "--token-file", instance["file"], "--code")
    code, _ = run(sandbox, fake_clock, term, *argv, "--phone", "+7 916 123-45-67")
    assert code == 0
    out = capsys.readouterr().out
    assert f"Green-API instance {id_instance} (Telegram account +79161234567) authorised" in out
    assert "code is wrong" in term.said and term.codes_asked == 2
    assert term.drawn == []  # no QR at all
    starts = [r for r in phone.requests() if "/startAuthorization/" in r["path"]]
    assert len(starts) == 1
    with open_records() as records:
        record = records.find("greenapi", id_instance)
        assert record is not None and record.flow == "greenapi_code"
        assert record.details["phone"] == "+79161234567"


def test_phone_without_code_is_refused_before_sending(
    sandbox: SandboxServer, fake_clock: FakeClock, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    term = PhoneTerminal(phone)
    argv = ("--instance", str(instance["idInstance"]), "--token-file", instance["file"])
    with pytest.raises(InputError, match="--phone is for --code"):
        run(sandbox, fake_clock, term, *argv, "--phone", "+79161234567")
    assert not [r for r in phone.requests() if r["path"].startswith("/waInstance")]


def test_repair_uses_the_saved_api_url(
    sandbox: SandboxServer, fake_clock: FakeClock, phone: SandboxPhone, instance: dict[str, Any]
) -> None:
    """The re-pair used to ignore the record's apiUrl (and went to the public host)."""
    id_instance = str(instance["idInstance"])
    assert (
        run(sandbox, fake_clock, PhoneTerminal(phone), "--instance", id_instance, "--token-file",
            instance["file"])[0]
        == 0
    )  # fmt: skip
    phone.greenapi_control(instance["idInstance"], state="notAuthorized")
    args = cli.build_parser().parse_args(["connect", "green-api", "--instance", id_instance])
    scheduler = ManualScheduler(fake_clock)
    term = PhoneTerminal(phone)
    runtime = Runtime(fake_clock, scheduler, lambda _c: scheduler.advance(1.0))
    assert connect_greenapi.run(args, term=term, runtime=runtime) == 0  # no --sandbox-url
    assert "Re-pairing saved instance" in term.said
