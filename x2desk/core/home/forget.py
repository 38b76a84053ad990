"""Forget a saved connection so that the credential store and the records agree afterwards,
even when the store fails half way.

The steps: the record first says which secrets a forget is to delete (``forget_left``); each is
deleted from the credential store and the record updated after each one; when none is left the
record is marked forgotten (out of the list, its secret ref cleared, its history kept, a
"forgotten" event added). If the store fails, the record still names what is left and says so
(``Record.forgetting``), the history gets an "unfinished" event, and :func:`forget_connection`
run again deletes the rest and finishes. Deleting a secret that is already gone is no error, so
a crash between two steps is finished the same way.

Nothing is deleted at the remote service: :func:`forget_warning` says so for each kind (the
window's confirmation, the CLI's note). Blocking: run it in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.errors import StoreError, X2DeskError
from x2desk.core.kinds import KINDS, Service
from x2desk.core.store.records import EVENT_FORGET
from x2desk.i18n import _, ngettext

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record, RecordStore


@dataclass(frozen=True)
class ForgetResult:
    record: Record  # as it is now (forgotten, or still naming what is left)
    deleted: tuple[str, ...] = ()  # refs deleted from the credential store this time
    left: tuple[str, ...] = ()  # refs still in it (the store failed)
    error: X2DeskError | None = None  # why it stopped
    already: bool = False  # it had been forgotten before

    @property
    def done(self) -> bool:
        return self.record.forgotten


def refs_to_forget(record: Record) -> list[str]:
    """The credential-store refs a forget of ``record`` deletes (what an unfinished forget left,
    else its own secret)."""
    if record.forget_left:
        return list(record.forget_left)
    return [record.secret_ref] if record.secret_ref else []


def forget_connection(
    records: RecordStore, credentials: CredentialStore | None, record_id: int | str
) -> ForgetResult:
    """Delete the connection's secrets, then mark its record forgotten (see the module's doc).
    ``credentials`` may be None only for a connection without a secret of its own (a provider
    connection). A store failure is returned (``error``, ``left``), not raised."""
    record = records.get(record_id)
    if record.forgotten:
        return ForgetResult(record, already=True)
    left = refs_to_forget(record)
    if left and credentials is None:
        raise StoreError(_("The credential store is needed to forget this connection."))
    if left:
        record = records.set_forget_left(record.id, left)
    deleted: list[str] = []
    for ref in list(left):
        assert credentials is not None
        try:
            credentials.delete(ref)
        except Exception as exc:
            error = (
                exc
                if isinstance(exc, X2DeskError)
                else StoreError(
                    _("The credential store failed ({name}).").format(name=type(exc).__name__)
                )
            )
            records.add_event(record.id, EVENT_FORGET, "unfinished", error.key)
            return ForgetResult(records.get(record.id), tuple(deleted), tuple(left), error)
        left.remove(ref)
        deleted.append(ref)
        records.set_forget_left(record.id, left)
    return ForgetResult(records.mark_forgotten(record.id), tuple(deleted))


def forget_warning(record: Record, store: str | None = None) -> str:
    """What forgetting ``record`` does and does not do, for the confirmation (``store``: the
    credential store's description)."""
    where = store or _("the credential store")
    entry = KINDS.get("x2chat_bot" if record.kind == "x2chat" else record.kind)
    if entry is not None and entry.service is Service.X2CHAT:
        return _(
            "x2desk deletes the bot token from {store} and takes {label} off the list (its "
            "history stays). The bot stays at X2Chat: its token was handed to this computer, so "
            "it works elsewhere only once it is connected again."
        ).format(store=where, label=record.display_label)
    if entry is not None and entry.service is Service.GREENAPI:
        return _(
            "x2desk deletes the apiTokenInstance from {store} and takes {label} off the list (its "
            "history stays). The instance stays authorised at Green-API: log it out in the "
            "Green-API console if it should stop."
        ).format(store=where, label=record.display_label)
    return _(
        "x2desk takes {label} off the list (its history stays). The connection itself stays at "
        "the provider: only the provider's support can delete it, and that deletes its chats."
    ).format(label=record.display_label)


def forget_left_text(result: ForgetResult) -> str:
    """For people: what an unfinished forget left, and what to do."""
    from x2desk.core.texts import error_text

    left = ngettext(
        "The forget is not finished: {count} secret is still in the credential store ({refs}).",
        "The forget is not finished: {count} secrets are still in the credential store ({refs}).",
        len(result.left),
    ).format(count=len(result.left), refs=", ".join(result.left))
    said = error_text(result.error) if result.error else ""
    return " ".join(p for p in (left, said, _("Then forget it again to finish.")) if p)
