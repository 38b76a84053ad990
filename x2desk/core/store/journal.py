"""The journal of what is on the wire: an intent is written before a redeem (or a provider's
create) goes out, and completed once what the server handed over is stored.

Why: the server may commit (spend the token, create the connection) while x2desk is killed or
its answer is lost. Then nothing else remembers that a request went out, and a spent token or an
orphaned connection goes unnoticed. With the journal, the next start (window, CLI, ``doctor``)
finds the unfinished intent and says what to do.

An intent holds what was attempted (the flow and the action), when, against which API (no
secret: the address is scrubbed) and a one-way hash of the integration token, never the token.
It moves ``sent`` -> ``answered`` (the server named the bot or connection) -> ``saved`` (the
secret is in the credential store) -> ``done`` (the record is written); or ``abandoned`` when it
is certain the server did nothing (nothing was sent, or it refused); or ``dismissed`` once the
person has dealt with an unfinished one (``x2desk forget --leftovers``). Finished intents are kept
:data:`RETENTION_S` then pruned. The journal is ``journal.sqlite3`` in the data folder; writes
hold the store lock like every store write, and each commit is synced before it returns, so an
intent is on disk before the request leaves.

A flow's calls, in order::

    intent = journal.begin("x2chat_bot", "redeem", origin=api_base, token=token)
    answer = client.redeem(token)            # on CannotConnect or a refusal: journal.abandon()
    journal.answered(intent, answer.bot_id)
    store.save(ref, answer.bot_token); journal.saved(intent, ref)
    records.upsert(...);               journal.complete(intent)

:func:`x2desk.core.store.audit.audit` turns the leftovers into findings with what to do.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from x2desk.core.clock import Clock
from x2desk.core.errors import NotFound
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret
from x2desk.core.store.database import Database
from x2desk.i18n import N_, _

JOURNAL_FILE = "journal.sqlite3"
RETENTION_S = 30 * 24 * 3600.0

Action = Literal["redeem", "create"]
State = Literal["sent", "answered", "saved", "done", "abandoned", "dismissed"]
ACTIONS: tuple[str, ...] = get_args(Action)
UNFINISHED: tuple[State, ...] = ("sent", "answered", "saved")

MIGRATIONS: list[str] = [
    """
    CREATE TABLE intents (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        flow          TEXT NOT NULL,
        action        TEXT NOT NULL,
        kind          TEXT NOT NULL,
        origin        TEXT,
        token_sha256  TEXT,
        state         TEXT NOT NULL,
        external_id   TEXT,
        secret_ref    TEXT,
        note          TEXT,
        started_at    REAL NOT NULL,
        updated_at    REAL NOT NULL
    );
    CREATE INDEX intents_by_state ON intents(state);
    CREATE INDEX intents_by_token ON intents(token_sha256);
    """,
]


@dataclass(frozen=True)
class Intent:
    id: int
    flow: str  # a core.kinds FLOWS id ("x2chat_bot", "whatsapp"...)
    action: Action
    kind: str  # the record kind it makes
    origin: str | None
    token_sha256: str | None
    state: State
    external_id: str | None
    secret_ref: str | None
    note: str | None
    started_at: float
    updated_at: float

    @property
    def unfinished(self) -> bool:
        return self.state in UNFINISHED


def token_hash(token: str | Secret) -> str:
    """The one-way hash the journal keeps of an integration token (never the token)."""
    text = token.reveal() if isinstance(token, Secret) else token
    return hashlib.sha256(b"x2desk-intent\0" + text.strip().lower().encode("utf-8")).hexdigest()


class Journal(Database):
    """The intents. Thread-safe; use as a context manager or close()."""

    FILE = JOURNAL_FILE
    WHAT = N_("journal")
    MIGRATIONS = MIGRATIONS

    # ---- the flow's calls ----

    def begin(
        self,
        flow: str,
        action: Action,
        *,
        kind: str | None = None,
        origin: str | None = None,
        token: str | Secret | None = None,
    ) -> int:
        """Write the intent (synced) before the request goes out; its id for the calls after."""
        from x2desk.core.kinds import FLOWS

        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        kind = kind or FLOWS[flow].kind
        now = self._clock.time()
        digest = None if token is None else token_hash(token)
        with self._transaction(write=True) as db:
            db.execute(
                "DELETE FROM intents WHERE state IN ('done', 'abandoned', 'dismissed') "
                "AND updated_at < ?",
                (now - RETENTION_S,),
            )
            cursor = db.execute(
                "INSERT INTO intents (flow, action, kind, origin, token_sha256, state, "
                "started_at, updated_at) VALUES (?, ?, ?, ?, ?, 'sent', ?, ?)",
                (flow, action, kind, origin and scrub(origin), digest, now, now),
            )
        return int(cursor.lastrowid or 0)

    def answered(self, intent_id: int, external_id: str | int) -> None:
        """The server answered and named the bot or connection (``external_id``)."""
        self._move(intent_id, "answered", external_id=str(external_id))

    def saved(self, intent_id: int, secret_ref: str | None) -> None:
        """What the server handed over is in the credential store under ``secret_ref`` (None
        when the connection has no secret of its own, e.g. a provider connection)."""
        self._move(intent_id, "saved", secret_ref=secret_ref)

    def complete(self, intent_id: int) -> None:
        """The record is written: nothing is left to do."""
        self._move(intent_id, "done")

    def abandon(self, intent_id: int, note: str) -> None:
        """The server certainly did nothing (nothing was sent, or it refused): forget it."""
        self._move(intent_id, "abandoned", note=scrub(note)[:200])

    def dismiss(self, intent_id: int) -> None:
        """The person dealt with this unfinished intent: it is no longer reported (a token it
        names is still known as used here)."""
        self._move(intent_id, "dismissed")

    def _move(self, intent_id: int, state: State, **fields: str | None) -> None:
        assignments = ["state = ?", "updated_at = ?"] + [f"{name} = ?" for name in fields]
        values = [state, self._clock.time(), *fields.values(), intent_id]
        with self._transaction(write=True) as db:
            cursor = db.execute(f"UPDATE intents SET {', '.join(assignments)} WHERE id = ?", values)
            if cursor.rowcount == 0:
                raise NotFound(
                    _("No journal entry has id {intent_id}.").format(intent_id=intent_id)
                )

    # ---- reading ----

    def get(self, intent_id: int) -> Intent:
        found = self._select("WHERE id = ?", (intent_id,))
        if not found:
            raise NotFound(_("No journal entry has id {intent_id}.").format(intent_id=intent_id))
        return found[0]

    def unfinished(self) -> list[Intent]:
        """Intents that went out and were not completed, oldest first."""
        marks = ", ".join("?" for _ in UNFINISHED)
        return self._select(f"WHERE state IN ({marks})", UNFINISHED)

    def for_token(self, token: str | Secret) -> list[Intent]:
        """Earlier intents with this integration token (a re-scanned QR), oldest first."""
        return self._select("WHERE token_sha256 = ?", (token_hash(token),))

    def _select(self, where: str, params: tuple[object, ...]) -> list[Intent]:
        with self._transaction() as db:
            rows = db.execute(
                "SELECT id, flow, action, kind, origin, token_sha256, state, external_id, "
                f"secret_ref, note, started_at, updated_at FROM intents {where} "
                "ORDER BY started_at, id",
                params,
            ).fetchall()
        return [
            Intent(
                id=int(r[0]),
                flow=r[1],
                action=cast(Action, r[2]),
                kind=r[3],
                origin=r[4],
                token_sha256=r[5],
                state=cast(State, r[6]),
                external_id=r[7],
                secret_ref=r[8],
                note=r[9],
                started_at=float(r[10]),
                updated_at=float(r[11]),
            )
            for r in rows
        ]


def open_journal(path: Path | None = None, clock: Clock | None = None) -> Journal:
    """Shorthand for :meth:`Journal.open`."""
    return Journal.open(path, clock)
