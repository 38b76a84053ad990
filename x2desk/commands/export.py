"""`x2desk export ID --format env|json --out FILE`: hand a saved connection over to another
system, as a ``.env`` or JSON file with what that system needs (a bot: BOT_TOKEN, CHAT_ID,
API_BASE; a Green-API instance: ID_INSTANCE, API_TOKEN_INSTANCE, API_URL; a provider connection:
CONNECTION_ID, CONNECTION_TYPE, COMPANY_ID, PROVIDER_URL, and PROVIDER_API_KEY only with
``--with-provider-key``).

The rules (:mod:`x2desk.core.home.export`): a warning naming every variable and which are
secrets goes to stderr first; FILE is written atomically, readable by its owner only (0600); an
existing FILE is refused unless ``--force``. The secrets never go to standard output unless it
is asked for by name, ``--out -`` (then the warning says so on stderr). Never the clipboard. The
credential store is opened by the rule every command shares (``--passphrase-file``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from x2desk.commands.stores import add_passphrase_option
from x2desk.i18n import _

STDOUT = "-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", metavar="ID", help=_("the connection's id, as 'x2desk list' shows it")
    )
    parser.add_argument(
        "--format", choices=("env", "json"), required=True, help=_("the file's form")
    )
    parser.add_argument(
        "--out",
        metavar=_("FILE"),
        required=True,
        help=_("where to write it (mode 0600); '-' writes the secrets to standard output"),
    )
    parser.add_argument("--force", action="store_true", help=_("replace FILE if it exists"))
    parser.add_argument(
        "--with-provider-key",
        action="store_true",
        help=_(
            "a provider connection: add the provider's API key (it works for every "
            "connection of the company)"
        ),
    )
    add_passphrase_option(parser)


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.stores import open_store
    from x2desk.commands.terminal import say, show
    from x2desk.core.home.export import (
        Format,
        check_target,
        export_values,
        note_export,
        plan_export,
        render,
        write_export,
    )
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    fmt = Format(args.format)
    with RecordStore.open() as records:
        plan = plan_export(records.get(args.id), include_provider_key=args.with_provider_key)
        target = None if args.out == STDOUT else check_target(Path(args.out), replace=args.force)
        say(plan.warning)
        if args.out == STDOUT:
            say(_("Writing them to standard output, as asked (--out -)."))
        data = render(export_values(plan, open_store(args, create=False)), fmt)
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            note_export(records, plan, fmt, _("standard output"))
            return 0
        write_export(target, data, replace=args.force)
        note_export(records, plan, fmt, str(target))
    show(
        _("Wrote {names} of {label} to {path} (readable by you only).").format(
            names=", ".join(plan.names), label=plan.record.display_label, path=target
        )
    )
    return 0
