"""What a connection record is: the records database's schema (:data:`MIGRATIONS`), the
:class:`Record` and :class:`HistoryEvent` read from it, and what is derived from a row when it is
written (the sort key of its label, the text a search looks in). The store itself is
:mod:`x2desk.core.store.records`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from x2desk.core.secret import Secret
from x2desk.core.status import Status

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
    # 2: the operator's home (issue 14). search_text NULL: computed when the store opens.
    """
    ALTER TABLE connections ADD COLUMN label TEXT;
    ALTER TABLE connections ADD COLUMN label_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE connections ADD COLUMN search_text TEXT;
    ALTER TABLE connections ADD COLUMN status TEXT NOT NULL DEFAULT 'not_checked';
    ALTER TABLE connections ADD COLUMN status_reason TEXT;
    ALTER TABLE connections ADD COLUMN checked_at REAL;
    ALTER TABLE connections ADD COLUMN forgotten_at REAL;
    ALTER TABLE connections ADD COLUMN forget_left TEXT;
    CREATE INDEX connections_by_status ON connections(forgotten_at, status);
    CREATE INDEX connections_by_kind ON connections(forgotten_at, kind);
    CREATE INDEX connections_by_label ON connections(forgotten_at, label_key);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# Fields upsert() accepts, besides details.
FIELDS = (
    "name",
    "username",
    "chat_id",
    "api_base",
    "secret_ref",
    "flow",
    "outcome",
    "label",
    "status",
    "status_reason",
    "checked_at",
)


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
    label: str | None = None
    status: Status = Status.NOT_CHECKED
    status_reason: str | None = None
    checked_at: float | None = None
    forgotten_at: float | None = None
    forget_left: tuple[str, ...] = ()  # refs a forget has still to delete from the store

    @property
    def forgotten(self) -> bool:
        return self.forgotten_at is not None

    @property
    def forgetting(self) -> bool:
        """A forget began and the credential store still holds some of its secrets."""
        return bool(self.forget_left) and not self.forgotten

    @property
    def display_label(self) -> str:
        """What a person sees: the label, else one made from what is known."""
        from x2desk.core.saving import default_label

        if self.label:
            return self.label
        return default_label(self.kind, self.external_id, name=self.name, username=self.username)

    @property
    def company_id(self) -> str | None:
        """The provider company the connection lives in, when recorded."""
        value = self.details.get("company_id")
        return None if value is None or value == "" else str(value)

    @property
    def company_name(self) -> str | None:
        value = self.details.get("company")
        return value if isinstance(value, str) and value else None

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
            "label": self.display_label,
            "status": self.status.value,
            "status_reason": self.status_reason,
            "checked_at": self.checked_at,
            "forgotten_at": self.forgotten_at,
            "forget_left": list(self.forget_left),
        }


@dataclass(frozen=True)
class HistoryEvent:
    at: float
    flow: str | None
    outcome: str | None
    note: str | None = None


def refuse_secrets(name: str, value: object) -> None:
    if isinstance(value, Secret):
        raise TypeError(f"{name}: a Secret never goes into the records database")
    if isinstance(value, dict):
        for key, item in value.items():
            refuse_secrets(f"{name}.{key}", item)
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_secrets(name, item)


def record_from_row(row: dict[str, Any]) -> Record:
    """A :class:`Record` from a ``SELECT *`` row (column name -> value)."""
    try:
        details = json.loads(row.get("details") or "{}")
    except ValueError:
        details = {}
    try:
        left = json.loads(row.get("forget_left") or "[]")
    except ValueError:
        left = []
    try:
        status = Status(row.get("status") or Status.NOT_CHECKED)
    except ValueError:
        status = Status.NOT_CHECKED
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
        label=row.get("label"),
        status=status,
        status_reason=row.get("status_reason"),
        checked_at=row.get("checked_at"),
        forgotten_at=row.get("forgotten_at"),
        forget_left=tuple(str(r) for r in left) if isinstance(left, list) else (),
    )


def sort_key(text: str) -> str:
    """How labels sort: case-insensitively in any script (SQLite's NOCASE knows ASCII only)."""
    return " ".join(text.casefold().split())


def search_text(record: Record) -> str:
    """Everything a search looks in, case-folded: the label, the names, the ids, the company."""
    parts = [
        record.display_label,
        record.name,
        record.username,
        record.external_id,
        record.chat_id,
        record.company_name,
        record.company_id,
    ]
    return sort_key(" ".join(str(p) for p in parts if p is not None and p != ""))
