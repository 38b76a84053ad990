"""``x2desk connect green-api --batch FILE``: pair many Green-API instances from one CSV file
(``id, token, apiUrl, label`` a line; :mod:`x2desk.core.greenapi.batch`), one after another.

Every line is checked first: a bad one is said with its line number and what is wrong (never
its token) and left out. Each good line's token goes to the credential store as it is read, with
a record of the instance; the file is not copied anywhere. Then each instance is paired in turn
through the same terminal loop as ``connect green-api`` (its QR drawn, the cloud password asked
without echo, ``--if-authorised`` for one already paired). When one fails, a terminal asks
whether to retry it, skip it or stop; without a terminal the batch goes on. A table of every
line's outcome ends it on stdout. A line without an apiUrl gets the one ``--api-url``,
``--sandbox-url``, ``$X2DESK_GREENAPI_URL`` or the settings give, else the instance's own.
Exit 0 when every instance was paired, 1 otherwise (the instances not paired stay in the list:
pair them later, one by one or from the window).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from x2desk.commands import session_loop
from x2desk.commands.connect_greenapi import STOPPED, GreenApiTerminal, _choose, resolve_api_url
from x2desk.core.errors import InputEnded, InputError, X2DeskError
from x2desk.i18n import _, ngettext

if TYPE_CHECKING:
    from x2desk.core.greenapi.batch import BatchQueue, BatchRow
    from x2desk.core.session.machine import Snapshot
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import RecordStore

EXIT_NOT_ALL = 1


class BatchTerminal(GreenApiTerminal):
    """The Green-API terminal, plus what a batch asks after a failure. Tests give their own."""

    def after_failure(self) -> str:
        """``retry``, ``skip`` or ``quit`` (the end of input: quit)."""
        print(
            _("Retry it, skip it, or stop the batch? [r/s/q] "), end="", file=self.err, flush=True
        )
        answer = sys.stdin.readline().strip().lower()
        return {"r": "retry", "s": "skip", "q": "quit"}.get(
            answer[:1], "quit" if not answer else "skip"
        )


def run(
    args: argparse.Namespace,
    term: GreenApiTerminal | None = None,
    runtime: session_loop.Runtime | None = None,
) -> int:
    from x2desk.commands.stores import open_store
    from x2desk.core.greenapi.batch import BatchQueue
    from x2desk.core.store.records import open_records

    if args.instance or args.token_file:
        raise InputError(
            _("--batch reads the instances from its file: leave out --instance and --token-file.")
        )
    if args.interval < 1:
        raise InputError(_("--interval must be at least 1 second."))
    term = term or BatchTerminal()
    store = open_store(args)
    with open_records() as records:
        queue = BatchQueue.read(
            Path(args.batch), store, records, api_url_for=lambda i: resolve_api_url(args, i)
        )
        for error in queue.errors:
            term.say(error.text)
        if not queue.rows:
            raise InputError(
                _(
                    "No instance could be read from {path}: fix the lines above and run it again."
                ).format(path=args.batch)
            )
        term.say(
            ngettext(
                "{n} instance read; its token is saved in {store}.",
                "{n} instances read; their tokens are saved in {store}.",
                len(queue.rows),
            ).format(n=len(queue.rows), store=getattr(store, "description", "the store"))
        )
        runtime = runtime or session_loop.make_runtime()
        try:
            _pair_all(queue, args, term, runtime, store, records)
        finally:
            runtime.close()
    _table(queue)
    return 0 if all(r.state.value == "done" for r in queue.rows) else EXIT_NOT_ALL


def _pair_all(
    queue: BatchQueue,
    args: argparse.Namespace,
    term: GreenApiTerminal,
    runtime: session_loop.Runtime,
    store: CredentialStore,
    records: RecordStore,
) -> None:
    from x2desk.core.greenapi.batch import RowState

    while (row := queue.next()) is not None:
        number = queue.rows.index(row) + 1
        term.say(
            _("[{n}/{total}] Green-API instance {id} ({label}), line {line}").format(
                n=number, total=len(queue.rows), id=row.id_instance, label=row.label, line=row.line
            )
        )
        _pair_one(queue, row, args, term, runtime, store, records)
        if row.state is not RowState.FAILED:
            continue
        term.say(_("Not paired: {why}").format(why=row.reason))
        choice = (
            term.after_failure() if term.interactive and isinstance(term, BatchTerminal) else ""
        )
        if choice == "retry":
            queue.retry(row)
        elif choice == "quit":
            return


def _pair_one(
    queue: BatchQueue,
    row: BatchRow,
    args: argparse.Namespace,
    term: GreenApiTerminal,
    runtime: session_loop.Runtime,
    store: CredentialStore,
    records: RecordStore,
) -> None:
    from x2desk.core.texts import error_text

    snap: Snapshot | None = None
    pairing = queue.pairing(
        row,
        store,
        records,
        clock=runtime.clock,
        scheduler=runtime.scheduler,
        interval_s=args.interval,
    )
    try:
        snap = session_loop.drive(
            pairing,
            term,
            runtime.wait,
            stopped=_(STOPPED),
            choose=lambda s: _choose(pairing, term, s, args.if_authorised),
        )
    except InputEnded as exc:
        queue.fail(row, exc.message, records, exc.key)
        raise
    except X2DeskError as exc:
        queue.fail(row, error_text(exc, "greenapi"), records, exc.key)
    finally:
        pairing.close()
        pairing.client.close()
    if snap is not None:
        queue.finish(row, snap, records)


def _table(queue: BatchQueue) -> None:
    from x2desk.commands.list import print_table
    from x2desk.core.printable import printable

    table: list[tuple[str, ...]] = [(_("LINE"), _("INSTANCE"), _("LABEL"), _("STATE"), _("WHY"))]
    for row in queue.rows:
        cells = (str(row.line), row.id_instance, row.label, row.state.value, row.reason)
        table.append(tuple(printable(c) for c in cells))
    print_table(table)
