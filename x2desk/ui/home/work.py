"""What the home view's actions do, as blocking calls for its workers (no Qt here): each opens
the active profile's record store and, where a secret is needed, the credential store the
window uses (the encrypted file it already opened, else the one the settings chose), does one
thing through :mod:`x2desk.core.home`, and closes them again.

The credential store may be locked (the encrypted file without its passphrase): the call then
raises :class:`~x2desk.core.errors.PassphraseRequired`, the view asks for the passphrase and
runs it again. Nothing here returns or logs a secret.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from x2desk.core.home.checks import Checker, CheckResult
    from x2desk.core.home.export import ExportPlan, Format
    from x2desk.core.home.forget import ForgetResult
    from x2desk.core.home.history import HistoryLine
    from x2desk.core.home.rows import Row
    from x2desk.core.profiles import Profile
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.record_query import RecordQuery
    from x2desk.core.store.records import Record, RecordStore
    from x2desk.core.x2chat.client import SentMessage


@dataclass(frozen=True)
class Listing:
    """What the home list shows: the rows the query found, how many there are in all, and the
    profiles (the active one's name)."""

    rows: list[Row]
    total: int
    profiles: list[Profile]
    active: str


@dataclass(frozen=True)
class Details:
    """One connection for its details dialog: what ``x2desk show`` says, and its history."""

    record: Record
    facts: list[tuple[str, str]]
    history: list[HistoryLine]


def credential_store(held: CredentialStore | None) -> CredentialStore:
    """The store the window opened already, else the one the settings chose (PassphraseRequired
    when that is the encrypted file: the window asks for its passphrase)."""
    if held is not None:
        return held
    from x2desk.core.store.credentials import open_credential_store

    return open_credential_store()


@contextmanager
def records() -> Iterator[RecordStore]:
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as store:
        yield store


def list_connections(query: RecordQuery) -> Listing:
    """The rows ``query`` finds, the count of all, and the profiles."""
    from x2desk.core.home.rows import row_of
    from x2desk.core.profiles import active_profile, list_profiles

    with records() as store:
        rows = [row_of(r) for r in store.query(query)]
        total = store.count()
    return Listing(rows, total, list_profiles(), active_profile())


@contextmanager
def checker(
    held: CredentialStore | None, known_keys: dict[tuple[str, str | None], Secret]
) -> Iterator[Checker]:
    from x2desk.core.home.checks import Checker

    credentials = credential_store(held)
    with records() as store, Checker(store, credentials, known_keys=known_keys) as check:
        yield check


def check_one(
    record_id: int,
    held: CredentialStore | None,
    known_keys: dict[tuple[str, str | None], Secret],
) -> CheckResult:
    with checker(held, known_keys) as check:
        return check.check(record_id)


def send_test_message(
    record_id: int,
    held: CredentialStore | None,
    known_keys: dict[tuple[str, str | None], Secret],
) -> SentMessage:
    with checker(held, known_keys) as check:
        return check.send_test_message(record_id)


def rename(record_id: int, label: str) -> Record:
    with records() as store:
        return store.rename(record_id, label)


def get(record_id: int) -> Record:
    with records() as store:
        return store.get(record_id)


def forget(record_id: int, held: CredentialStore | None) -> ForgetResult:
    """Forget the connection (:func:`x2desk.core.home.forget.forget_connection`); a provider
    connection has no secret of its own and needs no credential store."""
    from x2desk.core.home.forget import forget_connection, refs_to_forget

    with records() as store:
        record = store.get(record_id)
        credentials = credential_store(held) if refs_to_forget(record) else None
        return forget_connection(store, credentials, record_id)


def plan_export(record_id: int, include_provider_key: bool = False) -> ExportPlan:
    from x2desk.core.home.export import plan_export as plan

    with records() as store:
        return plan(store.get(record_id), include_provider_key=include_provider_key)


def export(
    record_id: int,
    path: Path,
    fmt: Format,
    held: CredentialStore | None,
    include_provider_key: bool = False,
) -> ExportPlan:
    """Write the export file (the person chose the path and agreed to replace it, if it was
    there: the save dialog asked)."""
    from x2desk.core.home.export import export_connection

    credentials = credential_store(held)
    with records() as store:
        return export_connection(
            store,
            credentials,
            record_id,
            path,
            fmt,
            include_provider_key=include_provider_key,
            replace=True,
        )


def details(record_id: int) -> Details:
    from x2desk.core.home.history import history_lines
    from x2desk.core.home.rows import facts

    with records() as store:
        record = store.get(record_id)
        return Details(record, facts(record), history_lines(store, record.id))


def export_history(record_id: int, path: Path) -> int:
    """Write the connection's history as CSV to ``path`` (replacing it: the dialog asked);
    how many lines."""
    from x2desk.core.home.history import history_lines, write_history_csv

    with records() as store:
        lines = history_lines(store, record_id)
    write_history_csv(path, lines, replace=True)
    return len(lines)
