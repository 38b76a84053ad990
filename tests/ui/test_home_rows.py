"""The home list reads a record's own fields (no guessing): a named connection shows its name and
its kind, an unnamed one its kind, a bot its @username; what a row offers comes from core.kinds."""

from __future__ import annotations

from x2desk.core.kinds import Fix
from x2desk.core.store.records import RecordStore
from x2desk.ui.home.view import load_rows, row_from_record


def test_rows_show_the_names_and_kinds_of_saved_records() -> None:
    with RecordStore.open() as records:
        bot = records.upsert("x2chat_bot", "77", name="shop_bot", username="shop_bot", chat_id=92)
        named = records.upsert("max_personal", 3, name="Sales MAX", api_base="https://p/v2")
        unnamed = records.upsert("telegram", 4, name=None, api_base="https://p/v2")
        green = records.upsert("greenapi", "1101000042", name="Green-API 1101000042")
    rows = {r.id: r for r in load_rows()}
    assert rows[str(bot.id)].title == "@shop_bot"
    assert rows[str(bot.id)].detail.startswith("chat 92 · saved ")
    assert rows[str(named.id)].title == "Sales MAX" and rows[str(named.id)].kind == "MAX account"
    assert "connection 3" in rows[str(named.id)].detail
    assert rows[str(unnamed.id)].title == "Telegram account"  # no name: the kind's
    assert rows[str(green.id)].detail.startswith("instance 1101000042 · saved ")
    fixes = {r.raw_kind: r.fix for r in rows.values()}
    assert fixes == {
        "x2chat_bot": None,
        "max_personal": Fix.REAUTHORISE,
        "telegram": Fix.REAUTHORISE,
        "greenapi": Fix.REPAIR,
    }
    assert rows[str(named.id)].api_base == "https://p/v2"


def test_a_bot_without_its_username_is_named_by_its_kind() -> None:
    with RecordStore.open() as records:
        record = records.upsert("x2chat_bot", "9", name="", username="", chat_id=None)
    row = row_from_record(record)
    assert row.title == "X2Chat bot" and row.kind == "X2Chat bot"
    assert row.detail.startswith("saved ")
