"""``x2desk connect green-api --instance ID``: pair a Green-API instance by its QR, in a terminal
(or, with ``--code --phone NUMBER``, by a login code Telegram sends to its app on that phone).

The ``connect`` command hands its ``green-api`` choice to :func:`add_arguments` and :func:`run`.
It drives the same :class:`~x2desk.core.greenapi.pairing.GreenApiPairing` as the wizard, through
the terminal loop ``connect`` shares (:mod:`x2desk.commands.session_loop`): each new QR is read
back from Green-API's PNG with x2desk's own decoder and drawn in the terminal; the cloud password
is asked without echo, as is the login code. The apiTokenInstance is read from ``--token-file``
(``-`` for stdin), taken from the credential store when the instance is already saved
(re-pairing: then its saved apiUrl is used too, unless ``--api-url`` or ``--sandbox-url`` says
otherwise), or asked without echo. The store is opened first, by the rule every command shares
(``--passphrase-file``, ``$X2DESK_PASSPHRASE_FILE``), so a pairing never ends with nowhere to
keep the token. Exit 0 only when the instance is authorised and saved.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from x2desk.commands import session_loop
from x2desk.commands.stores import add_passphrase_option, open_store
from x2desk.commands.terminal import ask_secret, show
from x2desk.core.errors import AlreadyAuthorised, InputError, X2DeskError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.greenapi.pairing import GreenApiPairing, PairedInstance
    from x2desk.core.session.machine import Snapshot
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record

IF_AUTHORISED = ("ask", "keep", "log-out")
STOPPED = N_(
    "x2desk stopped the pairing: nothing was saved, and the instance still waits for what was "
    "asked (the login code or the cloud password). Run the command again in a terminal to pair it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(texts="greenapi")  # cli.main words errors with Green-API's table
    parser.add_argument(
        "--instance", metavar="ID", help=_("the idInstance (digits, from the console)")
    )
    parser.add_argument(
        "--batch",
        metavar=_("FILE"),
        help=_("pair every instance of a CSV file (id, token, apiUrl, label), one after another"),
    )
    parser.add_argument(
        "--token-file",
        metavar=_("FILE"),
        help=_("read the apiTokenInstance from FILE ('-' for stdin) instead of asking for it"),
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help=_(
            "the instance's apiUrl (default: $X2DESK_GREENAPI_URL, the settings, the public one)"
        ),
    )
    parser.add_argument(
        "--sandbox-url",
        metavar="URL",
        help=_("use a running x2desk sandbox (Green-API at its root)"),
    )
    add_passphrase_option(parser)
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--qr", action="store_true", help=_("pair by scanning a QR (default)"))
    how.add_argument(
        "--code", action="store_true", help=_("pair by a login code sent to the Telegram app")
    )
    parser.add_argument(
        "--phone", metavar=_("NUMBER"), help=_("the Telegram account's phone number (with --code)")
    )
    parser.add_argument("--name", metavar=_("NAME"), help=_("a name for the saved connection"))
    parser.add_argument(
        "--interval",
        type=float,
        default=5.0,
        metavar="S",
        help=_("new QR every S s (min 1, def. 5)"),
    )
    parser.add_argument(
        "--if-authorised",
        choices=IF_AUTHORISED,
        default="ask",
        help=_("when the instance is already authorised: ask, keep it, or log it out and re-pair"),
    )


class GreenApiTerminal(session_loop.Terminal):
    """The shared terminal, plus what only Green-API asks. Tests give their own."""

    def ask_token(self) -> Secret:
        return ask_secret(
            _("apiTokenInstance (from the Green-API console; not shown): "),
            _("No apiTokenInstance was typed (the input ended). Nothing was sent."),
        )

    def choose_already(self) -> str:
        """``keep``, ``log-out`` or ``""`` (neither, or the input ended)."""
        self.say(_("  k = keep it as it is and save it;  l = log it out and pair again with a QR"))
        print(_("Keep it or log out? [k/l] "), end="", file=self.err, flush=True)
        answer = sys.stdin.readline().strip().lower()
        return {"k": "keep", "keep": "keep", "l": "log-out", "log-out": "log-out"}.get(answer, "")


def resolve_api_url(args: argparse.Namespace, id_instance: str, saved: str | None = None) -> str:
    """--api-url, --sandbox-url, the ``saved`` instance's own apiUrl (re-pairing),
    $X2DESK_GREENAPI_URL, the settings, or the instance's own apiUrl
    (https://NNNN.api.green-api.com from its id)."""
    from x2desk.core.addresses import resolve_address
    from x2desk.core.greenapi.client import default_api_url

    sandbox_url = getattr(args, "sandbox_url", None)
    if saved and not (args.api_url or sandbox_url):
        return saved
    return resolve_address(
        "greenapi", args.api_url, sandbox_url=sandbox_url, default=default_api_url(id_instance)
    )


def _phone(args: argparse.Namespace) -> str | None:
    """The phone number to pair by code (None: by QR), checked before anything is sent."""
    from x2desk.commands.terminal import ask_line
    from x2desk.core.phone import normalise_phone

    if not getattr(args, "code", False):
        if getattr(args, "phone", None):
            raise InputError(_("--phone is for --code; pairing by QR needs no phone number."))
        return None
    phone = args.phone or ask_line(
        _("The Telegram account's phone number: "),
        _("No phone number was typed (the input ended). Nothing was sent: give it with --phone."),
    )
    return normalise_phone(phone)


def run(
    args: argparse.Namespace,
    term: GreenApiTerminal | None = None,
    runtime: session_loop.Runtime | None = None,
) -> int:
    """The command. ``term`` and ``runtime`` are for tests (a fake terminal, clock, scheduler)."""
    from x2desk.core.greenapi.client import GreenApiClient, check_api_token, check_instance_id
    from x2desk.core.greenapi.pairing import GreenApiPairing
    from x2desk.core.net import require_secure
    from x2desk.core.session.machine import State
    from x2desk.core.store.records import open_records

    if getattr(args, "batch", None):  # many instances from a CSV (connect_batch.py)
        from x2desk.commands import connect_batch

        return connect_batch.run(args, term, runtime)
    if not args.instance:
        raise InputError(_("Give the instance's id (--instance ID), or a CSV file (--batch FILE)."))
    term = term or GreenApiTerminal()
    id_instance = check_instance_id(args.instance)  # InputError before anything else
    require_secure(resolve_api_url(args, id_instance))  # a wrong --api-url: before the rest
    if args.interval < 1:
        raise InputError(_("--interval must be at least 1 second."))
    phone = _phone(args)
    store = open_store(args)
    token, saved = _token(args, term, store, id_instance)
    token = check_api_token(token)
    api_url = require_secure(resolve_api_url(args, id_instance, saved.api_base if saved else None))
    runtime = runtime or session_loop.make_runtime()
    with GreenApiClient(api_url, id_instance, token) as client, open_records() as records:
        pairing = GreenApiPairing(
            client,
            name=args.name or "",
            records=records,
            credentials=store,
            clock=runtime.clock,
            scheduler=runtime.scheduler,
            interval_s=args.interval,
            repair=saved is not None,
            phone=phone,
        )
        try:
            snap = session_loop.drive(
                pairing,
                term,
                runtime.wait,
                stopped=_(STOPPED),
                choose=lambda s: _choose(pairing, term, s, args.if_authorised),
            )
        finally:
            pairing.close()
            runtime.close()
    if snap.state is not State.CONNECTED:
        raise snap.error or X2DeskError(snap.text)
    show(_summary(snap.result))
    return 0


def _summary(paired: PairedInstance) -> str:
    how = _("kept as it was") if paired.kept else _("authorised")
    account = _(" (Telegram account {phone})").format(phone=paired.phone) if paired.phone else ""
    return _(
        "Green-API instance {id}{account} {how}; apiTokenInstance saved in {store}; "
        "record id {record}."
    ).format(
        id=paired.id_instance, account=account, how=how, store=paired.store, record=paired.record_id
    )


def _token(
    args: argparse.Namespace, term: GreenApiTerminal, store: CredentialStore, id_instance: str
) -> tuple[Secret, Record | None]:
    """The apiTokenInstance, and the saved record when it is a re-pairing (its own token)."""
    from x2desk.commands.secret_files import read_secret_file
    from x2desk.core.greenapi.pairing import KIND
    from x2desk.core.store.credentials import secret_ref
    from x2desk.core.store.records import open_records

    if args.token_file:
        return read_secret_file(args.token_file, "apiTokenInstance"), None  # a name
    with open_records() as records:
        saved = records.find(KIND, id_instance)
    token = store.load(saved.secret_ref or secret_ref(KIND, id_instance)) if saved else None
    if token is not None:
        term.say(
            _("Re-pairing saved instance {id} with its saved apiTokenInstance.").format(
                id=id_instance
            )
        )
        return token, saved
    if term.interactive:
        return term.ask_token(), None
    raise InputError(
        _(
            "No apiTokenInstance: give --token-file FILE (or '-' for stdin), or run the command "
            "in a terminal to type it."
        )
    )


def _choose(pairing: GreenApiPairing, term: GreenApiTerminal, snap: Snapshot, how: str) -> bool:
    """The instance is already authorised: keep it, or log it out and pair again (asked, or as
    ``--if-authorised`` says). False when the snapshot offers no such choice."""
    from x2desk.core.greenapi.pairing import ACTION_KEEP

    if ACTION_KEEP not in snap.actions:
        return False
    if how == "ask":
        if not term.interactive:
            raise AlreadyAuthorised(
                _(AlreadyAuthorised.default_message)
                + " "
                + _(
                    "Add --if-authorised keep or --if-authorised log-out to choose without a "
                    "terminal."
                )
            )
        term.say(snap.text)
        how = term.choose_already()
    if how == "keep":
        pairing.keep()
    elif how == "log-out":
        pairing.log_out_and_pair()
    else:
        raise AlreadyAuthorised(_("Nothing was changed: the instance stays authorised."))
    return True
