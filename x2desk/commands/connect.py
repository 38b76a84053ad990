"""`x2desk connect KIND`: connect a messenger account or bot through the connections provider.

    x2desk connect telegram [--qr]               QR in the terminal, redrawn when it changes
    x2desk connect telegram --code --phone +E164 asks for the login code (no echo)
    x2desk connect max --phone +E164             MAX account by code
    x2desk connect whatsapp                      QR in the terminal until WhatsApp is linked
    x2desk connect telegram-bot                  the bot token is asked without echo
    x2desk connect odnoklassniki [--change-key ID]
    x2desk connect green-api --instance ID       a Green-API instance (see connect_greenapi.py)

The same :class:`~x2desk.core.session.machine.LoginSession` as the wizard runs the flow, driven
by the terminal loop that ``connect green-api`` shares (:mod:`x2desk.commands.session_loop`).
The provider's address comes from ``--provider-url``, ``--sandbox-url``, ``$X2DESK_PROVIDER_URL``,
the settings, or the public default (:func:`x2desk.core.addresses.resolve_address`); its API key
from :mod:`x2desk.commands.provider_key`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from x2desk.commands import session_loop
from x2desk.commands.stores import add_passphrase_option
from x2desk.commands.terminal import ask_line, ask_secret, say, show
from x2desk.core.errors import InputError, SessionExpired, X2DeskError
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.session.machine import LoginDriver, LoginSession, Snapshot

EXIT_CANCELLED = 130
EXIT_NOT_ACTIVE = 26  # the connection was made but is not active (it does not work yet)


def _kinds() -> dict[str, str]:
    """``connect`` word -> its help, from the one table of flows (core.kinds)."""
    from x2desk.core.kinds import FLOWS, KINDS, Service

    words: dict[str, list[str]] = {}
    for flow in FLOWS.values():
        if KINDS[flow.kind].service is not Service.X2CHAT:  # X2Chat bots: `x2desk redeem`
            words.setdefault(flow.cli, []).append(_(flow.title))
    return {word: "; ".join(titles) for word, titles in words.items()}


KINDS = _kinds()
LIMITS_NOTE = N_(
    "Note: connections cannot be deleted here (only by the provider's support, and that deletes "
    "their chats), and a connection works only inside a paid subscription."
)


def _provider_options() -> argparse.ArgumentParser:
    """The options every provider kind takes: where, which key, which company, how often."""
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group(_("provider"))
    where.add_argument(
        "--provider-url",
        metavar="URL",
        help=_(
            "the provider's API address (default: $X2DESK_PROVIDER_URL, the settings, or "
            "https://api.radist.online/v2)"
        ),
    )
    where.add_argument(
        "--sandbox-url", metavar="URL", help=_("use a running x2desk sandbox (its /v2 API)")
    )
    where.add_argument(
        "--api-key-file", metavar=_("FILE"), help=_("read the provider's API key from FILE")
    )
    where.add_argument(
        "--company",
        metavar=_("ID|NAME"),
        help=_(
            "the provider company to connect in, when the key works for several (default: "
            "the one used last at this address, or the only one)"
        ),
    )
    where.add_argument(
        "--save-key", action="store_true", help=_("save the API key in the credential store")
    )
    add_passphrase_option(where)
    where.add_argument(
        "--interval", type=float, default=5.0, metavar="S", help=_("poll every S s (min 1, def. 5)")
    )
    common.add_argument("--name", help=_("the connection's name at the provider"))
    common.set_defaults(texts="provider")  # cli.main words errors with the provider's table
    return common


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = _provider_options()
    kinds = parser.add_subparsers(dest="kind", metavar=_("KIND"), required=True)
    tg = kinds.add_parser("telegram", parents=[common], help=KINDS["telegram"])
    how = tg.add_mutually_exclusive_group()
    how.add_argument("--qr", action="store_true", help=_("log in by scanning a QR (default)"))
    how.add_argument("--code", action="store_true", help=_("log in with a code sent to Telegram"))
    tg.add_argument("--phone", help=_("the account's phone number, +E.164 (with --code)"))
    tg.add_argument("--reauth", metavar="ID", help=_("re-authorise connection ID (no new one)"))

    mx = kinds.add_parser("max", parents=[common], help=KINDS["max"])
    mx.add_argument("--phone", help=_("the account's phone number, +E.164"))
    mx.add_argument("--reauth", metavar="ID", help=_("re-authorise connection ID (no new one)"))

    wa = kinds.add_parser("whatsapp", parents=[common], help=KINDS["whatsapp"])
    again = wa.add_mutually_exclusive_group()
    again.add_argument(
        "--reconnect", metavar="ID", help=_("show a new QR for WhatsApp connection ID")
    )
    again.add_argument(
        "--new",
        action="store_true",
        help=_("make a new connection even if one made here earlier was never linked"),
    )

    bot = kinds.add_parser("telegram-bot", parents=[common], help=KINDS["telegram-bot"])
    bot.add_argument("--token-file", metavar=_("FILE"), help=_("read the bot token from FILE"))

    ok = kinds.add_parser("odnoklassniki", parents=[common], help=KINDS["odnoklassniki"])
    ok.add_argument("--key-file", metavar=_("FILE"), help=_("read the group's API key from FILE"))
    ok.add_argument("--change-key", metavar="ID", help=_("change the key of connection ID"))

    from x2desk.commands import connect_greenapi  # Green-API has its own module (issue 6)

    connect_greenapi.add_arguments(kinds.add_parser("green-api", help=KINDS["green-api"]))


# ---- what to connect ---------------------------------------------------------------------------

STOPPED = N_(
    "x2desk stopped the login: nothing was connected or changed, and the unfinished login "
    "session at the provider ends by itself within 10 minutes. Run the command again in a "
    "terminal."
)


def _ask_phone() -> str:
    return ask_line(
        _("Phone number (+country code): "),
        _("No phone number was typed (the input ended). Nothing was sent: give it with --phone."),
    )


def _connection_id(text: str | None) -> int | str | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        raise InputError(_("The connection id is empty: run 'x2desk list' to see them."))
    return int(text) if text.isdigit() else text


def make_driver(args: argparse.Namespace, client: ConnectionsClient) -> LoginDriver:
    """The flow the arguments ask for. Input is checked here, before anything is sent."""
    from x2desk.core.accounts import drivers as ls

    name = args.name or ""
    if args.kind == "telegram":
        reauth = _connection_id(args.reauth)
        if args.code:
            phone = args.phone or _ask_phone()
            return ls.TelegramCodeDriver(client, phone, name, reauth)
        if args.phone:
            raise InputError(_("--phone is for --code; a QR login needs no phone number."))
        return ls.TelegramQrDriver(client, name, reauth)
    if args.kind == "max":
        phone = args.phone or _ask_phone()
        return ls.MaxCodeDriver(client, phone, name, _connection_id(args.reauth))
    if args.kind == "whatsapp":
        reconnect = _connection_id(args.reconnect)
        if reconnect is not None or args.new:
            return ls.WhatsAppDriver(client, name, reconnect)
        return _whatsapp_or_earlier(client, name)
    if args.kind == "telegram-bot":
        token = _secret(
            args.token_file,
            _("bot token"),
            _("Bot token from @BotFather (not shown): "),
            _("No bot token was typed (the input ended). Nothing was sent."),
        )
        return ls.TelegramBotDriver(client, token, name)
    if args.kind == "odnoklassniki":
        key = _secret(
            args.key_file,
            _("group API key"),
            _("The group's API key (not shown): "),
            _("No group API key was typed (the input ended). Nothing was sent."),
        )
        return ls.OdnoklassnikiDriver(client, key, name, _connection_id(args.change_key))
    raise InputError(
        _("Unknown kind '{kind}': use one of {KINDS}.").format(
            kind=args.kind, KINDS=", ".join(KINDS)
        )
    )


def _whatsapp_or_earlier(client: ConnectionsClient, name: str) -> LoginDriver:
    """A connection an earlier run made here and never linked is continued (connections cannot
    be deleted: each new one stays for good); in a terminal the person may ask for a new one."""
    from x2desk.commands.terminal import ask_yes, interactive
    from x2desk.core.accounts import drivers as ls
    from x2desk.i18n import format_datetime

    driver = ls.whatsapp_driver(client, name)
    earlier = driver.resumed
    if earlier is None:
        return driver
    say(
        _(
            "WhatsApp connection {id} was made here on {when} and never linked. x2desk "
            "continues with it: connections cannot be deleted, so each new one stays."
        ).format(id=earlier.external_id, when=format_datetime(earlier.created_at))
    )
    if interactive():
        if ask_yes(_("Make a new connection instead?")):
            return ls.WhatsAppDriver(client, name)
    else:
        say(_("(Add --new to make another connection instead.)"))
    return driver


def _secret(path: str | None, what: str, prompt: str, ended: str) -> Secret:
    from x2desk.commands.secret_files import read_secret_file

    return read_secret_file(path, what) if path else ask_secret(prompt, ended)


# ---- running the session -----------------------------------------------------------------------


def _status(status: str) -> str:
    """The provider's status as it came (the dashboard's word), after it in the language of now
    when that is not English."""
    from x2desk.core.accounts.shapes import status_word
    from x2desk.i18n import current_language

    word = status_word(status)
    return status if word == status or current_language() == "en" else f"{word}, {status}"


def describe(snap: Snapshot) -> str:
    conn = snap.result
    if conn is None:
        return _("Connected.")
    name = getattr(conn, "name", "")
    made = _("Connected") if getattr(conn, "active", True) else _("Made, but not active")
    if name:
        text = _("{made}: {type} connection {id} '{name}' (status {status}).").format(
            made=made, type=conn.type, id=conn.id, name=name, status=_status(conn.status)
        )
    else:
        text = _("{made}: {type} connection {id} (status {status}).").format(
            made=made, type=conn.type, id=conn.id, status=_status(conn.status)
        )
    account = conn.account_lines() if hasattr(conn, "account_lines") else []
    return " ".join([text, *account])


_note = say  # (what _record says with)


def _record(session: LoginSession) -> None:
    """Record the connection made, as the GUI does (one function: the same outcome)."""
    try:
        from x2desk.core.accounts.drivers import record_login

        record_login(session)
    except (X2DeskError, ValueError, TypeError, ImportError) as exc:
        message = exc.message if isinstance(exc, X2DeskError) else type(exc).__name__
        _note(f"The connection exists at the provider, but was not recorded here: {message}")


def _say_kept(session: LoginSession) -> None:
    """The session ended without linking, but a connection was made (or continued): its id and
    what to do, so it is never lost track of."""
    from x2desk.core.accounts.drivers import WhatsAppDriver

    driver = session.driver
    if not isinstance(driver, WhatsAppDriver) or driver.connection_id is None:
        return
    conn = driver.connection_id
    if driver.created and driver.recorded is None:
        say(
            _(
                "WhatsApp connection {id} exists at the provider but could not be recorded "
                "here; note its id. To link it: x2desk connect whatsapp --reconnect {id}"
            ).format(id=conn)
        )
        return
    text = _(
        "WhatsApp connection {id} is not linked yet. To link it: x2desk connect whatsapp "
        "--reconnect {id}"
    ).format(id=conn)
    if driver.created or driver.resumed is not None:
        text += " " + _(
            "(It is recorded here, see x2desk list; running x2desk connect whatsapp again "
            "continues with it.)"
        )
    say(text)


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.provider_key import choose_company, resolve_api_key, save_key
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.addresses import resolve_address
    from x2desk.core.net import require_secure
    from x2desk.core.session.machine import LoginSession

    if args.kind == "green-api":  # not the provider: its own module and flow (issue 6)
        from x2desk.commands import connect_greenapi

        return connect_greenapi.run(args)
    base_url = require_secure(
        resolve_address("provider", args.provider_url, sandbox_url=args.sandbox_url)
    )
    if args.interval < 1:
        raise InputError(_("--interval must be at least 1 second."))
    own_company = _record_company(args)  # re-authorising: the connection's own company
    wanted = args.company or own_company
    key_company = wanted if wanted and str(wanted).isdigit() else None
    api_key, from_store = resolve_api_key(args, base_url, key_company)
    runtime = session_loop.make_runtime()
    with ConnectionsClient(base_url, api_key, wall_time=runtime.clock.time) as client:
        company = choose_company(client, base_url, wanted)
        if args.save_key and not from_store:
            save_key(args, base_url, company.id, api_key)
        driver = make_driver(args, client)
        if _makes_one(args):
            say(_(LIMITS_NOTE))  # before a connection is made, not after
        session = LoginSession(
            driver, clock=runtime.clock, scheduler=runtime.scheduler, interval_s=args.interval
        )
        try:
            snap = session_loop.drive(
                session, session_loop.make_terminal(), runtime.wait, stopped=_(STOPPED)
            )
        finally:
            session.cancel()
            runtime.close()
    return _outcome(args, session, snap)


def _makes_one(args: argparse.Namespace) -> bool:
    """Whether the command makes a new connection (not re-authorising or changing a key)."""
    return not any(getattr(args, a, None) for a in ("reauth", "reconnect", "change_key"))


def _record_company(args: argparse.Namespace) -> str | None:
    """The company a connection being re-authorised was made in (its record), if known."""
    target = getattr(args, "reauth", None) or getattr(args, "reconnect", None)
    if not target:
        return None
    from x2desk.core.errors import StoreError
    from x2desk.core.store.records import open_records

    kind = {"telegram": "telegram", "max": "max_personal", "whatsapp": "whatsapp"}[args.kind]
    try:
        with open_records() as records:
            record = records.find(kind, str(target).strip())
    except StoreError:
        return None
    company = record.details.get("company_id") if record is not None else None
    return str(company) if company not in (None, "") else None


def _outcome(args: argparse.Namespace, session: LoginSession, snap: Snapshot) -> int:
    """Say how the session ended, once: success on stdout, an error raised for cli.main."""
    from x2desk.core.session.machine import STATE_TEXT, State

    if snap.state is State.CONNECTED:
        _record(session)
        if snap.text and snap.text != _(STATE_TEXT[State.CONNECTED]):
            say(snap.text)  # what was done besides connecting ("The group's key was changed.")
        show(describe(snap))
        note = getattr(snap.result, "status_note", None)
        if note:  # made, but it does not work yet: say why (the subscription, usually)
            say(note)
            return EXIT_NOT_ACTIVE
        return 0
    _say_kept(session)
    if snap.state is State.CANCELLED:
        say(_("Cancelled."))
        return EXIT_CANCELLED
    if snap.error is not None:
        raise snap.error
    if snap.state is State.EXPIRED:
        raise SessionExpired()
    raise X2DeskError(snap.text)
