"""SQLite records of connections and their history."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import NotFound, StoreError
from x2desk.core.secret import Secret
from x2desk.core.store import RecordStore
from x2desk.core.store.records import RECORDS_FILE, SCHEMA_VERSION


@pytest.fixture
def store(fake_clock: FakeClock) -> RecordStore:
    return RecordStore.open(clock=fake_clock)


def test_opens_under_x2desk_home_privately(x2desk_home: Path, store: RecordStore) -> None:
    assert store.path == x2desk_home / RECORDS_FILE
    assert store.path.exists()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.schema_version == SCHEMA_VERSION
    assert store.list() == []


def test_upsert_creates_then_updates_and_keeps_history(
    store: RecordStore, fake_clock: FakeClock
) -> None:
    first = store.upsert(
        "x2chat_bot",
        1234,
        username="shop_helper_bot",
        chat_id=987654321,
        api_base="https://ix.x2chat.com/api/v1",
        secret_ref="x2chat_bot:1234",
        flow="redeem_qr",
        outcome="ok",
        details={"first_name": "Shop helper"},
    )
    assert first.external_id == "1234"
    assert first.chat_id == 987654321
    assert first.created_at == first.updated_at == fake_clock.time()
    fake_clock.advance(60)
    second = store.upsert(
        "x2chat_bot", "1234", flow="redeem_paste", outcome="ok", details={"webhook": False}
    )
    assert second.id == first.id
    assert second.secret_ref == "x2chat_bot:1234"  # same ref: the rotated token replaces the old
    assert second.username == "shop_helper_bot"  # fields not given stay
    assert second.details == {"first_name": "Shop helper", "webhook": False}
    assert second.created_at == first.created_at
    assert second.updated_at == first.created_at + 60
    assert len(store.list()) == 1
    events = store.history(first.id)
    assert [(e.flow, e.outcome) for e in events] == [("redeem_qr", "ok"), ("redeem_paste", "ok")]
    assert events[1].at - events[0].at == 60


def test_many_kinds_and_filters(store: RecordStore) -> None:
    store.upsert("x2chat_bot", 1, username="a_bot")
    store.upsert("greenapi", "1101000001", name="Shop WhatsApp", secret_ref="greenapi:1101000001")
    store.upsert("telegram", "c-77", name="Owner's Telegram", details={"phone": "+44…21"})
    assert [r.kind for r in store.list()] == ["x2chat_bot", "greenapi", "telegram"]
    assert [r.external_id for r in store.list(kind="greenapi")] == ["1101000001"]
    found = store.find("telegram", "c-77")
    assert found is not None and found.details == {"phone": "+44…21"}
    assert store.find("telegram", "nope") is None
    assert store.list()[0].to_json()["username"] == "a_bot"


def test_get_and_delete(store: RecordStore) -> None:
    record = store.upsert("x2chat_bot", 5, flow="redeem_qr", outcome="ok")
    assert store.get(str(record.id)) == record  # ids typed on the command line
    deleted = store.delete(record.id)
    assert deleted.id == record.id
    with pytest.raises(NotFound, match=f"id {record.id}"):
        store.get(record.id)
    with pytest.raises(NotFound):
        store.delete(record.id)
    with pytest.raises(NotFound):
        store.history(record.id)
    with pytest.raises(NotFound, match="whole numbers"):
        store.get("abc")


def test_add_event(store: RecordStore, fake_clock: FakeClock) -> None:
    record = store.upsert("greenapi", "1101", flow="pair", outcome="ok")
    fake_clock.advance(5)
    store.add_event(record.id, "repair", "cancelled", note="closed the window")
    assert store.history(record.id)[-1].note == "closed the window"
    assert store.get(record.id).outcome == "ok"  # the record itself did not change
    with pytest.raises(NotFound):
        store.add_event(999, "x", "y")


def test_secrets_are_refused(store: RecordStore) -> None:
    secret = Secret("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq")
    with pytest.raises(TypeError):
        store.upsert("x2chat_bot", 1, username=secret)
    with pytest.raises(TypeError):
        store.upsert("x2chat_bot", 1, details={"token": secret})
    assert store.list() == []
    assert secret.reveal().encode() not in store.path.read_bytes()


def test_programmer_errors(store: RecordStore) -> None:
    with pytest.raises(ValueError, match="kind"):
        store.upsert("myspace", 1)
    with pytest.raises(TypeError, match="bot_token"):
        store.upsert("x2chat_bot", 1, bot_token="x")


def test_survives_reopen(fake_clock: FakeClock) -> None:
    with RecordStore.open(clock=fake_clock) as store:
        record = store.upsert("x2chat_bot", 9, username="nine_bot", flow="redeem_qr", outcome="ok")
    with RecordStore.open(clock=fake_clock) as again:
        assert again.get(record.id).username == "nine_bot"
        assert len(again.history(record.id)) == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer x2desk"):
        RecordStore.open(path)


def test_damaged_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"this is not a database, just junk " * 200)
    with pytest.raises(StoreError, match="damaged"):
        RecordStore.open(path)


def test_store_usable_from_another_thread(store: RecordStore) -> None:
    import threading

    results: list[int] = []
    thread = threading.Thread(target=lambda: results.append(store.upsert("x2chat_bot", 3).id))
    thread.start()
    thread.join(5)
    assert results and store.get(results[0]).external_id == "3"


def test_many_first_opens_at_once_migrate_once(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "race.sqlite3"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_it() -> None:
        start.wait()
        try:
            with RecordStore.open(path) as store:
                store.list()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with RecordStore.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
