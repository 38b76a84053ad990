"""Non-secret records of every connection x2desk made, in SQLite under the data folder.

One row per connection, whatever its kind (one of :data:`x2desk.core.kinds.KINDS`), unique by
(kind, external_id): the bot_id, the provider's connection id or the Green-API idInstance. What
a finished flow did is recorded through :func:`x2desk.core.saving.record_connection`. The
secret itself is in the credential store under ``secret_ref``; this file never holds one (a
:class:`Secret` passed in is refused). Each upsert that names a flow or an outcome also appends
to the ``history`` table, so a second redeem of the same bot updates its record (same
secret_ref) and keeps what happened before.
The schema version is SQLite's ``user_version``; :data:`MIGRATIONS` upgrades older files.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from x2desk.core.clock import Clock
from x2desk.core.errors import NotFound
from x2desk.core.kinds import KINDS
from x2desk.core.secret import Secret
from x2desk.core.store.database import Database

RECORDS_FILE = "records.sqlite3"


# Each entry upgrades the schema from version i to i + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE connections (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,
        external_id TEXT NOT NULL,
        name        TEXT,
        username    TEXT,
        chat_id,
        api_base    TEXT,
        secret_ref  TEXT,
        flow        TEXT,
        outcome     TEXT,
        created_at  REAL NOT NULL,
        updated_at  REAL NOT NULL,
        details     TEXT NOT NULL DEFAULT '{}',
        UNIQUE (kind, external_id)
    );
    CREATE TABLE history (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        at            REAL NOT NULL,
        flow          TEXT,
        outcome       TEXT,
        note          TEXT
    );
    CREATE INDEX history_by_connection ON history(connection_id, at);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# Fields upsert() accepts, besides details.
FIELDS = ("name", "username", "chat_id", "api_base", "secret_ref", "flow", "outcome")


@dataclass(frozen=True)
class Record:
    id: int
    kind: str
    external_id: str
    name: str | None
    username: str | None
    chat_id: int | str | None
    api_base: str | None
    secret_ref: str | None
    flow: str | None
    outcome: str | None
    created_at: float
    updated_at: float
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for ``x2desk list --json`` (nothing secret is in a record)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "external_id": self.external_id,
            "name": self.name,
            "username": self.username,
            "chat_id": self.chat_id,
            "api_base": self.api_base,
            "secret_ref": self.secret_ref,
            "flow": self.flow,
            "outcome": self.outcome,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class HistoryEvent:
    at: float
    flow: str | None
    outcome: str | None
    note: str | None = None


def _refuse_secrets(name: str, value: object) -> None:
    if isinstance(value, Secret):
        raise TypeError(f"{name}: a Secret never goes into the records database")
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_secrets(f"{name}.{key}", item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_secrets(name, item)


class RecordStore(Database):
    """Connection records and their history. Thread-safe; use as a context manager or close()."""

    FILE = RECORDS_FILE
    WHAT = "records database"
    MIGRATIONS = MIGRATIONS

    # ---- API ----

    def upsert(self, kind: str, external_id: str | int, **fields: Any) -> Record:
        """Create or update the record for (kind, external_id); return it.

        Only the fields given change (``name``, ``username``, ``chat_id``, ``api_base``,
        ``secret_ref``, ``flow``, ``outcome``, ``details``: a dict merged into the stored one).
        When ``flow`` or ``outcome`` is given, the event also goes to the history.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown connection kind {kind!r}")
        unknown = set(fields) - set(FIELDS) - {"details"}
        if unknown:
            raise TypeError(f"upsert() got unknown fields: {', '.join(sorted(unknown))}")
        for name, value in fields.items():
            _refuse_secrets(name, value)
        details = fields.pop("details", None)
        if details is not None and not isinstance(details, dict):
            raise TypeError("details must be a dict")
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
                assignments = ["updated_at = ?", "details = ?"]
                values = [now, json.dumps(merged)]
                assignments += [f"{name} = ?" for name in fields]
                values += list(fields.values())
                db.execute(
                    f"UPDATE connections SET {', '.join(assignments)} WHERE id = ?",
                    [*values, record_id],
                )
            if "flow" in fields or "outcome" in fields:
                db.execute(
                    "INSERT INTO history (connection_id, at, flow, outcome) VALUES (?, ?, ?, ?)",
                    (record_id, now, fields.get("flow"), fields.get("outcome")),
                )
        return self.get(record_id)

    def add_event(
        self, record_id: int, flow: str | None, outcome: str | None, note: str | None = None
    ) -> None:
        """Append to a record's history without changing the record (a failed re-pair, say)."""
        _refuse_secrets("note", note)
        with self._transaction(write=True) as db:
            found = db.execute("SELECT 1 FROM connections WHERE id = ?", (record_id,)).fetchone()
            if found is None:
                raise NotFound()
            db.execute(
                "INSERT INTO history (connection_id, at, flow, outcome, note) "
                "VALUES (?, ?, ?, ?, ?)",
                (record_id, self._clock.time(), flow, outcome, note),
            )

    def list(self, kind: str | None = None) -> builtins.list[Record]:
        """Every record (of ``kind``, if given), oldest first."""
        query = "SELECT * FROM connections"
        params: tuple[Any, ...] = ()
        if kind is not None:
            query += " WHERE kind = ?"
            params = (kind,)
        with self._transaction() as db:
            rows = db.execute(query + " ORDER BY created_at, id", params).fetchall()
            names = [d[0] for d in db.execute("SELECT * FROM connections LIMIT 0").description]
        return [self._record(dict(zip(names, row, strict=True))) for row in rows]

    def get(self, record_id: int | str) -> Record:
        """The record with this id; :class:`NotFound` (with a hint) when there is none."""
        key = self._parse_id(record_id)
        with self._transaction() as db:
            cursor = db.execute("SELECT * FROM connections WHERE id = ?", (key,))
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        if row is None:
            raise NotFound(f"No saved connection has id {key}. Run 'x2desk list' to see them.")
        return self._record(dict(zip(names, row, strict=True)))

    def find(self, kind: str, external_id: str | int) -> Record | None:
        """The record for (kind, external_id), or None."""
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
    def _parse_id(record_id: int | str) -> int:
        if isinstance(record_id, bool):
            raise NotFound()
        if isinstance(record_id, int):
            return record_id
        text = str(record_id).strip()
        if not text.isdigit():
            raise NotFound(
                f"'{text}' is not a connection id: ids are whole numbers. Run 'x2desk list' "
                "to see them."
            )
        return int(text)

    @staticmethod
    def _record(row: dict[str, Any]) -> Record:
        try:
            details = json.loads(row.get("details") or "{}")
        except ValueError:
            details = {}
        return Record(
            id=int(row["id"]),
            kind=row["kind"],
            external_id=row["external_id"],
            name=row["name"],
            username=row["username"],
            chat_id=row["chat_id"],
            api_base=row["api_base"],
            secret_ref=row["secret_ref"],
            flow=row["flow"],
            outcome=row["outcome"],
            created_at=float(row["created_at"]),
            updated_at=float(row["updated_at"]),
            details=details if isinstance(details, dict) else {},
        )


def open_records(path: Path | None = None, clock: Clock | None = None) -> RecordStore:
    """Shorthand for :meth:`RecordStore.open`."""
    return RecordStore.open(path, clock)
