"""`x2desk forget ID`: delete a saved connection's secret, then its record.

The secret goes first: if the credential store fails, the record stays, so the command can be
run again. Nothing is deleted at the remote service (the bot keeps working elsewhere only if
it is connected there again: its token was rotated to this computer).
"""

from __future__ import annotations

import argparse

HELP = "Delete a saved connection and its secret"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the connection's id, as 'x2desk list' shows it")


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.redeem import ask_passphrase, interactive
    from x2desk.core.errors import PassphraseRequired
    from x2desk.core.store.credentials import open_credential_store
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        record = records.get(args.id)
        if record.secret_ref:
            try:
                store = open_credential_store()
            except PassphraseRequired:
                if not interactive():
                    raise
                store = open_credential_store(
                    passphrase=ask_passphrase("Passphrase for the credentials file: ")
                )
            store.delete(record.secret_ref)
        records.delete(record.id)
    name = f"@{record.username}" if record.username else (record.name or record.external_id)
    print(f"Forgot connection {record.id} ({record.kind} {name}) and its secret.")
    return 0
