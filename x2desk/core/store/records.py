"""Non-secret records of every connection x2desk made, in SQLite under the data folder.

One row per connection, whatever its kind (one of :data:`x2desk.core.kinds.KINDS`), unique by
(kind, external_id): the bot_id, the provider's connection id or the Green-API idInstance. What
a finished flow did is recorded through :func:`x2desk.core.saving.record_connection`. The
secret itself is in the credential store under ``secret_ref``; this file never holds one (a
:class:`Secret` passed in is refused). Each upsert that names a flow or an outcome also appends
to the ``history`` table, so a second redeem of the same bot updates its record (same
secret_ref) and keeps what happened before.
The schema version is SQLite's ``user_version``; :data:`MIGRATIONS` upgrades older files.

Since schema 2 a record also keeps what the operator's home shows and does: a ``label`` a person
can tell apart (set by the flows through :func:`x2desk.core.saving.record_connection`, changed by
:meth:`RecordStore.rename`), its health (``status``: a :class:`~x2desk.core.status.Status`, a
short ``status_reason`` and ``checked_at``), and forgetting in two steps that survive a credential
store failing half way: ``forget_left`` (the refs still to delete) then ``forgotten_at`` (the
record stays, with its history, out of the list). :meth:`RecordStore.query` searches, filters and
sorts (:mod:`x2desk.core.store.record_query`).
"""

from __future__ import annotations

import builtins
import json
import sqlite3
from pathlib import Path
from typing import Any

from x2desk.core.clock import Clock
from x2desk.core.errors import InputError, NotFound
from x2desk.core.kinds import KINDS
from x2desk.core.status import Status
from x2desk.core.store.database import Database
from x2desk.core.store.record_query import RecordQuery, Sort, query_sql
from x2desk.core.store.record_schema import (
    FIELDS,
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryEvent,
    Record,
    record_from_row,
    refuse_secrets,
    search_text,
    sort_key,
)
from x2desk.i18n import N_, _

__all__ = [
    "FIELDS",
    "MIGRATIONS",
    "RECORDS_FILE",
    "SCHEMA_VERSION",
    "HistoryEvent",
    "Record",
    "RecordQuery",
    "RecordStore",
    "Sort",
    "check_label",
    "open_records",
]

RECORDS_FILE = "records.sqlite3"
MAX_LABEL = 100

# What the home's own changes write to the history's ``flow`` column (the flows write theirs).
EVENT_CHECK = "check"
EVENT_RENAME = "rename"
EVENT_FORGET = "forget"


def check_label(text: str) -> str:
    """A label as typed, trimmed (spaces inside folded to one): InputError when it is empty,
    too long or holds control characters."""
    label = " ".join((text or "").split())
    if not label:
        raise InputError(_("Type a label: a name people can tell this connection by."))
    if len(label) > MAX_LABEL:
        raise InputError(
            _("A label has at most {n} characters (this one has {count}).").format(
                n=MAX_LABEL, count=len(label)
            )
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in label):
        raise InputError(_("A label cannot hold control characters."))
    return label


class RecordStore(Database):
    """Connection records and their history. Thread-safe; use as a context manager or close()."""

    FILE = RECORDS_FILE
    WHAT = N_("records database")
    MIGRATIONS = MIGRATIONS

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        super().__init__(conn, path, clock)
        self._backfill()

    # ---- what the flows write ----

    def upsert(self, kind: str, external_id: str | int, **fields: Any) -> Record:
        """Create or update the record for (kind, external_id); return it.

        Only the fields given change (:data:`FIELDS`, and ``details``: a dict merged into the
        stored one). When ``flow`` or ``outcome`` is given, the event also goes to the history;
        an ``outcome`` (connected again) also brings a forgotten record back.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown connection kind {kind!r}")
        unknown = set(fields) - set(FIELDS) - {"details"}
        if unknown:
            raise TypeError(f"upsert() got unknown fields: {', '.join(sorted(unknown))}")
        for name, value in fields.items():
            refuse_secrets(name, value)
        details = fields.pop("details", None)
        if details is not None and not isinstance(details, dict):
            raise TypeError("details must be a dict")
        if "status" in fields:
            fields["status"] = Status(fields["status"]).value
        if "outcome" in fields:
            fields.update(forgotten_at=None, forget_left=None)
        external = str(external_id)
        now = self._clock.time()
        with self._transaction(write=True) as db:
            row = db.execute(
                "SELECT id, details FROM connections WHERE kind = ? AND external_id = ?",
                (kind, external),
            ).fetchone()
            if row is None:
                merged = dict(details or {})
                columns = ["kind", "external_id", "created_at", "updated_at", "details"]
                values: list[Any] = [kind, external, now, now, json.dumps(merged)]
                columns += list(fields)
                values += list(fields.values())
                marks = ", ".join("?" for _ in columns)
                cursor = db.execute(
                    f"INSERT INTO connections ({', '.join(columns)}) VALUES ({marks})", values
                )
                record_id = int(cursor.lastrowid or 0)
            else:
                record_id = int(row[0])
                merged = json.loads(row[1] or "{}")
                merged.update(details or {})
                self._update(db, record_id, now, details=json.dumps(merged), **fields)
            if "flow" in fields or "outcome" in fields:
                self._event(db, record_id, now, fields.get("flow"), fields.get("outcome"))
            self._derive(db, record_id)
        return self.get(record_id)

    def add_event(
        self, record_id: int, flow: str | None, outcome: str | None, note: str | None = None
    ) -> None:
        """Append to a record's history without changing the record (a failed re-pair, say)."""
        refuse_secrets("note", note)
        with self._transaction(write=True) as db:
            found = db.execute("SELECT 1 FROM connections WHERE id = ?", (record_id,)).fetchone()
            if found is None:
                raise NotFound()
            self._event(db, record_id, self._clock.time(), flow, outcome, note)

    # ---- what the home changes ----

    def rename(self, record_id: int | str, label: str) -> Record:
        """Give the connection a new label (:func:`check_label`); the history says from what."""
        record = self.get(record_id)
        new = check_label(label)
        old = record.display_label
        with self._transaction(write=True) as db:
            now = self._clock.time()
            self._update(db, record.id, now, label=new)
            self._event(db, record.id, now, EVENT_RENAME, "renamed", f"{old} → {new}")
            self._derive(db, record.id)
        return self.get(record.id)

    def set_status(self, record_id: int | str, status: Status, reason: str | None = None) -> Record:
        """What a check found: the status, its reason (no secret) and now; into the history."""
        record = self.get(record_id)
        status = Status(status)
        refuse_secrets("reason", reason)
        with self._transaction(write=True) as db:
            now = self._clock.time()
            db.execute(
                "UPDATE connections SET status = ?, status_reason = ?, checked_at = ? WHERE id = ?",
                (status.value, reason, now, record.id),
            )
            self._event(db, record.id, now, EVENT_CHECK, status.value, reason)
        return self.get(record.id)

    def set_forget_left(self, record_id: int | str, refs: builtins.list[str]) -> Record:
        """A forget is under way: these refs are still to be deleted from the credential store
        (written before each deletion, so a failure half way leaves the truth behind)."""
        record = self.get(record_id)
        with self._transaction(write=True) as db:
            self._update(db, record.id, None, forget_left=json.dumps(refs) if refs else None)
        return self.get(record.id)

    def mark_forgotten(self, record_id: int | str, note: str | None = None) -> Record:
        """Every secret of the connection is gone: it leaves the list, its history stays."""
        record = self.get(record_id)
        with self._transaction(write=True) as db:
            now = self._clock.time()
            self._update(db, record.id, now, forgotten_at=now, forget_left=None, secret_ref=None)
            self._event(db, record.id, now, EVENT_FORGET, "forgotten", note)
        return self.get(record.id)

    # ---- reading ----

    def now(self) -> float:
        """The store's clock (what its writes stamp)."""
        return self._clock.time()

    def list(
        self, kind: str | None = None, include_forgotten: bool = False
    ) -> builtins.list[Record]:
        """Every record (of ``kind``, if given), oldest first; forgotten ones only if asked."""
        query = RecordQuery.of(
            kinds=[kind] if kind else [], sort=Sort.CREATED, include_forgotten=include_forgotten
        )
        return self.query(query)

    def query(self, query: RecordQuery) -> builtins.list[Record]:
        """The records the home list asks for: searched, filtered and sorted."""
        sql, params = query_sql(query)
        with self._transaction() as db:
            cursor = db.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return [record_from_row(dict(zip(names, row, strict=True))) for row in rows]

    def count(self, include_forgotten: bool = False) -> int:
        where = "" if include_forgotten else " WHERE forgotten_at IS NULL"
        with self._transaction() as db:
            return int(db.execute("SELECT COUNT(*) FROM connections" + where).fetchone()[0])

    def get(self, record_id: int | str) -> Record:
        """The record with this id (forgotten too); :class:`NotFound` when there is none."""
        key = self._parse_id(record_id)
        with self._transaction() as db:
            cursor = db.execute("SELECT * FROM connections WHERE id = ?", (key,))
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        if row is None:
            raise NotFound(
                _("No saved connection has id {id}. Run 'x2desk list' to see them.").format(id=key)
            )
        return record_from_row(dict(zip(names, row, strict=True)))

    def find(self, kind: str, external_id: str | int) -> Record | None:
        """The record for (kind, external_id) (forgotten too), or None."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT id FROM connections WHERE kind = ? AND external_id = ?",
                (kind, str(external_id)),
            ).fetchone()
        return None if row is None else self.get(int(row[0]))

    def delete(self, record_id: int | str) -> Record:
        """Delete the record and its history; return what was deleted (for its secret_ref)."""
        record = self.get(record_id)
        with self._transaction(write=True) as db:
            db.execute("DELETE FROM history WHERE connection_id = ?", (record.id,))
            db.execute("DELETE FROM connections WHERE id = ?", (record.id,))
        return record

    def history(self, record_id: int | str) -> builtins.list[HistoryEvent]:
        """What happened to this connection, oldest first."""
        record = self.get(record_id)
        with self._transaction() as db:
            rows = db.execute(
                "SELECT at, flow, outcome, note FROM history WHERE connection_id = ? "
                "ORDER BY at, id",
                (record.id,),
            ).fetchall()
        return [HistoryEvent(at=r[0], flow=r[1], outcome=r[2], note=r[3]) for r in rows]

    # ---- helpers ----

    @staticmethod
    def _update(db: sqlite3.Connection, record_id: int, now: float | None, **fields: Any) -> None:
        if now is not None:
            fields["updated_at"] = now
        assignments = ", ".join(f"{name} = ?" for name in fields)
        db.execute(
            f"UPDATE connections SET {assignments} WHERE id = ?", [*fields.values(), record_id]
        )

    @staticmethod
    def _event(
        db: sqlite3.Connection,
        record_id: int,
        at: float,
        flow: str | None,
        outcome: str | None,
        note: str | None = None,
    ) -> None:
        db.execute(
            "INSERT INTO history (connection_id, at, flow, outcome, note) VALUES (?, ?, ?, ?, ?)",
            (record_id, at, flow, outcome, note),
        )

    @staticmethod
    def _derive(db: sqlite3.Connection, record_id: int) -> None:
        """Store what the list sorts and searches by, from the row as it now is."""
        cursor = db.execute("SELECT * FROM connections WHERE id = ?", (record_id,))
        names = [d[0] for d in cursor.description]
        record = record_from_row(dict(zip(names, cursor.fetchone(), strict=True)))
        db.execute(
            "UPDATE connections SET label_key = ?, search_text = ? WHERE id = ?",
            (sort_key(record.display_label), search_text(record), record_id),
        )

    def _backfill(self) -> None:
        """Records written before schema 2 get their sort key and search text."""
        with self._transaction() as db:
            missing = db.execute("SELECT id FROM connections WHERE search_text IS NULL").fetchall()
        if missing:
            with self._transaction(write=True) as db:
                for (record_id,) in missing:
                    self._derive(db, int(record_id))

    @staticmethod
    def _parse_id(record_id: int | str) -> int:
        if isinstance(record_id, bool):
            raise NotFound()
        if isinstance(record_id, int):
            return record_id
        text = str(record_id).strip()
        if not text.isdigit():
            raise NotFound(
                _(
                    "'{text}' is not a connection id: ids are whole numbers. Run 'x2desk list' "
                    "to see them."
                ).format(text=text[:40])
            )
        return int(text)


def open_records(path: Path | None = None, clock: Clock | None = None) -> RecordStore:
    """Shorthand for :meth:`RecordStore.open`."""
    return RecordStore.open(path, clock)
