"""`x2desk forget ID`: delete a saved connection's secret, then its record.

The secret goes first: if the credential store fails, the record stays, so the command can be
run again. The store is opened by the rule every command shares (``--passphrase-file``,
``$X2DESK_PASSPHRASE_FILE``, or a passphrase typed in a terminal). Nothing is deleted at the
remote service (the bot keeps working elsewhere only if it is connected there again: its token
was rotated to this computer).
"""

from __future__ import annotations

import argparse

from x2desk.commands.stores import add_passphrase_option

HELP = "Delete a saved connection and its secret"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "id", metavar="ID", nargs="?", help="the connection's id, as 'x2desk list' shows it"
    )
    what.add_argument(
        "--leftovers",
        action="store_true",
        help="stop noting what earlier runs left unfinished (once you have dealt with it)",
    )
    add_passphrase_option(parser)


def run(args: argparse.Namespace) -> int:
    if args.leftovers:
        return _forget_leftovers()
    from x2desk.commands.stores import open_store
    from x2desk.commands.terminal import show
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    with RecordStore.open() as records:
        record = records.get(args.id)
        if record.secret_ref:
            open_store(args, create=False).delete(record.secret_ref)
        records.delete(record.id)
    name = f"@{record.username}" if record.username else (record.name or record.external_id)
    show(
        _("Forgot connection {id} ({kind} {name}) and its secret.").format(
            id=record.id, kind=record.kind, name=name
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
