"""Creating a provider connection so that it is never orphaned (issue 17 item 2): the provider
cannot delete connections, so each one it made must be known here.

:func:`create_recorded` writes the journal's intent before the create goes out, records the
connection with its id the moment the create answers (before anything else is asked of it, e.g.
a WhatsApp status), and completes the intent. A refusal abandons the intent (nothing was made);
a lost answer or a 5xx leaves it unfinished, so the next start says the connection may exist.
If the record cannot be written, the connection is still returned (the flow goes on) and the
intent stays ``answered``: the audit names its id.

:func:`unfinished_connection` finds a connection made here that was never finished (a WhatsApp
connection created, its QR never scanned), so a second run continues with it instead of
creating another. No Qt; blocking (HTTP, SQLite): call from a worker or the session's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    InputError,
    InvalidAuth,
    NotEditable,
    RateLimited,
    RequestRejected,
    ScopeMissing,
    ServerError,
    StoreError,
    SubscriptionRequired,
    X2DeskError,
)
from x2desk.core.saving import Outcome, record_connection
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.accounts.client import Connection, ConnectionsClient
    from x2desk.core.store.records import Record

log = logging.getLogger(__name__)

# The create certainly made nothing after these: the intent is abandoned.
REFUSALS: tuple[type[X2DeskError], ...] = (
    CannotConnect,
    RequestRejected,
    InvalidAuth,
    SubscriptionRequired,
    ScopeMissing,
    RateLimited,
    NotEditable,
    InputError,
)
MAYBE_MADE = N_(
    "The request to create the connection was sent but no answer came back: it may exist "
    "already. x2desk noted it ('x2desk doctor' lists it); look in the provider's list of "
    "connections before creating another."
)


def create_recorded(
    client: ConnectionsClient,
    flow: str,
    name: str,
    type: str,
    params: Mapping[str, str | Secret] | None = None,
    *,
    outcome: Outcome = Outcome.CONNECTED,
) -> tuple[Connection, Record | None]:
    """Create the connection and record it at once; (the connection, its record or None when
    the record could not be written). StoreError before anything is sent when the journal
    cannot be written; the create's own errors otherwise (a maybe-made one as AnswerLost)."""
    from x2desk.core.store.journal import open_journal

    with open_journal() as journal:
        intent = journal.begin(flow, "create", origin=client.base_url)
        try:
            connection = client.create_connection(name, type, params)
        except X2DeskError as exc:
            if isinstance(exc, REFUSALS):
                journal.abandon(intent, exc.key)
                raise
            if isinstance(exc, AnswerLost | ServerError | BadAnswer):
                raise AnswerLost(_(MAYBE_MADE)) from None
            raise
        journal.answered(intent, connection.id)
        record = _record(client, flow, connection, outcome)
        if record is not None:
            journal.complete(intent)
    return connection, record


def _record(
    client: ConnectionsClient, flow: str, connection: Connection, outcome: Outcome
) -> Record | None:
    try:
        return record_connection(
            connection.type,
            connection.id,
            flow=flow,
            outcome=outcome,
            name=connection.name or None,
            api_base=client.base_url,
            details={"status": connection.status, "provider_connection_id": connection.id},
        )
    except (StoreError, ValueError) as exc:
        log.warning("connection %s made but not recorded: %s", connection.id, type(exc).__name__)
        return None


def unfinished_connection(kind: str, base_url: str) -> Record | None:
    """The newest connection of ``kind`` this computer created at ``base_url`` and never
    finished (recorded as :attr:`Outcome.CREATED`), or None (also when the records cannot be
    read: then a new one is made, as before)."""
    from x2desk.core.store.records import open_records

    try:
        with open_records() as records:
            found = [
                r
                for r in records.list(kind)
                if r.outcome == Outcome.CREATED.value and r.api_base == base_url
            ]
    except StoreError as exc:
        log.info("records not read for an unfinished %s: %s", kind, exc.key)
        return None
    return max(found, key=lambda r: r.updated_at) if found else None
