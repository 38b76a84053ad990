"""`x2desk profile list|add|remove|use`: named profiles, one per business an operator works for.

Each profile has its own saved connections, provider key(s) and company, and addresses (X2Chat,
the provider, Green-API); ``default`` is the data folder as it always was
(:mod:`x2desk.core.profiles`). Any command works in another profile with the global option
``x2desk --profile NAME ...`` (or ``$X2DESK_PROFILE``); ``profile use NAME`` makes it the one
used from then on.

    x2desk profile list [--json]
    x2desk profile add NAME [--title TEXT] [--x2chat-url URL] [--provider-url URL]
                       [--greenapi-url URL] [--use]
    x2desk profile use NAME
    x2desk profile remove NAME [--force]    its secrets are deleted from this computer
"""

from __future__ import annotations

import argparse
import json

from x2desk.commands.stores import add_passphrase_option
from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    listing = actions.add_parser("list", help=_("the profiles, the active one marked *"))
    listing.add_argument("--json", action="store_true", help=_("print them as JSON"))
    add = actions.add_parser("add", help=_("make a profile"))
    add.add_argument(
        "name", metavar=_("NAME"), help=_("a-z, digits, '-' or '_' (e.g. flower-shop)")
    )
    add.add_argument("--title", default="", help=_("a title for people ('Flower shop Ltd')"))
    add.add_argument("--x2chat-url", metavar="URL", help=_("its X2Chat API address"))
    add.add_argument("--provider-url", metavar="URL", help=_("its connections provider's address"))
    add.add_argument("--greenapi-url", metavar="URL", help=_("its Green-API address"))
    add.add_argument("--use", action="store_true", help=_("and work in it from now on"))
    use = actions.add_parser("use", help=_("work in this profile from now on"))
    use.add_argument("name", metavar=_("NAME"))
    remove = actions.add_parser("remove", help=_("remove a profile, its records and its secrets"))
    remove.add_argument("name", metavar=_("NAME"))
    remove.add_argument("--force", action="store_true", help=_("even if it still has connections"))
    add_passphrase_option(remove)


def run(args: argparse.Namespace) -> int:
    return {"list": _list, "add": _add, "use": _use, "remove": _remove}[args.action](args)


def _list(args: argparse.Namespace) -> int:
    from x2desk.commands.list import print_table
    from x2desk.commands.terminal import say
    from x2desk.core import profiles
    from x2desk.core.errors import InputError
    from x2desk.core.printable import json_safe, printable
    from x2desk.core.store.records import RecordStore
    from x2desk.i18n import _

    try:
        active: str | None = profiles.active_profile()
    except InputError as exc:
        say(exc.message)
        active = None
    found = []
    for profile in profiles.list_profiles():
        folder = profiles.profile_folder(profile.name)
        with RecordStore.open(folder / RecordStore.FILE) as records:
            count = records.count()
        found.append((profile, count, str(folder)))
    if args.json:
        data = [
            p.to_json() | {"active": p.name == active, "connections": n, "folder": f}
            for p, n, f in found
        ]
        print(json_safe(json.dumps(data, indent=2, ensure_ascii=False)))
        return 0
    table: list[tuple[str, ...]] = [("", _("NAME"), _("TITLE"), _("CONNECTIONS"), _("FOLDER"))]
    for p, n, f in found:
        mark = "*" if p.name == active else ""
        table.append(tuple(printable(c) for c in (mark, p.name, p.display_name, str(n), f)))
    print_table(table)
    return 0


def _add(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import show
    from x2desk.core import profiles
    from x2desk.i18n import _

    given = {
        "x2chat": args.x2chat_url,
        "provider": args.provider_url,
        "greenapi": args.greenapi_url,
    }
    addresses = {service: url for service, url in given.items() if url}
    made = profiles.add_profile(args.name, args.title, addresses)
    if args.use:
        profiles.use_profile(made.name)
    show(
        _("Made profile {name} ({folder}).").format(
            name=made.name, folder=profiles.profile_folder(made.name)
        )
        + (" " + _("It is the active profile now.") if args.use else "")
    )
    return 0


def _use(args: argparse.Namespace) -> int:
    from x2desk.commands.terminal import show
    from x2desk.core import profiles
    from x2desk.i18n import _

    chosen = profiles.use_profile(args.name)
    show(_("Working in profile {name} from now on.").format(name=chosen.name))
    return 0


def _remove(args: argparse.Namespace) -> int:
    from x2desk.commands.stores import open_store
    from x2desk.commands.terminal import show
    from x2desk.core.home.profiles import remove_profile
    from x2desk.i18n import _, ngettext

    removed = remove_profile(args.name, open_store(args, create=False), force=args.force)
    records = ngettext(
        "Removed profile {name} and its {n} connection record.",
        "Removed profile {name} and its {n} connection records.",
        removed.connections,
    ).format(name=removed.name, n=removed.connections)
    secrets = ngettext(
        "{n} saved secret was deleted from this computer.",
        "{n} saved secrets were deleted from this computer.",
        len(removed.secrets),
    ).format(n=len(removed.secrets))
    show(f"{records} {secrets} " + _("Nothing was changed at the services."))
    return 0
