"""What the operator's home keeps in the records: labels, statuses, forgetting in two steps,
the list's search, filters and order (300 rows), and a records file written before schema 2."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import write_v1_records

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError
from x2desk.core.saving import Outcome, default_label, record_connection
from x2desk.core.status import Status
from x2desk.core.store.record_query import RecordQuery, Sort
from x2desk.core.store.records import SCHEMA_VERSION, RecordStore


@pytest.fixture
def store(fake_clock: FakeClock) -> RecordStore:
    return RecordStore.open(clock=fake_clock)


def test_the_flows_labels_tell_connections_apart(store: RecordStore) -> None:
    bot = record_connection(
        "x2chat_bot",
        77,
        flow="x2chat_redeem",
        outcome=Outcome.CONNECTED,
        records=store,
        name="shop_bot",
        username="shop_bot",
        chat_id=5,
    )
    one = record_connection(
        "telegram",
        12,
        flow="telegram_qr",
        outcome=Outcome.CONNECTED,
        records=store,
        name="Telegram account",
        details={"status": "active"},
    )
    two = record_connection(
        "telegram",
        13,
        flow="telegram_code",
        outcome=Outcome.CONNECTED,
        records=store,
        name="Telegram account",
        phone="+447700900123",
        details={"status": "waiting"},
    )
    named = record_connection(
        "whatsapp",
        14,
        flow="whatsapp",
        outcome=Outcome.CONNECTED,
        records=store,
        name="Flower shop",
    )
    paired = record_connection(
        "greenapi",
        "1101000001",
        flow="greenapi_qr",
        outcome=Outcome.CONNECTED,
        records=store,
        name="Green-API 1101000001",
        details={"stateInstance": "authorized"},
    )
    assert bot.label == "@shop_bot"
    assert one.label == "Telegram account #12"
    assert two.label == "Telegram account +447700900123"
    assert named.label == "Flower shop"
    assert paired.label == "Green-API 1101000001"
    assert default_label("greenapi", "1101000001", phone="+79161234567") == (
        "Green-API 1101000001 · +79161234567"
    )
    # what the flow learnt is the status; a bot is not checked until it is
    assert (bot.status, bot.checked_at) == (Status.NOT_CHECKED, None)
    assert one.status is Status.WORKS and one.checked_at is not None
    assert two.status is Status.UNPAID and "subscription" in (two.status_reason or "")
    assert paired.status is Status.WORKS


def test_a_renamed_label_survives_a_reauthorisation(
    store: RecordStore, fake_clock: FakeClock
) -> None:
    first = record_connection(
        "telegram",
        12,
        flow="telegram_qr",
        outcome=Outcome.CONNECTED,
        records=store,
        name="Telegram account",
    )
    fake_clock.advance(5)
    renamed = store.rename(first.id, "  Flower   shop  ")
    assert renamed.label == "Flower shop"
    again = record_connection(
        "telegram",
        12,
        flow="telegram_qr",
        outcome=Outcome.REAUTHORISED,
        records=store,
        name="Telegram account",
        details={"status": "unauthorized"},
    )
    assert again.label == "Flower shop"
    assert again.status is Status.NEEDS_REAUTH
    events = [(e.flow, e.outcome, e.note) for e in store.history(first.id)]
    assert ("rename", "renamed", "Telegram account #12 → Flower shop") in events
    assert events[-1][:2] == ("telegram_qr", "reauthorised")
    for bad in ("", "   ", "x" * 101, "red\x1b[31m"):
        with pytest.raises(InputError):
            store.rename(first.id, bad)


def test_set_status_writes_the_record_and_the_history(
    store: RecordStore, fake_clock: FakeClock
) -> None:
    record = store.upsert("greenapi", "1101000002", name="X")
    fake_clock.advance(60)
    checked = store.set_status(record.id, Status.NEEDS_REAUTH, "Not paired any more.")
    assert checked.status is Status.NEEDS_REAUTH
    assert checked.status_reason == "Not paired any more."
    assert checked.checked_at == fake_clock.time()
    assert [(e.flow, e.outcome) for e in store.history(record.id)] == [("check", "needs_reauth")]


def test_forgetting_in_two_steps_keeps_the_history(store: RecordStore) -> None:
    record = store.upsert(
        "x2chat_bot", 1, secret_ref="x2chat_bot:1", flow="x2chat_redeem", outcome="connected"
    )
    half = store.set_forget_left(record.id, ["x2chat_bot:1"])
    assert half.forgetting and not half.forgotten
    assert [r.id for r in store.list()] == [record.id]  # still listed, saying what is left
    done = store.mark_forgotten(record.id)
    assert done.forgotten and not done.forgetting and done.secret_ref is None
    assert store.list() == [] and store.count() == 0
    assert [r.id for r in store.list(include_forgotten=True)] == [record.id]
    assert [e.outcome for e in store.history(record.id)] == ["connected", "forgotten"]
    # connecting it again brings it back
    back = store.upsert("x2chat_bot", 1, flow="x2chat_redeem", outcome="connected")
    assert not back.forgotten and [r.id for r in store.list()] == [record.id]


KINDS = ("telegram", "whatsapp", "max_personal", "greenapi", "x2chat_bot", "telegram_bot")
STATUSES = list(Status)


def fill(store: RecordStore, fake_clock: FakeClock, n: int = 300) -> None:
    for i in range(n):
        fake_clock.advance(1)
        kind = KINDS[i % len(KINDS)]
        record = store.upsert(kind, 1000 + i, name=f"Shop {i:03d}", label=f"Shop {i:03d}")
        if i % 5:
            store.set_status(record.id, STATUSES[i % len(STATUSES)], "because")
    store.upsert("telegram", 9999, label="Цветочный МАГАЗИН")


def test_query_searches_filters_and_sorts_300_rows(
    store: RecordStore, fake_clock: FakeClock
) -> None:
    fill(store, fake_clock)
    everything = store.query(RecordQuery())
    assert len(everything) == 301
    labels = [r.display_label for r in everything]
    assert labels[:3] == ["Shop 000", "Shop 001", "Shop 002"]  # by label
    assert labels[-1] == "Цветочный МАГАЗИН"
    # search: case-insensitive in any script, every word must be found
    assert [r.external_id for r in store.query(RecordQuery(text="цветочный магазин"))] == ["9999"]
    found = store.query(RecordQuery(text="SHOP 12"))
    expected = [r for r in everything if "12" in r.display_label + r.external_id]
    assert [r.id for r in found] == [r.id for r in expected] and len(found) > 11
    assert store.query(RecordQuery(text="1042"))[0].display_label == "Shop 042"  # by its id
    assert store.query(RecordQuery(text="100%")) == []  # LIKE's wildcards are plain text
    telegram = store.query(RecordQuery.of(kinds=["telegram"]))
    assert len(telegram) == 51 and {r.kind for r in telegram} == {"telegram"}
    broken = store.query(RecordQuery.of(statuses=["needs_reauth", "unpaid"], kinds=["whatsapp"]))
    assert broken and all(
        r.kind == "whatsapp" and r.status in (Status.NEEDS_REAUTH, Status.UNPAID) for r in broken
    )
    by_status = store.query(RecordQuery(sort=Sort.STATUS))
    ranks = [r.status.attention for r in by_status]
    assert ranks == sorted(ranks) and by_status[0].status is Status.NEEDS_REAUTH
    by_checked = store.query(RecordQuery(sort=Sort.CHECKED))
    stamps = [r.checked_at for r in by_checked]
    assert stamps[0] == max(s for s in stamps if s is not None) and stamps[-1] is None
    page = store.query(RecordQuery(sort=Sort.LABEL, descending=True, limit=10, offset=5))
    assert [r.display_label for r in page] == labels[::-1][5:15]


def test_the_list_filters_are_served_by_an_index(store: RecordStore) -> None:
    from x2desk.core.store.record_query import query_sql

    sql, params = query_sql(RecordQuery.of(kinds=["telegram"], statuses=["works"]))
    with sqlite3.connect(store.path) as db:
        plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "USING INDEX connections_by_" in plan


def test_a_records_file_from_before_schema_2_keeps_working(x2desk_home: Path) -> None:
    write_v1_records(x2desk_home / "records.sqlite3")
    with RecordStore.open() as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        bot, account = store.list()
        assert bot.display_label == "@old_bot" and bot.status is Status.NOT_CHECKED
        assert account.display_label == "ÉCOLE Fleurie"
        assert [r.id for r in store.query(RecordQuery(text="école"))] == [account.id]
        assert [e.outcome for e in store.history(bot.id)] == ["connected"]
        store.rename(bot.id, "Old bot")
    with RecordStore.open() as store:  # opened again: nothing to fill in twice
        assert store.get(1).label == "Old bot"
