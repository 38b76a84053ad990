"""`x2desk show ID [--json]`: everything x2desk knows of one saved connection but its secrets:
the label, kind, ids, addresses, company, status (why, when checked), where its secret is kept
(the credential store's ref, never the secret) and its last events."""

from __future__ import annotations

import argparse
import json

from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", metavar="ID", help=_("the connection's id, as 'x2desk list' shows it")
    )
    parser.add_argument("--json", action="store_true", help=_("print it as JSON"))


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import show
    from x2desk.core.home.history import history_lines
    from x2desk.core.home.rows import facts as record_facts
    from x2desk.core.printable import json_safe
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _, format_datetime

    with RecordStore.open() as records:
        record = records.get(args.id)
        lines = history_lines(records, record.id)
    if args.json:
        data = record.to_json() | {"history": [line.__dict__ for line in lines]}
        print(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
        return 0
    facts = record_facts(record)
    width = max(len(name) for name, _value in facts)
    show(_("Connection {id}").format(id=record.id))
    for name, value in facts:
        if value:
            show(f"  {name.ljust(width)}  {value}")
    if lines:
        show(_("Last events (x2desk history {id} for all):").format(id=record.id))
        for line in lines[-5:]:
            note = f" ({line.note})" if line.note else ""
            show(f"  {format_datetime(line.at)}  {line.what}{note}")
    return 0
