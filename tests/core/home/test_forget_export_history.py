"""Forget (the keyring failing half way, then a retry), export for another system (contents,
mode 0600, atomic, no clobbering) and a connection's history as CSV."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import MemoryKeyring, MemoryStore
from keyring.errors import KeyringLocked
from saved_connections import provider_key, saved_bot, saved_instance, saved_provider_connection

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError, StoreError
from x2desk.core.home.export import Format, export_connection, plan_export
from x2desk.core.home.forget import forget_connection, forget_left_text, forget_warning
from x2desk.core.home.history import history_csv, history_lines, write_history_csv
from x2desk.core.secret import Secret
from x2desk.core.status import Status
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


class LockedOnDelete(MemoryKeyring):
    """A keyring that is locked when asked to delete, ``failures`` times."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def delete_password(self, service: str, username: str) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise KeyringLocked("locked")
        super().delete_password(service, username)


@pytest.fixture
def records(fake_clock: FakeClock) -> Iterator[RecordStore]:
    with RecordStore.open(clock=fake_clock) as store:
        yield store


def test_forget_with_the_keyring_failing_half_way_then_a_retry(records: RecordStore) -> None:
    backend = LockedOnDelete(failures=1)
    store = KeyringStore(backend)
    ref = "x2chat_bot:42"
    store.save(ref, Secret("42:bot-token-that-is-long-enough"))
    record = records.upsert(
        "x2chat_bot",
        42,
        username="shop_bot",
        secret_ref=ref,
        flow="x2chat_redeem",
        outcome="connected",
    )
    assert "stays at X2Chat" in forget_warning(record, store.description)

    first = forget_connection(records, store, record.id)
    assert not first.done and first.left == (ref,) and first.error is not None
    assert "locked" in first.error.message
    after = records.get(record.id)
    assert after.forgetting and after.forget_left == (ref,)  # the record says what is left
    assert store.load(ref) is not None  # and it is so
    assert [r.id for r in records.list()] == [record.id]
    assert ref in forget_left_text(first) and "forget it again" in forget_left_text(first)

    second = forget_connection(records, store, record.id)
    assert second.done and second.deleted == (ref,) and second.left == ()
    assert store.load(ref) is None and records.list() == []
    gone = records.get(record.id)
    assert gone.forgotten and gone.secret_ref is None and gone.forget_left == ()
    assert [(e.flow, e.outcome) for e in records.history(record.id)] == [
        ("x2chat_redeem", "connected"),
        ("forget", "unfinished"),
        ("forget", "forgotten"),
    ]
    assert forget_connection(records, store, record.id).already


def test_a_forget_interrupted_after_the_store_deleted_is_finished_by_a_retry(
    records: RecordStore,
) -> None:
    store = MemoryStore()
    record = records.upsert("greenapi", "1101000009", secret_ref="greenapi:1101000009")
    records.set_forget_left(record.id, ["greenapi:1101000009"])  # the secret was deleted, then
    result = forget_connection(records, store, record.id)  # x2desk died: nothing is there now
    assert result.done and records.list() == []


def test_a_provider_connection_has_no_secret_of_its_own_to_forget(records: RecordStore) -> None:
    record = records.upsert("whatsapp", 5, name="Shop")
    assert "only the provider's support" in forget_warning(record)
    result = forget_connection(records, None, record.id)
    assert result.done and result.deleted == ()


def test_export_a_bot_as_env_and_json_private_atomic_and_not_over_a_file(
    sandbox: SandboxServer, phone: SandboxPhone, records: RecordStore, tmp_path: Path
) -> None:
    store = MemoryStore()
    record, issued = saved_bot(phone, sandbox.url, store, records)
    token = phone.bot_token(issued["bot_id"])
    plan = plan_export(record)
    assert plan.names == ("BOT_TOKEN", "CHAT_ID", "API_BASE") and plan.secrets == ("BOT_TOKEN",)
    assert "BOT_TOKEN" in plan.warning and token not in plan.warning
    target = tmp_path / "bot.env"
    export_connection(records, store, record.id, target, Format.ENV)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().splitlines() == [
        f"BOT_TOKEN={token}",
        f"CHAT_ID={issued['chat_id']}",
        f"API_BASE={sandbox.url}/api/v1",
    ]
    with pytest.raises(InputError, match="already exists"):
        export_connection(records, store, record.id, target, Format.JSON)
    assert target.read_text().startswith("BOT_TOKEN=")  # untouched
    export_connection(records, store, record.id, target, Format.JSON, replace=True)
    assert json.loads(target.read_text()) == {
        "BOT_TOKEN": token,
        "CHAT_ID": issued["chat_id"],
        "API_BASE": f"{sandbox.url}/api/v1",
    }
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["bot.env"]  # no temp file
    notes = [e.note or "" for e in records.history(record.id) if e.flow == "export"]
    assert len(notes) == 2 and all(token not in n for n in notes)
    assert notes[0] == f"env → {target} (BOT_TOKEN, CHAT_ID, API_BASE)"
    with pytest.raises(InputError, match="does not exist"):
        export_connection(records, store, record.id, tmp_path / "no" / "x.env", Format.ENV)


def test_export_an_instance_and_a_provider_connection_key_only_when_asked(
    sandbox: SandboxServer, phone: SandboxPhone, records: RecordStore, tmp_path: Path
) -> None:
    store = MemoryStore()
    instance, made = saved_instance(phone, sandbox.url, store, records)
    export_connection(records, store, instance.id, tmp_path / "i.json", Format.JSON)
    assert json.loads((tmp_path / "i.json").read_text()) == {
        "ID_INSTANCE": str(made["idInstance"]),
        "API_TOKEN_INSTANCE": made["apiTokenInstance"],
        "API_URL": sandbox.url,
    }
    key = provider_key(phone, sandbox.url, store)
    conn = saved_provider_connection(sandbox.url, key, records)
    export_connection(records, store, conn.id, tmp_path / "c.env", Format.ENV)
    lines = (tmp_path / "c.env").read_text().splitlines()
    assert lines == [
        f"CONNECTION_ID={conn.external_id}",
        "CONNECTION_TYPE=telegram_bot",
        f"COMPANY_ID={conn.company_id}",
        f"PROVIDER_URL={sandbox.url}/v2",
    ]
    assert plan_export(conn).secrets == ()
    export_connection(
        records, store, conn.id, tmp_path / "k.env", Format.ENV, include_provider_key=True
    )
    assert f"PROVIDER_API_KEY={key.reveal()}" in (tmp_path / "k.env").read_text()
    store.items.clear()
    with pytest.raises(StoreError, match="Nothing was written"):
        export_connection(records, store, instance.id, tmp_path / "gone.env", Format.ENV)
    assert not (tmp_path / "gone.env").exists()


def test_history_as_csv_never_holds_a_secret(
    records: RecordStore, fake_clock: FakeClock, tmp_path: Path
) -> None:
    record = records.upsert("telegram", 12, name="Shop", flow="telegram_qr", outcome="connected")
    fake_clock.advance(60)
    records.set_status(record.id, Status.NEEDS_REAUTH, "Logged out at the provider.")
    records.rename(record.id, "Flower shop")
    lines = history_lines(records, record.id)
    assert [line.what for line in lines] == [
        "Telegram account, by QR: connected",
        "Checked: needs re-authorisation",
        "Renamed: renamed",
    ]
    rows = list(csv.reader(io.StringIO(history_csv(lines))))
    assert rows[0] == ["time", "event", "outcome", "what", "note"]
    assert rows[2][1:3] == ["check", "needs_reauth"] and rows[2][4] == "Logged out at the provider."
    assert rows[1][0].startswith("2027-01-15T") and rows[1][0][-6] in "+-"  # ISO, with offset
    write_history_csv(tmp_path / "h.csv", lines)
    assert stat.S_IMODE((tmp_path / "h.csv").stat().st_mode) == 0o600
    with pytest.raises(TypeError):
        records.add_event(record.id, "check", "x", Secret("hidden-value"))  # type: ignore[arg-type]
