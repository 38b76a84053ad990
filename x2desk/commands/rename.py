"""`x2desk rename ID LABEL`: give a saved connection a label people can tell it by."""

from __future__ import annotations

import argparse

from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", metavar="ID", help=_("the connection's id, as 'x2desk list' shows it")
    )
    parser.add_argument("label", metavar=_("LABEL"), help=_("the new label (up to 100 characters)"))


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import show
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    with RecordStore.open() as records:
        old = records.get(args.id).display_label
        record = records.rename(args.id, args.label)
    show(
        _("Renamed connection {id}: {old} → {new}.").format(
            id=record.id, old=old, new=record.display_label
        )
    )
    return 0
