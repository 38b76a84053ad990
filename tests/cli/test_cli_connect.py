"""`x2desk connect ...` end to end against the sandbox over HTTP, on a fake clock.

The command's :class:`Runtime` is replaced by a manual scheduler on the sandbox's fake clock; each
wait of the command advances it by one second and lets the test's "phone" act.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from x2desk import cli
from x2desk.commands import connect
from x2desk.core.accounts.client import provider_key_ref
from x2desk.core.clock import FakeClock
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import SandboxPhone

BOT_TOKEN = "123456789:" + "C" * 35


class Harness:
    def __init__(self, sandbox: Any, phone: SandboxPhone, clock: FakeClock, tmp: Path) -> None:
        self.sandbox, self.phone, self.clock = sandbox, phone, clock
        self.key = phone.provider_key()
        self.key_file = tmp / "key.txt"
        self.key_file.write_text(self.key + "\n")
        self.on_tick: Callable[[LoginSession], None] = lambda s: None
        self.ticks = 0
        self.answers: list[str | Callable[[], str]] = []
        self.prompts: list[str] = []

    def runtime(self) -> connect.Runtime:
        sched = ManualScheduler(self.clock)

        def wait(session: LoginSession, events: Any) -> None:
            self.ticks += 1
            assert self.ticks < 2000, "the command never finished"
            self.on_tick(session)
            sched.advance(1.0)

        return connect.Runtime(self.clock, sched, wait)

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
    monkeypatch.setattr(connect, "make_runtime", harness.runtime)
    monkeypatch.setattr(getpass, "getpass", harness.getpass)
    return harness


def scan_once(h: Harness, password: str | None = None, after: int = 0) -> None:
    done: list[str] = []

    def tick(session: LoginSession) -> None:
        qr = session.snapshot().qr
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
    bad = tmp_path / "bad.txt"
    bad.write_text("123:sh rt")
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
    h.key_file.write_text(h.phone.provider_key(unpaid_types=["telegram_bot"]))
    h.answers = [BOT_TOKEN]
    assert h.run("telegram-bot") == 13
    assert "paid subscription" in capsys.readouterr().err


def test_key_prompted_saved_then_taken_from_the_store(h, capsys) -> None:
    h.answers = [h.key, "group-key"]
    assert h.run("odnoklassniki", "--save-key", key=False) == 0
    ref = provider_key_ref(h.sandbox.url + "/v2")
    from x2desk.core.store.credentials import open_credential_store

    assert open_credential_store().load(ref) == Secret(h.key)
    h.answers = ["group-key-b"]  # no key prompt this time
    assert h.run("odnoklassniki", key=False) == 0
    assert not any("Provider API key" in p for p in h.prompts[2:])


def test_session_end_says_start_again(h, capsys) -> None:
    assert h.run("telegram") == 15
    err = capsys.readouterr().err
    assert "Start again" in err
    assert h.clock.monotonic() - 1_800_000_000.0 >= 600


def test_insecure_provider_url_refused(h, capsys) -> None:
    code = cli.main(["connect", "telegram", "--provider-url", "http://api.example.com/v2"])
    assert code == 2 and "https://" in capsys.readouterr().err
