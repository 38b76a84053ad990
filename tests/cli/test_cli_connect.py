"""`x2desk connect ...` end to end against the sandbox over HTTP, on a fake clock.

The command's :class:`Runtime` is replaced by a manual scheduler on the sandbox's fake clock; each
wait of the command advances it by one second and lets the test's "phone" act.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import secret_file

from x2desk import cli
from x2desk.commands import provider_key, session_loop
from x2desk.commands.session_loop import Runtime, Terminal
from x2desk.core.accounts.client import provider_key_ref
from x2desk.core.clock import FakeClock
from x2desk.core.secret import Secret
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import SandboxPhone

BOT_TOKEN = "123456789:" + "C" * 35


class Harness:
    def __init__(self, sandbox: Any, phone: SandboxPhone, clock: FakeClock, tmp: Path) -> None:
        self.sandbox, self.phone, self.clock = sandbox, phone, clock
        self.key = phone.provider_key()
        self.key_file = secret_file(tmp / "key.txt", self.key + "\n")
        self.on_tick: Callable[[], None] = lambda: None
        self.ticks = 0
        self.answers: list[str | Callable[[], str]] = []
        self.prompts: list[str] = []
        self.qr: str | None = None  # the QR on the terminal now

    def runtime(self) -> Runtime:
        sched = ManualScheduler(self.clock)

        def wait(_changed: threading.Event) -> None:
            self.ticks += 1
            assert self.ticks < 2000, "the command never finished"
            self.on_tick()
            sched.advance(1.0)

        return Runtime(self.clock, sched, wait)

    def terminal(self) -> Terminal:
        harness = self

        class Screen(Terminal):
            def show_qr(self, payload: str | None) -> None:
                super().show_qr(payload)
                harness.qr = payload

            def clear_qr(self) -> None:
                super().clear_qr()
                harness.qr = None

        return Screen()

    def getpass(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        assert self.answers, f"unexpected prompt: {prompt}"
        answer = self.answers.pop(0)
        return answer() if callable(answer) else answer

    def run(self, *argv: str, key: bool = True) -> int:
        extra = ["--sandbox-url", self.sandbox.url]
        if key:
            extra += ["--api-key-file", str(self.key_file)]
        return cli.main(["connect", argv[0], *extra, *argv[1:]])

    def session_code(self) -> str:
        sessions = list(self.sandbox.sim.sessions.values())
        return str(sessions[-1].code)

    def posts(self, path: str) -> int:
        return sum(1 for r in self.phone.requests() if r["method"] == "POST" and path in r["path"])


@pytest.fixture
def h(sandbox, phone, fake_clock, tmp_path, monkeypatch) -> Harness:
    harness = Harness(sandbox, phone, fake_clock, tmp_path)
    monkeypatch.setattr(session_loop, "make_runtime", harness.runtime)
    monkeypatch.setattr(session_loop, "make_terminal", harness.terminal)
    monkeypatch.setattr(getpass, "getpass", harness.getpass)
    return harness


def scan_once(h: Harness, password: str | None = None, after: int = 0) -> None:
    done: list[str] = []

    def tick() -> None:
        qr = h.qr
        if qr and not done and h.ticks > after:
            h.phone.scan(qr, password=password)
            done.append(qr)

    h.on_tick = tick


def test_telegram_qr_with_two_step_password(h, capsys) -> None:
    scan_once(h, password="s3cret-pw")
    h.answers = ["wrong-pw", "s3cret-pw"]
    assert h.run("telegram", "--qr", "--name", "Shop") == 0
    out, err = capsys.readouterr()
    assert "█" in out or "#" in out  # the QR drawn as text
    assert "Settings > Devices > Link Desktop Device" in err
    assert "password is wrong" in err
    assert "Connected: telegram connection 1 'Shop'" in out
    assert "cannot be deleted here" in err
    assert len(h.prompts) == 2 and all("not shown" in p for p in h.prompts)
    for secret in (h.key, "s3cret-pw", "wrong-pw"):
        assert secret not in out + err
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        (record,) = records.list("telegram")
    assert record.external_id == "1" and record.name == "Shop"


def test_qr_is_redrawn_when_it_changes(h, capsys) -> None:
    scan_once(h, after=65)  # two rotations before the scan
    assert h.run("telegram") == 0
    err = capsys.readouterr().err
    assert err.count("Link Desktop Device") >= 3


def test_telegram_by_code_wrong_code_first(h, capsys) -> None:
    h.answers = ["00000", lambda: h.session_code()]
    assert h.run("telegram", "--code", "--phone", "+44 20 7946 0958") == 0
    out, err = capsys.readouterr()
    assert "code is wrong" in err and "Connected: telegram connection" in out


def test_bad_phone_is_refused_before_sending(h, capsys) -> None:
    assert h.run("max", "--phone", "12345") == 2
    assert "must start with +" in capsys.readouterr().err
    assert h.posts("/max_personal") == 0


def test_max_by_code_and_reauthorisation(h, capsys) -> None:
    h.answers = [lambda: h.session_code()]
    assert h.run("max", "--phone", "+79991234567") == 0
    h.answers = [lambda: h.session_code()]
    assert h.run("max", "--phone", "+79991234567", "--reauth", "1") == 0
    out, _ = capsys.readouterr()
    assert out.count("Connected: max_personal connection 1") == 2
    assert h.posts("/connections") == 1  # the re-authorisation made no new connection


def test_whatsapp_until_linked(h, capsys) -> None:
    scan_once(h)
    assert h.run("whatsapp", "--name", "WA") == 0
    out, err = capsys.readouterr()
    assert "Linked devices" in err and "another device" in err
    assert "Connected: whatsapp connection 1 'WA' (status active)" in out


def test_telegram_bot_token_checked_then_connected(h, capsys, tmp_path) -> None:
    bad = secret_file(tmp_path / "bad.txt", "123:sh rt")
    assert h.run("telegram-bot", "--token-file", str(bad)) == 2
    assert "cannot have" in capsys.readouterr().err
    assert h.posts("/connections") == 0
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot", "--name", "Helper") == 0
    out, err = capsys.readouterr()
    assert "telegram_bot connection 1 'Helper'" in out and BOT_TOKEN not in out + err


def test_odnoklassniki_create_and_change_key(h, capsys) -> None:
    h.answers = ["group-key-1"]
    assert h.run("odnoklassniki") == 0
    h.answers = ["group-key-2"]
    assert h.run("odnoklassniki", "--change-key", "1") == 0
    out, err = capsys.readouterr()
    assert "key was changed" in err and "group-key" not in out + err
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 0
    h.answers = ["group-key-3"]
    assert h.run("odnoklassniki", "--change-key", "2") == 18  # NotEditable
    assert "cannot be changed" in capsys.readouterr().err


def test_unpaid_type_says_subscription(h, capsys) -> None:
    secret_file(h.key_file, h.phone.provider_key(unpaid_types=["telegram_bot"]))
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 13
    assert "paid subscription" in capsys.readouterr().err


def test_sandbox_key_offered_saved_then_taken_from_the_store(h, capsys, monkeypatch) -> None:
    """Issue 12: with --sandbox-url and no key, the sandbox gives one (no keyring warning)."""
    asked: list[str] = []
    real = provider_key.sandbox_provider_key

    def counted(url: str) -> Secret:
        asked.append(url)
        return real(url)

    monkeypatch.setattr(provider_key, "sandbox_provider_key", counted)
    h.answers = ["group-key"]
    assert h.run("odnoklassniki", "--save-key", key=False) == 0
    err = capsys.readouterr().err
    assert "from the sandbox" in err and "keyring" not in err.lower().replace("memorykeyring", "")
    from x2desk.core.accounts.provider_key import key_in
    from x2desk.core.store.credentials import open_credential_store

    saved = key_in(open_credential_store(), h.sandbox.url + "/v2")  # with its company
    assert saved is not None
    assert asked == [h.sandbox.url]
    h.answers = ["group-key-b"]  # no key prompt, and no new key from the sandbox this time
    assert h.run("odnoklassniki", key=False) == 0
    assert asked == [h.sandbox.url]
    assert not any("Provider API key" in p for p in h.prompts)
    assert saved.reveal() not in capsys.readouterr().err


def test_key_prompted_and_saved_without_a_sandbox(h, capsys) -> None:
    h.answers = [h.key, "group-key"]
    argv = ["connect", "odnoklassniki", "--provider-url", h.sandbox.url + "/v2", "--save-key"]
    assert cli.main(argv) == 0
    assert "Provider API key" in h.prompts[0]
    from x2desk.core.accounts.provider_key import key_in
    from x2desk.core.store.credentials import open_credential_store

    assert key_in(open_credential_store(), h.sandbox.url + "/v2") == Secret(h.key)
    assert h.key not in "".join(capsys.readouterr())


def test_session_end_says_start_again(h, capsys) -> None:
    assert h.run("telegram") == 15
    err = capsys.readouterr().err
    assert "Start again" in err
    assert h.clock.monotonic() - 1_800_000_000.0 >= 600


def test_insecure_provider_url_refused(h, capsys) -> None:
    code = cli.main(["connect", "telegram", "--provider-url", "http://api.example.com/v2"])
    assert code == 2 and "https://" in capsys.readouterr().err


def test_an_error_is_printed_once(h, capsys) -> None:
    """Issue 12: errors printed twice (plain, then with the x2desk: prefix)."""
    secret_file(h.key_file, h.phone.provider_key(unpaid_types=["telegram_bot"]))
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 13
    err = capsys.readouterr().err
    assert err.count("does not cover this kind of connection") == 1
    assert err.rstrip("\n").splitlines()[-1].startswith("x2desk: ")


def test_connected_is_said_once(h, capsys) -> None:
    """Issue 12: "Connected." printed twice (the state's text, then the summary)."""
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot", "--name", "Helper") == 0
    out, err = capsys.readouterr()
    assert (out + err).count("Connected") == 1
    assert "Connected: telegram_bot connection 1 'Helper'" in out


def eof(prompt: str = "") -> str:
    raise EOFError


def test_end_of_input_at_the_code_prompt_says_what_happened(h, capsys) -> None:
    """Issue 17 item 8: exit 70 "unexpected error (EOFError)" after init was sent."""
    h.answers = [lambda: eof()]
    code = h.run("telegram", "--code", "--phone", "+44 20 7946 0958")
    err = capsys.readouterr().err
    assert code == 2, err
    assert "No login code was typed (the input ended)" in err
    assert "x2desk stopped the login" in err and "nothing was connected" in err
    assert "unexpected" not in err and "EOFError" not in err
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        assert records.list() == []


def test_end_of_input_at_the_password_prompt(h, capsys) -> None:
    scan_once(h, password="s3cret-pw")
    h.answers = [lambda: eof()]
    assert h.run("telegram") == 2
    err = capsys.readouterr().err
    assert "No two-step verification password was typed" in err and "stopped the login" in err


def test_end_of_input_at_the_phone_prompt_sends_nothing(h, capsys, monkeypatch) -> None:
    monkeypatch.setattr("builtins.input", eof)
    assert h.run("max") == 2
    err = capsys.readouterr().err
    assert "No phone number was typed" in err and "--phone" in err
    assert h.posts("/max_personal/") == 0


def test_a_key_file_others_can_read_is_refused_before_sending(h, capsys) -> None:
    h.key_file.chmod(0o644)
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 2
    err = capsys.readouterr().err
    assert "can be read by other users" in err and "chmod 600" in err
    assert h.posts("/connections/") == 0 and h.prompts == []


def test_save_key_honours_the_passphrase_file_without_a_keyring(
    h, capsys, monkeypatch, tmp_path
) -> None:
    """Issue 17 item 8: --save-key ignored X2DESK_PASSPHRASE_FILE."""
    import keyring
    from keyring.backends import fail

    from x2desk.core.store.credentials import open_credential_store

    monkeypatch.setenv("X2DESK_PASSPHRASE_FILE", str(secret_file(tmp_path / "pp", "pass-phrase-1")))
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        h.answers = [h.key, "group-key"]
        argv = ["connect", "odnoklassniki", "--provider-url", h.sandbox.url + "/v2", "--save-key"]
        assert cli.main(argv) == 0
    finally:
        keyring.set_keyring(previous)
    err = capsys.readouterr().err
    assert "saved in encrypted file" in err
    store = open_credential_store(passphrase=Secret("pass-phrase-1"))
    from x2desk.core.accounts.provider_key import key_in

    assert key_in(store, h.sandbox.url + "/v2") == Secret(h.key)
    assert store.load(provider_key_ref(h.sandbox.url + "/v2")) is None  # bound to its company


# ---- companies and what was made (issue 11) ----------------------------------------------


def test_several_companies_without_a_terminal_say_how_to_choose(h, capsys) -> None:
    account = h.phone.provider_account(companies=["Shop", "Cafe"])
    secret_file(h.key_file, account["api_key"])
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 2
    err = capsys.readouterr().err
    assert "several companies" in err and "--company" in err and "Shop" in err and "Cafe" in err
    assert h.posts("/connections") == 0


def test_company_by_name_is_used_said_recorded_and_used_to_reauthorise(h, capsys) -> None:
    account = h.phone.provider_account(companies=["Shop", "Cafe"])
    secret_file(h.key_file, account["api_key"])
    cafe = account["companies"][1]["id"]
    h.answers = [lambda: h.session_code()]
    assert h.run("max", "--phone", "+79991234567", "--company", "cafe") == 0
    err = capsys.readouterr().err
    assert f"Company at the provider: Cafe (id {cafe})" in err
    assert h.posts(f"/v2/companies/{cafe}/max_personal/init") == 1
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        (record,) = records.list("max_personal")
    assert record.details["company_id"] == cafe
    h.answers = [lambda: h.session_code()]  # no --company: the record's own company
    assert h.run("max", "--phone", "+79991234567", "--reauth", record.external_id) == 0
    assert h.posts(f"/v2/companies/{cafe}/max_personal/init") == 2
    assert "paid subscription" not in capsys.readouterr().err  # nothing new was made


def test_a_connection_made_but_not_active_says_why(h, capsys) -> None:
    secret_file(h.key_file, h.phone.provider_key(inactive_types=["telegram_bot"]))
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot", "--name", "Helper") == 26
    out, err = capsys.readouterr()
    assert "Made, but not active: telegram_bot connection 1 'Helper'" in out
    assert "Connected" not in out
    assert "subscription" in err and "status 'waiting'" in err


def test_several_companies_in_a_terminal_are_asked_by_number(h, capsys, monkeypatch) -> None:
    from x2desk.commands import terminal

    account = h.phone.provider_account(companies=["Shop", "Cafe"])
    secret_file(h.key_file, account["api_key"])
    shop = account["companies"][0]["id"]
    monkeypatch.setattr(terminal, "interactive", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt="": "1")
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 0
    err = capsys.readouterr().err
    assert "1. Shop" in err and "2. Cafe" in err and f"Shop (id {shop})" in err
    assert h.posts(f"/v2/companies/{shop}/connections") == 1
    monkeypatch.setattr("builtins.input", lambda _prompt="": "")  # not asked again:
    h.answers = [BOT_TOKEN.replace("C", "D")]
    assert h.run("telegram-bot") == 0  # the company chosen is remembered for the address
    assert h.posts(f"/v2/companies/{shop}/connections") == 2


# ---- issue 17 item 2: provider connections are never orphaned --------------------------------

CONNECTIONS = "/v2/companies/*/connections/"
WA_STATUS = "/v2/companies/*/connections/*/whatsapp/status"


def whatsapp_records() -> list[Any]:
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        return records.list("whatsapp")


def unfinished_intents() -> list[Any]:
    from x2desk.core.store.journal import open_journal

    with open_journal() as journal:
        return journal.unfinished()


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, 11), (403, 14), (404, 12), (400, 12), (409, 18), (402, 13)],
)
def test_an_error_after_the_create_keeps_the_connection_and_a_rerun_continues_it(
    h, capsys, status: int, code: int
) -> None:
    h.phone.fault(WA_STATUS, "status", status)
    assert h.run("whatsapp", "--name", "WA") == code
    err = capsys.readouterr().err
    assert "WhatsApp connection 1 is not linked yet" in err
    assert "x2desk connect whatsapp --reconnect 1" in err and "recorded here" in err
    (record,) = whatsapp_records()
    assert (record.external_id, record.outcome, record.name) == ("1", "created", "WA")
    assert unfinished_intents() == []  # recorded the moment the create answered
    # The re-run continues with it: no second connection.
    scan_once(h)
    assert h.run("whatsapp") == 0
    out, err = capsys.readouterr()
    assert "WhatsApp connection 1 was made here" in err and "--new" in err
    assert "Connected: whatsapp connection 1" in out
    assert h.posts("/connections/") == 1
    (record,) = whatsapp_records()
    assert record.outcome == "connected"


def test_new_makes_another_connection(h, capsys) -> None:
    h.phone.fault(WA_STATUS, "status", 403)
    assert h.run("whatsapp") == 14
    scan_once(h)
    assert h.run("whatsapp", "--new") == 0
    assert "Connected: whatsapp connection 2" in capsys.readouterr().out
    assert [r.outcome for r in whatsapp_records()] == ["created", "connected"]


def test_transient_status_errors_back_off_and_the_wait_ends_with_the_id(h, capsys) -> None:
    """Issue 17 item 3: every session has a lifetime; a wait is said, Retry-After capped."""
    h.phone.fault(WA_STATUS, "status", 429, retry_after=99999999)
    assert h.run("whatsapp") == 15  # nobody scans: x2desk stops waiting after 10 minutes
    err = capsys.readouterr().err
    assert "Trying again in 300 seconds" in err  # the capped Retry-After, said
    assert "WhatsApp connection 1 is not linked yet" in err
    assert whatsapp_records()[0].outcome == "created"


@pytest.mark.parametrize("kind", ["drop", "drop_after_commit"])
def test_a_create_whose_answer_is_lost_is_noted(h, capsys, kind: str) -> None:
    h.phone.fault(CONNECTIONS, kind)
    assert h.run("whatsapp") == 5
    err = capsys.readouterr().err
    assert "it may exist already" in err and "x2desk doctor" in err
    (intent,) = unfinished_intents()
    assert (intent.flow, intent.action, intent.state) == ("whatsapp", "create", "sent")
    assert whatsapp_records() == []
    assert cli.main(["list"]) == 0
    assert "may have been created at the provider" in capsys.readouterr().err


def test_a_refused_create_leaves_nothing_to_report(h, capsys) -> None:
    secret_file(h.key_file, h.phone.provider_key(unpaid_types=["telegram_bot"]))
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 13
    assert unfinished_intents() == []
    capsys.readouterr()
    assert cli.main(["list"]) == 0
    assert "Note:" not in capsys.readouterr().err


def test_every_create_is_recorded_when_it_answers(h, capsys) -> None:
    from x2desk.core.store.journal import open_journal
    from x2desk.core.store.records import RecordStore

    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot", "--name", "Helper") == 0
    with RecordStore.open() as records:
        (record,) = records.list("telegram_bot")
        history = records.history(record.id)
    assert [e.outcome for e in history] == ["connected"]  # once, not twice
    with open_journal() as journal:
        (intent,) = journal._select("", ())
    assert (intent.state, intent.external_id) == ("done", record.external_id)


# ---- issue 17 item 7: a login code whose answer was lost is not sent again blindly ------------

LOGIN = "/v2/companies/*/telegram/login"


def test_a_code_taken_but_its_answer_lost_goes_on_without_asking_again(h, capsys) -> None:
    h.phone.fault(LOGIN, "drop_after_commit")  # the server takes the code; the answer is lost
    h.answers = [lambda: h.session_code()]
    assert h.run("telegram", "--code", "--phone", "+44 20 7946 0958") == 0
    out, _err = capsys.readouterr()
    assert len(h.prompts) == 1  # asked once: the session was polled, not the code resent
    assert "Connected: telegram connection 1" in out
    codes = [r for r in h.phone.requests() if "telegram/login" in r["path"]]
    assert len(codes) == 2  # the code, then one poll


def test_a_code_lost_before_the_server_took_it_is_asked_again(h, capsys) -> None:
    h.phone.fault(LOGIN, "drop")  # nothing reached the server
    h.answers = [lambda: h.session_code(), lambda: h.session_code()]
    assert h.run("telegram", "--code", "--phone", "+44 20 7946 0958") == 0
    err = capsys.readouterr().err
    assert "The code did not arrive: type it again." in err
    assert len(h.prompts) == 2


def test_max_cannot_be_polled_so_the_code_is_asked_again(h, capsys) -> None:
    h.phone.fault("/v2/companies/*/max_personal/login", "drop")
    h.answers = [lambda: h.session_code(), lambda: h.session_code()]
    assert h.run("max", "--phone", "+79991234567") == 0
    assert len(h.prompts) == 2


def test_the_connect_screens_speak_russian(h, capsys) -> None:
    """``--lang ru``: the QR screen's instructions, its countdown, the password prompt, the
    wrong-password line and the result, all in Russian (Telegram's own menu words)."""
    from x2desk.ui.autopilot.words import english_words

    scan_once(h, password="s3cret-pw")
    h.answers = ["wrong-pw", "s3cret-pw"]
    argv = ["--sandbox-url", h.sandbox.url, "--api-key-file", str(h.key_file), "--name", "Shop"]
    assert cli.main(["--lang", "ru", "connect", "telegram", "--qr", *argv]) == 0
    out, err = capsys.readouterr()
    assert "«Настройки → Устройства → Подключить устройство»" in err
    assert "QR-код действует ещё" in err
    assert "пароль неверный" in err.lower()
    assert all("не отображается" in p for p in h.prompts)
    said = [line for line in (out + err).splitlines() if "█" not in line and "#" not in line]
    data = ["Shop", "telegram", "active", "Sandbox", "company"]  # names and the dashboard's word
    assert english_words("\n".join(said), allowed=data) == []
