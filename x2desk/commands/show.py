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
    from x2desk.core.home.rows import row_of
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
    row = row_of(record)
    status = row.status_text + (f": {row.reason}" if row.reason else "")
    if record.forgotten:
        status = _("forgotten {when}").format(when=format_datetime(record.forgotten_at or 0))
    facts = [
        (_("Label"), row.label),
        (_("Kind"), f"{row.kind_name} ({row.kind})"),
        (_("Id at the service"), record.external_id),
        (_("Chat"), "" if record.chat_id is None else str(record.chat_id)),
        (_("Address"), record.api_base or ""),
        (_("Company"), row.company),
        (_("Status"), status),
        (_("Last checked"), row.checked_text),
        (_("Secret kept as"), record.secret_ref or _("(none of its own)")),
        (_("Still to delete"), ", ".join(record.forget_left)),
        (_("Saved"), format_datetime(record.created_at)),
        (_("Changed"), format_datetime(record.updated_at)),
    ]
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
