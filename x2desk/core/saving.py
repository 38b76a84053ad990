"""Saving a finished connection, the same way for every service and for the GUI and the CLI alike:
the one vocabulary of what happened (:class:`Outcome`), the one function that records it
(:func:`record_connection`), and the stores a flow saves into (the one the user chose, or the
encrypted file chosen instead when the keyring fails: :func:`open_file_store`).

The secret goes to the credential store first, then the record (so a record never points at a
secret that is not there); this module writes the record. No Qt, blocking: call from a worker.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record, RecordStore


class Outcome(StrEnum):
    """What a finished flow did to a connection (the record's ``outcome`` and its history)."""

    CONNECTED = "connected"  # a new connection, or the same one connected anew (a new token)
    REAUTHORISED = "reauthorised"  # the same connection logged in again
    REPAIRED = "repaired"  # a saved Green-API instance paired again (or kept as it was)
    CREATED = "created"  # made at the provider, not linked yet (a WhatsApp QR not scanned)


def record_connection(
    kind: str,
    external_id: str | int,
    *,
    flow: str,
    outcome: Outcome,
    records: RecordStore | None = None,
    **fields: Any,
) -> Record:
    """Create or update the record of (``kind``, ``external_id``) with what ``flow`` did.

    ``fields`` are the record's own (``name``, ``username``, ``chat_id``, ``api_base``,
    ``secret_ref``, ``details``: merged into the stored details). ``records``: an open store
    (otherwise the default one is opened and closed here)."""
    if not isinstance(outcome, Outcome):
        raise TypeError(f"outcome must be an Outcome, not {outcome!r}")
    if records is not None:
        return records.upsert(kind, external_id, flow=flow, outcome=outcome.value, **fields)
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as own:
        return own.upsert(kind, external_id, flow=flow, outcome=outcome.value, **fields)


def is_locked(exc: BaseException) -> bool:
    """The credentials are in the encrypted file and it is not open (or the passphrase was
    wrong): the person must type its passphrase."""
    from x2desk.core.errors import PassphraseRequired, WrongPassphrase

    return isinstance(exc, PassphraseRequired | WrongPassphrase)


def open_records() -> RecordStore:
    """The default record store (the data folder's SQLite file)."""
    from x2desk.core.store.records import RecordStore

    return RecordStore.open()


def open_chosen_store() -> CredentialStore:
    """The credential store the user chose (the OS keyring unless they chose the file)."""
    from x2desk.core.store.credentials import open_credential_store

    return open_credential_store()


def open_file_store(passphrase: Secret) -> CredentialStore:
    """The encrypted file store instead of a failing keyring: the file already chosen, opened
    with ``passphrase``, or a new one (which becomes the choice)."""
    from x2desk.core.store.credentials import open_credential_store, use_encrypted_file
    from x2desk.core.store.settings import load_settings

    settings = load_settings()
    if settings.credential_store == "encrypted_file":
        return open_credential_store(settings, passphrase)
    return use_encrypted_file(passphrase)
