"""`x2desk check ID [ID...]` or `x2desk check --all`: ask each connection's service whether it
still works (a bot: getMe and its webhook; a provider connection: its status there; a Green-API
instance: getStateInstance), write what was found to the record and its history, and print it.

``--all`` checks every saved connection of the profile one after another, ``--interval`` seconds
apart (default 1; longer when a service asks to slow down), with progress on stderr; Ctrl-C
stops it (what was checked is kept). ``--test-message [TEXT]`` also sends each bot a test
message. Exit 0 when every connection checked works, 1 when some need attention (each says why).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from x2desk.commands.stores import add_passphrase_option
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.home.check_all import Progress
    from x2desk.core.home.checks import Checker, CheckResult

EXIT_ATTENTION = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", metavar="ID", nargs="*", help=_("the connections to check"))
    parser.add_argument("--all", action="store_true", help=_("every saved connection"))
    parser.add_argument(
        "--interval", type=float, default=1.0, metavar="S", help=_("--all: S s between checks")
    )
    parser.add_argument(
        "--test-message",
        nargs="?",
        const="",
        metavar=_("TEXT"),
        help=_("also send each bot a test message (TEXT, or x2desk's greeting)"),
    )
    add_passphrase_option(parser)


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.stores import open_store
    from x2desk.core.errors import InputError
    from x2desk.core.home.check_all import CheckAll
    from x2desk.core.home.checks import Checker
    from x2desk.core.status import Status
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    if bool(args.ids) == bool(args.all):
        raise InputError(_("Name the connections to check (their ids), or give --all."))
    if args.interval < 0:
        raise InputError(_("--interval cannot be negative."))
    store = open_store(args, create=False)
    with RecordStore.open() as records, Checker(records, store) as checker:
        ids = [records.get(i).id for i in args.ids]  # NotFound before anything is sent
        run_all = CheckAll.of(checker, interval_s=args.interval) if args.all else None
        steps = run_all or CheckAll(checker, ids, interval_s=args.interval)
        for progress in steps:
            _report(progress, args.all)
            if progress.result is not None and args.test_message is not None:
                _test_message(checker, progress.result, args.test_message)
        results = steps.results
    attention = [r for r in results if r.status is not Status.WORKS]
    return _summary(len(results), len(attention))


def _report(progress: Progress, with_progress: bool) -> None:
    from x2desk.commands.terminal import say, show

    result = progress.result
    if with_progress:
        say(f"[{progress.done}/{progress.total}]")
    if result is None:
        return
    reason = f": {result.reason}" if result.reason else ""
    show(f"{result.record_id}  {result.label}  {result.status.text}{reason}")


def _test_message(checker: Checker, result: CheckResult, text: str) -> None:
    from x2desk.commands.terminal import say
    from x2desk.core.errors import X2DeskError
    from x2desk.core.status import Status
    from x2desk.core.texts import error_text
    from x2desk.i18n import _

    if result.kind != "x2chat_bot" or result.status is not Status.WORKS:
        return
    try:
        sent = checker.send_test_message(result.record_id, text or None)
    except X2DeskError as exc:
        say(_("  The test message was not sent: {why}").format(why=error_text(exc, "x2chat")))
        return
    say(_("  Test message sent (message {id}).").format(id=sent.message_id))


def _summary(checked: int, attention: int) -> int:
    from x2desk.commands.terminal import say
    from x2desk.i18n import ngettext

    if attention:
        say(
            ngettext(
                "{n} connection needs attention ({total} checked).",
                "{n} connections need attention ({total} checked).",
                attention,
            ).format(n=attention, total=checked)
        )
        return EXIT_ATTENTION
    say(
        ngettext(
            "{n} connection checked: it works.", "{n} connections checked: all work.", checked
        ).format(n=checked)
    )
    return 0
