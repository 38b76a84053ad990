"""`x2desk forget ID`: delete a saved connection's secret from the credential store and mark its
record forgotten (it leaves the list; its history stays: ``x2desk history ID``).

The secret goes first, and the record says what is still to delete until it is gone
(:mod:`x2desk.core.home.forget`): if the credential store fails half way, the command says what
is left and exits with the store's error; run it again to finish. The store is opened by the
rule every command shares (``--passphrase-file``, ``$X2DESK_PASSPHRASE_FILE``, or a passphrase
typed in a terminal). Nothing is deleted at the remote service (a note on stderr says what
stays there).
"""

from __future__ import annotations

import argparse

from x2desk.commands.stores import add_passphrase_option
from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "id", metavar="ID", nargs="?", help=_("the connection's id, as 'x2desk list' shows it")
    )
    what.add_argument(
        "--leftovers",
        action="store_true",
        help=_("stop noting what earlier runs left unfinished (once you have dealt with it)"),
    )
    add_passphrase_option(parser)


def run(args: argparse.Namespace) -> int:
    if args.leftovers:
        return _forget_leftovers()
    from x2desk.commands.stores import open_store
    from x2desk.commands.terminal import say, show
    from x2desk.core.errors import StoreError
    from x2desk.core.home.forget import (
        forget_connection,
        forget_left_text,
        forget_warning,
        refs_to_forget,
    )
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    with RecordStore.open() as records:
        record = records.get(args.id)
        if record.forgotten:
            show(_("Connection {id} was already forgotten.").format(id=record.id))
            return 0
        store = open_store(args, create=False) if refs_to_forget(record) else None
        description = getattr(store, "description", None)
        say(forget_warning(record, description))
        result = forget_connection(records, store, record.id)
    if not result.done:  # what is left, the store's reason, and what to do (exit 20)
        raise StoreError(forget_left_text(result))
    show(
        _("Forgot connection {id} ({kind} {label}); its history stays.").format(
            id=record.id, kind=record.kind, label=record.display_label
        )
    )
    return 0


def _forget_leftovers() -> int:
    """Dismiss the journal's unfinished requests: the notes at start and doctor stop naming
    them (the journal keeps them, and a token they name is still known as used here)."""
    from x2desk.commands.terminal import show
    from x2desk.core.store.journal import open_journal
    from x2desk.i18n import ngettext

    with open_journal() as journal:
        unfinished = journal.unfinished()
        for intent in unfinished:
            journal.dismiss(intent.id)
    show(
        ngettext(
            "Dismissed {n} unfinished request of earlier runs.",
            "Dismissed {n} unfinished requests of earlier runs.",
            len(unfinished),
        ).format(n=len(unfinished))
    )
    return 0
