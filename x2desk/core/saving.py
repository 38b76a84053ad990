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

from x2desk.i18n import _

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


def default_label(
    kind: str,
    external_id: str | int,
    *,
    name: str | None = None,
    username: str | None = None,
    phone: str | None = None,
) -> str:
    """The label a connection gets when the person gives none, one they can tell apart: a bot's
    ``@username``; an account's name as the provider returns it, else its phone, else the kind
    and its id (``Telegram account #12``); a Green-API instance's id, with its phone when known.
    The wizards prefill their label field with it."""
    from x2desk.core.kinds import KINDS, Service

    entry = KINDS.get("x2chat_bot" if kind == "x2chat" else kind)
    kind_name = _(entry.name) if entry is not None else kind
    if entry is not None and entry.service is Service.X2CHAT:
        return f"@{username}" if username else (name or f"{kind_name} {external_id}")
    if entry is not None and entry.service is Service.GREENAPI:
        generic = {f"Green-API {external_id}", ""}
        if name and name not in generic:
            return name
        return f"Green-API {external_id}" + (f" · {phone}" if phone else "")
    if name and not _is_kind_name(name):
        return name
    return f"{kind_name} {phone}" if phone else f"{kind_name} #{external_id}"


def _is_kind_name(name: str) -> bool:
    """A provider connection named only by its kind (nobody typed a name)."""
    from x2desk.core.kinds import KINDS

    return any(name in (k.name, _(k.name)) for k in KINDS.values())


def record_connection(
    kind: str,
    external_id: str | int,
    *,
    flow: str,
    outcome: Outcome,
    records: RecordStore | None = None,
    label: str | None = None,
    phone: str | None = None,
    **fields: Any,
) -> Record:
    """Create or update the record of (``kind``, ``external_id``) with what ``flow`` did.

    ``fields`` are the record's own (``name``, ``username``, ``chat_id``, ``api_base``,
    ``secret_ref``, ``details``: merged into the stored details). ``label``: what the person
    typed; without one a new record (or one that never had a label) gets :func:`default_label`
    (``phone`` helps it), and a renamed one keeps its own. The status is what the flow just
    learnt (a provider connection's status, an authorised instance), else "not checked".
    ``records``: an open store (otherwise the default one is opened and closed here)."""
    if not isinstance(outcome, Outcome):
        raise TypeError(f"outcome must be an Outcome, not {outcome!r}")
    if records is None:
        from x2desk.core.store.records import RecordStore

        with RecordStore.open() as own:
            return record_connection(
                kind,
                external_id,
                flow=flow,
                outcome=outcome,
                records=own,
                label=label,
                phone=phone,
                **fields,
            )
    from x2desk.core.home.verdicts import connect_verdict
    from x2desk.core.store.records import check_label

    existing = records.find(kind, external_id)
    if label:
        fields["label"] = check_label(label)
    elif existing is None or not existing.label:
        fields["label"] = default_label(
            kind,
            external_id,
            name=fields.get("name"),
            username=fields.get("username"),
            phone=phone,
        )
    verdict = connect_verdict(kind, fields.get("details") or {})
    fields.update(
        status=verdict.status,
        status_reason=verdict.reason,
        checked_at=records.now() if verdict.checked else None,
    )
    return records.upsert(kind, external_id, flow=flow, outcome=outcome.value, **fields)


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
