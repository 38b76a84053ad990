"""`x2desk history ID [--csv FILE]`: what happened to a saved connection (onboarding attempts,
checks, changes), when; never a secret. ``--csv FILE`` writes it as CSV (``-``: standard output;
an existing FILE only with ``--force``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", metavar="ID", help=_("the connection's id, as 'x2desk list' shows it")
    )
    parser.add_argument("--csv", metavar=_("FILE"), help=_("write it as CSV to FILE ('-': stdout)"))
    parser.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import say, show
    from x2desk.core.home.history import history_csv, history_lines, write_history_csv
    from x2desk.core.printable import printable
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _, format_datetime, ngettext

    with RecordStore.open() as records:
        record = records.get(args.id)
        lines = history_lines(records, record.id)
    if args.csv == "-":
        sys.stdout.write(printable(history_csv(lines), keep_newlines=True))
        return 0
    if args.csv:
        write_history_csv(Path(args.csv), lines, replace=args.force)
        say(
            ngettext(
                "Wrote {n} event of {label} to {path}.",
                "Wrote {n} events of {label} to {path}.",
                len(lines),
            ).format(n=len(lines), label=record.display_label, path=args.csv)
        )
        return 0
    show(
        _("History of {label} (connection {id}):").format(label=record.display_label, id=record.id)
    )
    for line in lines:
        note = f" ({line.note})" if line.note else ""
        show(f"  {format_datetime(line.at)}  {line.what}{note}")
    return 0
