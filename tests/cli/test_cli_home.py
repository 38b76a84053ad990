"""The operator's home from the command line: list (labels, statuses, filters), show (no
secret), rename, check (one, --all), export (file mode and contents, --force, --out -), history
(--csv), forget with the keyring failing half way, and --profile / x2desk profile."""

from __future__ import annotations

import csv
import io
import json
import stat
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.errors import KeyringLocked
from saved_connections import provider_key, saved_bot, saved_instance, saved_provider_connection

from x2desk import cli
from x2desk.core import profiles
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import Record, RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@dataclass(frozen=True)
class Saved:
    bot: Record
    token: str
    chat_id: int
    conn: Record
    key: str
    instance: Record
    instance_token: str


@pytest.fixture
def saved(sandbox: SandboxServer, phone: SandboxPhone) -> Saved:
    """A bot, a provider connection and a Green-API instance, saved in the default profile."""
    store = KeyringStore()
    with RecordStore.open() as records:
        bot, issued = saved_bot(phone, sandbox.url, store, records)
        key = provider_key(phone, sandbox.url, store)
        conn = saved_provider_connection(sandbox.url, key, records, name="Flower shop")
        instance, made = saved_instance(phone, sandbox.url, store, records, "notAuthorized")
    token = phone.bot_token(issued["bot_id"])
    return Saved(
        bot, token, issued["chat_id"], conn, key.reveal(), instance, made["apiTokenInstance"]
    )


def secrets_of(saved: Saved) -> list[str]:
    return [saved.token, saved.key, saved.instance_token]


def test_list_show_rename_and_check(saved: Saved, capsys: pytest.CaptureFixture[str]) -> None:
    bot, conn, instance = saved.bot, saved.conn, saved.instance
    assert bot.username
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "LABEL" in out and "STATUS" in out and f"@{bot.username}" in out
    assert "Flower shop" in out and "not checked" in out and "works" in out
    code, out, _ = run(capsys, "list", "--status", "works", "--kind", "telegram_bot")
    assert "Flower shop" in out and "@" not in out
    code, out, _ = run(capsys, "list", "--search", "flower")
    assert out.count("\n") == 2  # the header and one row

    code, out, _ = run(capsys, "rename", str(conn.id), "Flower shop Ltd")
    assert code == 0 and "Flower shop → Flower shop Ltd" in out

    code, out, err = run(capsys, "check", "--all", "--interval", "0")
    assert code == 1  # the instance is not paired any more
    assert "[3/3]" in err and "1 connection needs attention (3 checked)" in err
    assert f"{instance.id}  Green-API" in out and "needs re-authorisation" in out
    code, out, err = run(capsys, "check", str(bot.id), "--test-message", "hi ✓")
    assert code == 0 and "works" in out and "Test message sent" in err

    code, out, _ = run(capsys, "show", str(conn.id))
    assert "Flower shop Ltd" in out and "Active at the provider." in out
    assert "Company" in out and "Renamed" in out
    code, out, _ = run(capsys, "show", str(bot.id), "--json")
    data = json.loads(out)
    assert data["status"] == "works" and data["history"][-1]["event"] == "test_message"
    for command in ("list", "list --json", f"show {bot.id}", f"show {instance.id} --json"):
        _, out, err = run(capsys, *command.split())
        for secret in secrets_of(saved):
            assert secret not in out + err
    code, _, err = run(capsys, "check")
    assert code == 2 and "--all" in err


def test_export_rules(saved: Saved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bot, conn = saved.bot, saved.conn
    target = tmp_path / "bot.env"
    code, out, err = run(capsys, "export", str(bot.id), "--format", "env", "--out", str(target))
    assert code == 0 and "readable by you only" in out
    assert "BOT_TOKEN" in err and "secrets" in err  # the warning came first, on stderr
    assert str(saved.token) not in out + err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert f"BOT_TOKEN={saved.token}" in target.read_text()
    assert f"CHAT_ID={saved.chat_id}" in target.read_text()
    code, _, err = run(capsys, "export", str(bot.id), "--format", "json", "--out", str(target))
    assert code == 2 and "already exists" in err and target.read_text().startswith("BOT_TOKEN=")
    code, _, _ = run(
        capsys,
        "export",
        str(bot.id),
        "--format",
        "json",
        "--out",
        str(target),
        "--force",
    )
    assert code == 0 and json.loads(target.read_text())["BOT_TOKEN"] == saved.token

    code, out, err = run(capsys, "export", str(conn.id), "--format", "json", "--out", "-")
    assert code == 0 and "standard output" in err
    assert "PROVIDER_API_KEY" not in out and json.loads(out)["CONNECTION_ID"] == conn.external_id
    code, out, err = run(
        capsys,
        "export",
        str(conn.id),
        "--format",
        "env",
        "--out",
        "-",
        "--with-provider-key",
    )
    assert f"PROVIDER_API_KEY={saved.key}" in out and "PROVIDER_API_KEY" in err
    with pytest.raises(SystemExit):  # no file and no '-': refused by the parser
        run(capsys, "export", str(bot.id), "--format", "env")
    assert "--out" in capsys.readouterr().err


def test_history_as_csv(saved: Saved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bot = saved.bot
    run(capsys, "rename", str(bot.id), "Shop bot")
    code, out, _ = run(capsys, "history", str(bot.id))
    assert code == 0 and "Connected by the X2Chat QR: connected" in out and "Renamed" in out
    target = tmp_path / "history.csv"
    code, _, err = run(capsys, "history", str(bot.id), "--csv", str(target))
    assert code == 0 and "Wrote 2 events" in err
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert [r[1] for r in rows] == ["event", "x2chat_redeem", "rename"]
    code, out, _ = run(capsys, "history", str(bot.id), "--csv", "-")
    assert out.startswith("time,event,outcome,what,note\n")
    assert str(saved.token) not in target.read_text() + out


class LockedOnce(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, items: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.items = items
        self.locked = True

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.locked:
            self.locked = False
            raise KeyringLocked("locked")
        self.items.pop((service, username), None)


def test_forget_with_the_keyring_locked_half_way_then_again(
    saved: Saved, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = saved.instance
    items = dict(keyring.get_keyring().items)  # type: ignore[attr-defined]
    backend = LockedOnce(items)
    keyring.set_keyring(backend)
    code, out, err = run(capsys, "forget", str(instance.id))
    assert code == 20 and "not finished" in err and instance.secret_ref in err
    assert "stays authorised at Green-API" in err
    code, out, _ = run(capsys, "list")
    assert "forget unfinished" in out
    code, out, _ = run(capsys, "forget", str(instance.id))
    assert code == 0 and "Forgot" in out
    assert ("x2desk", instance.secret_ref) not in backend.items
    code, out, _ = run(capsys, "list", "--all")
    assert "forgotten" in out


def test_profiles_from_the_command_line(
    saved: Saved, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "profile", "add", "acme", "--title", "Acme Ltd")
    assert code == 0 and "Made profile acme" in out
    code, out, _ = run(capsys, "--profile", "acme", "list")
    assert "No saved connections yet" in out
    code, out, _ = run(capsys, "list", "--profile", "acme")  # after the command's name too
    assert "No saved connections yet" in out
    monkeypatch.setenv("X2DESK_PROFILE", "acme")
    code, out, _ = run(capsys, "list")
    assert "No saved connections yet" in out
    code, out, _ = run(capsys, "--profile", "default", "list")
    assert "Flower shop" in out
    monkeypatch.delenv("X2DESK_PROFILE")
    code, _, err = run(capsys, "--profile", "nope", "list")
    assert code == 2 and "profile add nope" in err
    code, out, _ = run(capsys, "profile", "use", "acme")
    assert code == 0 and profiles.active_profile() == "acme"
    code, out, _ = run(capsys, "profile", "list", "--json")
    table = {p["name"]: p for p in json.loads(out)}
    assert table["acme"]["active"] and table["acme"]["title"] == "Acme Ltd"
    assert table["default"]["connections"] == 3 and table["acme"]["connections"] == 0
    code, out, _ = run(capsys, "profile", "remove", "acme")
    assert code == 0 and "Removed profile acme" in out
    assert profiles.active_profile() == "default"
