"""`x2desk connect KIND`: connect a messenger account or bot through the connections provider.

    x2desk connect telegram [--qr]               QR in the terminal, redrawn when it changes
    x2desk connect telegram --code --phone +E164 asks for the login code (no echo)
    x2desk connect max --phone +E164             MAX account by code
    x2desk connect whatsapp                      QR in the terminal until WhatsApp is linked
    x2desk connect telegram-bot                  the bot token is asked without echo
    x2desk connect odnoklassniki [--change-key ID]
    x2desk connect green-api --instance ID       a Green-API instance (see connect_greenapi.py)

The same :class:`~x2desk.core.session.machine.LoginSession` as the wizard runs the flow; this
module only renders its snapshots and asks for what it asks for. The provider's address comes from
``--provider-url``, ``--sandbox-url``, ``$X2DESK_PROVIDER_URL``, the settings, or the public
default; its API key from ``--api-key-file``, the credential store, or a prompt (no echo).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import io
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import InputError, SessionExpired, X2DeskError
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.clock import Clock
    from x2desk.core.session.machine import LoginDriver, LoginSession, Snapshot
    from x2desk.core.session.poller import Scheduler

HELP = "Connect a Telegram, MAX or WhatsApp account, a Telegram bot or an Odnoklassniki group"
EXIT_CANCELLED = 130

KINDS = {
    "telegram": "a Telegram account, by QR (default) or by login code",
    "max": "a MAX account, by login code",
    "whatsapp": "a WhatsApp account, by QR",
    "telegram-bot": "a Telegram bot, by its token (asked without echo)",
    "odnoklassniki": "an Odnoklassniki group, by its API key; or change the key",
    "green-api": "a Green-API instance, by its QR (the token asked without echo)",
}
SCAN_HINTS = {
    "telegram_qr": "Scan it with Telegram on your phone: Settings > Devices > Link Desktop Device.",
    "whatsapp": "Scan it with WhatsApp on your phone: Settings > Linked devices > Link a device.",
}
LIMITS_NOTE = (
    "Note: connections cannot be deleted here (only by the provider's support, and that deletes "
    "their chats), and a connection works only inside a paid subscription."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group("provider")
    where.add_argument(
        "--provider-url",
        metavar="URL",
        help="the provider's API address (default: $X2DESK_PROVIDER_URL, the settings, or "
        "https://api.radist.online/v2)",
    )
    where.add_argument(
        "--sandbox-url", metavar="URL", help="use a running x2desk sandbox (its /v2 API)"
    )
    where.add_argument(
        "--api-key-file", metavar="FILE", help="read the provider's API key from FILE"
    )
    where.add_argument(
        "--save-key", action="store_true", help="save the API key in the credential store"
    )
    where.add_argument(
        "--interval", type=float, default=5.0, metavar="S", help="poll every S s (min 1, def. 5)"
    )
    common.add_argument("--name", help="the connection's name at the provider")

    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    tg = kinds.add_parser("telegram", parents=[common], help=KINDS["telegram"])
    how = tg.add_mutually_exclusive_group()
    how.add_argument("--qr", action="store_true", help="log in by scanning a QR (default)")
    how.add_argument("--code", action="store_true", help="log in with a code sent to Telegram")
    tg.add_argument("--phone", help="the account's phone number, +E.164 (with --code)")
    tg.add_argument("--reauth", metavar="ID", help="re-authorise connection ID (no new one)")

    mx = kinds.add_parser("max", parents=[common], help=KINDS["max"])
    mx.add_argument("--phone", help="the account's phone number, +E.164")
    mx.add_argument("--reauth", metavar="ID", help="re-authorise connection ID (no new one)")

    wa = kinds.add_parser("whatsapp", parents=[common], help=KINDS["whatsapp"])
    wa.add_argument("--reconnect", metavar="ID", help="show a new QR for WhatsApp connection ID")

    bot = kinds.add_parser("telegram-bot", parents=[common], help=KINDS["telegram-bot"])
    bot.add_argument("--token-file", metavar="FILE", help="read the bot token from FILE")

    ok = kinds.add_parser("odnoklassniki", parents=[common], help=KINDS["odnoklassniki"])
    ok.add_argument("--key-file", metavar="FILE", help="read the group's API key from FILE")
    ok.add_argument("--change-key", metavar="ID", help="change the key of connection ID")

    from x2desk.commands import connect_greenapi  # Green-API has its own module (issue 6)

    connect_greenapi.add_arguments(kinds.add_parser("green-api", help=KINDS["green-api"]))


# ---- where and who -----------------------------------------------------------------------------


def resolve_provider_url(args: argparse.Namespace) -> str:
    from x2desk.core.accounts.client import (
        DEFAULT_PROVIDER_URL,
        PROVIDER_URL_ENV,
        SANDBOX_PROVIDER_PATH,
    )
    from x2desk.core.store.settings import configured_api_base

    if args.provider_url:
        return str(args.provider_url)
    if args.sandbox_url:
        return str(args.sandbox_url).rstrip("/") + SANDBOX_PROVIDER_PATH
    return configured_api_base("provider", PROVIDER_URL_ENV, DEFAULT_PROVIDER_URL)


def read_secret_file(path: str, what: str) -> Secret:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"The {what} file '{path}' does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Could not read the {what} file '{path}' ({type(exc).__name__}).") from (
            None
        )
    value = text.strip()
    if not value:
        raise InputError(f"The {what} file '{path}' is empty.")
    return Secret(value)


def ask_secret(prompt: str) -> Secret:
    """Ask without echo (getpass): a key, a token, a code or a password."""
    return Secret(getpass.getpass(prompt).strip("\r\n"))


def _credential_store() -> Any:
    from x2desk.core.store.credentials import open_credential_store

    return open_credential_store()


def resolve_api_key(args: argparse.Namespace, base_url: str) -> Secret:
    """--api-key-file, else the credential store, else a prompt without echo."""
    from x2desk.core.accounts.client import check_api_key, provider_key_ref

    ref = provider_key_ref(base_url)
    key: Secret | None = None
    source = "file"
    if args.api_key_file:
        key = read_secret_file(args.api_key_file, "API key")
    else:
        try:
            key = _credential_store().load(ref)
            source = "store"
        except X2DeskError as exc:
            _note(f"(The credential store could not be read: {exc.message})")
        if key is None:
            source = "prompt"
            key = ask_secret("Provider API key (scope 'connections'; not shown): ")
    key = check_api_key(key, "provider's API key")
    if args.save_key and source != "store":
        try:
            _credential_store().save(ref, key)
            _note("The API key was saved in the credential store.")
        except X2DeskError as exc:
            _note(f"The API key was not saved: {exc.message}")
    return key


def _connection_id(text: str | None) -> int | str | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        raise InputError("The connection id is empty: run 'x2desk list' to see them.")
    return int(text) if text.isdigit() else text


def make_driver(args: argparse.Namespace, client: ConnectionsClient) -> LoginDriver:
    """The flow the arguments ask for. Input is checked here, before anything is sent."""
    from x2desk.core.accounts import drivers as ls

    name = args.name or ""
    if args.kind == "telegram":
        reauth = _connection_id(args.reauth)
        if args.code:
            phone = args.phone or input("Phone number (+country code): ")
            return ls.TelegramCodeDriver(client, phone, name, reauth)
        if args.phone:
            raise InputError("--phone is for --code; a QR login needs no phone number.")
        return ls.TelegramQrDriver(client, name, reauth)
    if args.kind == "max":
        phone = args.phone or input("Phone number (+country code): ")
        return ls.MaxCodeDriver(client, phone, name, _connection_id(args.reauth))
    if args.kind == "whatsapp":
        return ls.WhatsAppDriver(client, name, _connection_id(args.reconnect))
    if args.kind == "telegram-bot":
        if args.token_file:
            token = read_secret_file(args.token_file, "bot token")
        else:
            token = ask_secret("Bot token from @BotFather (not shown): ")
        return ls.TelegramBotDriver(client, token, name)
    if args.kind == "odnoklassniki":
        if args.key_file:
            key = read_secret_file(args.key_file, "group API key")
        else:
            key = ask_secret("The group's API key (not shown): ")
        return ls.OdnoklassnikiDriver(client, key, name, _connection_id(args.change_key))
    raise InputError(f"Unknown kind '{args.kind}': use one of {', '.join(KINDS)}.")


# ---- running the session -----------------------------------------------------------------------


@dataclass
class Runtime:
    """Where the session's work runs and how the command waits for news.

    The default is real time (a worker thread); tests substitute a fake clock and scheduler.
    """

    clock: Clock
    scheduler: Scheduler
    wait: Callable[[LoginSession, queue.Queue[Snapshot]], None]
    close: Callable[[], None] = field(default=lambda: None)


def realtime() -> Runtime:
    from x2desk.core.clock import SYSTEM_CLOCK
    from x2desk.core.session.poller import ThreadScheduler

    scheduler = ThreadScheduler(SYSTEM_CLOCK, name="x2desk-connect")

    def wait(session: LoginSession, events: queue.Queue[Snapshot]) -> None:
        with contextlib.suppress(queue.Empty):
            events.get(timeout=1.0)

    return Runtime(SYSTEM_CLOCK, scheduler, wait, scheduler.close)


make_runtime: Callable[[], Runtime] = realtime


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def qr_text(data: str) -> str:
    """The QR as text blocks for a terminal (qrcode's ASCII output)."""
    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(data)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


class Renderer:
    """Prints what changed between snapshots: state lines, the QR (redrawn when it changes)."""

    def __init__(self, clear_screen: bool) -> None:
        self.clear_screen = clear_screen
        self.last_text: str | None = None
        self.qr_version: int | None = None
        self.qr_shown = False
        self.link_shown = False

    def render(self, snap: Snapshot) -> None:
        if snap.qr and snap.qr_version != self.qr_version:
            self.qr_version = snap.qr_version
            if self.clear_screen:
                print("\033[2J\033[H", end="")
            print(qr_text(snap.qr), flush=True)
            left = f" This QR expires in {snap.qr_seconds_left} s." if snap.qr_seconds_left else ""
            _note(SCAN_HINTS.get(snap.flow, "Scan it with your phone.") + left)
            self.qr_shown = True
        elif not snap.qr and self.qr_shown:
            if self.clear_screen:  # an expired QR is not left on screen
                print("\033[2J\033[H", end="", flush=True)
            self.qr_shown = False
            self.qr_version = None
        if snap.qr_link and not self.link_shown:
            _note(f"Or open this page on another device to see the QR: {snap.qr_link}")
            self.link_shown = True
        if snap.text != self.last_text and not (snap.state.value == "waiting_for_qr" and snap.qr):
            _note(snap.text)
        self.last_text = snap.text


def drive(session: LoginSession, runtime: Runtime, renderer: Renderer) -> Snapshot:
    """Run the session to its end, answering its questions. Returns the last snapshot."""
    events: queue.Queue[Snapshot] = queue.Queue()
    session.subscribe(events.put)
    session.start()
    while True:
        snap = session.snapshot()
        renderer.render(snap)
        if snap.terminal:
            return snap
        action = next(iter(snap.actions & {"submit_code", "submit_password"}), None)
        if action and not snap.busy:
            _ask(session, action, snap)
            continue
        runtime.wait(session, events)
        while not events.empty():
            events.get_nowait()


def _ask(session: LoginSession, action: str, snap: Snapshot) -> None:
    while True:
        try:
            if action == "submit_code":
                session.submit_code(ask_secret("Login code (not shown): "))
            else:
                hint = f" (hint: {snap.password_hint})" if snap.password_hint else ""
                session.submit_password(
                    ask_secret(f"Two-step verification password{hint} (not shown): ")
                )
            return
        except InputError as exc:
            _note(exc.message)


def describe(snap: Snapshot) -> str:
    conn = snap.result
    if conn is None:
        return "Connected."
    name = f" '{conn.name}'" if getattr(conn, "name", "") else ""
    return f"Connected: {conn.type} connection {conn.id}{name} (status {conn.status})."


def _record(session: LoginSession) -> None:
    """Record the connection made, as the GUI does (one function: the same outcome)."""
    try:
        from x2desk.core.accounts.drivers import record_login

        record_login(session)
    except (X2DeskError, ValueError, TypeError, ImportError) as exc:
        message = exc.message if isinstance(exc, X2DeskError) else type(exc).__name__
        _note(f"The connection exists at the provider, but was not recorded here: {message}")


def run(args: argparse.Namespace) -> int:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.net import require_secure
    from x2desk.core.session.machine import LoginSession, State

    if args.kind == "green-api":  # not the provider: its own module and flow (issue 6)
        from x2desk.commands import connect_greenapi

        return connect_greenapi.run(args)
    base_url = require_secure(resolve_provider_url(args))
    if args.interval < 1:
        raise InputError("--interval must be at least 1 second.")
    api_key = resolve_api_key(args, base_url)
    runtime = make_runtime()
    with ConnectionsClient(base_url, api_key, wall_time=runtime.clock.time) as client:
        driver = make_driver(args, client)
        session = LoginSession(
            driver, clock=runtime.clock, scheduler=runtime.scheduler, interval_s=args.interval
        )
        try:
            snap = drive(session, runtime, Renderer(clear_screen=sys.stdout.isatty()))
        except KeyboardInterrupt:
            session.cancel()
            raise
        finally:
            session.cancel()
            runtime.close()
    if snap.state is State.CONNECTED:
        _record(session)
        print(describe(snap))
        if args.kind in ("telegram", "max", "whatsapp") and not getattr(args, "reauth", None):
            _note(LIMITS_NOTE)
        return 0
    if snap.state is State.CANCELLED:
        _note("Cancelled.")
        return EXIT_CANCELLED
    if snap.error is not None:
        raise snap.error
    if snap.state is State.EXPIRED:
        raise SessionExpired()
    raise X2DeskError(snap.text)
