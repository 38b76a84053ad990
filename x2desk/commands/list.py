"""`x2desk list [--search TEXT] [--kind KIND] [--status STATUS] [--sort BY] [--all] [--json]`: the
saved connections of the profile, with their labels and statuses. Records hold no secret; none is
printed."""

from __future__ import annotations

import argparse
import json

from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from x2desk.core.kinds import KINDS
    from x2desk.core.status import Status
    from x2desk.core.store.record_query import Sort

    parser.add_argument(
        "--search", metavar=_("TEXT"), default="", help=_("only those matching TEXT")
    )
    parser.add_argument(
        "--kind", action="append", choices=sorted(KINDS), default=[], help=_("only this kind")
    )
    parser.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in Status],
        default=[],
        help=_("only this status"),
    )
    parser.add_argument(
        "--sort", choices=[s.value for s in Sort], default=Sort.LABEL.value, help=_("order by")
    )
    parser.add_argument("--desc", action="store_true", help=_("the other way round"))
    parser.add_argument("--all", action="store_true", help=_("forgotten connections too"))
    parser.add_argument("--json", action="store_true", help=_("print the records as JSON"))


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import show
    from x2desk.core.home.rows import row_of
    from x2desk.core.printable import json_safe, printable
    from x2desk.core.store.record_query import RecordQuery, Sort
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    query = RecordQuery.of(
        args.search,
        args.kind,
        args.status,
        sort=Sort(args.sort),
        descending=args.desc,
        include_forgotten=args.all,
    )
    with RecordStore.open() as records:
        found = records.query(query)
    if args.json:
        print(json_safe(json.dumps([r.to_json() for r in found], indent=2, ensure_ascii=False)))
        return 0
    if not found:
        if args.search or args.kind or args.status:
            show(_("No saved connection matches."))
        else:
            show(_("No saved connections yet. Connect one with 'x2desk redeem' or the window."))
        return 0
    table: list[tuple[str, ...]] = [
        (_("ID"), _("KIND"), _("LABEL"), _("STATUS"), _("CHECKED"), _("DETAIL"))
    ]
    for record in found:
        row = row_of(record)
        status = _("forgotten") if record.forgotten else row.status_text
        cells = (str(row.id), row.kind, row.label, status, row.checked_text, row.where)
        table.append(tuple(printable(cell) for cell in cells))  # names came from servers
    print_table(table)
    return 0


def print_table(table: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell (cells already escaped)."""
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
