"""`x2desk list [--json]`: the saved connections. Records hold no secret; none is printed."""

from __future__ import annotations

import argparse
import json
import time

HELP = "List saved connections (secrets masked)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the records as JSON")


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def run(args: argparse.Namespace) -> int:
    from x2desk.core.printable import json_safe, printable
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        rows = records.list()
    if args.json:
        print(json_safe(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False)))
        return 0
    if not rows:
        print("No saved connections yet. Connect one with 'x2desk redeem' or the window.")
        return 0
    table: list[tuple[str, ...]] = [("ID", "KIND", "NAME", "CHAT", "OUTCOME", "UPDATED")]
    for r in rows:
        name = f"@{r.username}" if r.username else (r.name or r.external_id)
        chat = "" if r.chat_id is None else str(r.chat_id)
        cells = (str(r.id), r.kind, name, chat, r.outcome or "", _when(r.updated_at))
        table.append(tuple(printable(cell) for cell in cells))  # names came from servers
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    return 0
