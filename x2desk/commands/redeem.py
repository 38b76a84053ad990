"""`x2desk redeem TOKEN_OR_LINK`: redeem an X2Chat integration token, check the bot, save it.

It drives the same :class:`~x2desk.core.x2chat.flow.RedeemFlow` as the wizard. Garbage input is
refused before any request; the rotation warning is shown and confirmed (``--yes`` skips the
question; with no terminal and no ``--yes`` it refuses). ``redeem -`` reads the token from
standard input, so it never shows in the process list (``ps``) as an argument does. The
credential store is opened before the redeem goes out, by the rule every command shares
(``--passphrase-file``, ``$X2DESK_PASSPHRASE_FILE``; :mod:`x2desk.commands.stores`). Exit 0 only
when the bot is saved and checked; a webhook check that failed is a warning line; errors print
one line and exit with the error's code.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from x2desk.commands import terminal
from x2desk.commands.stores import add_passphrase_option, ask_passphrase, given_passphrase
from x2desk.commands.terminal import ask_yes, say, show
from x2desk.core.errors import InputError, NotIntegrationToken, StoreError, TokenSpent
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.x2chat.flow import FlowState, RedeemFlow

EXIT_DECLINED = 1

ROTATION_WARNING = N_(
    "Redeeming gives this computer a NEW token for the bot: the bot's current token stops "
    "working at once, so any other integration of this bot (n8n, a website...) will break "
    "until it is connected again."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(texts="x2chat")  # cli.main words errors with X2Chat's table
    parser.add_argument(
        "token",
        metavar="TOKEN_OR_LINK",
        help=_(
            "the integration token, or the x2chat://bot/integrate?token=... link from the QR; "
            "'-' reads it from standard input (then it is not visible in the process list)"
        ),
    )
    parser.add_argument(
        "--api-base",
        metavar="URL",
        help=_("X2Chat API address (default: $X2DESK_API_BASE, the settings, or the public one)"),
    )
    parser.add_argument(
        "-y", "--yes", action="store_true", help=_("do not ask before rotating the bot's token")
    )
    parser.add_argument(
        "--test-message", metavar=_("TEXT"), help=_("send TEXT to the chat to show the bot works")
    )
    add_passphrase_option(parser)


def _token_text(given: str) -> str:
    if given != "-":
        return given
    from x2desk.commands.secret_files import read_secret_file

    return read_secret_file("-", _("integration token")).reveal()


def run(args: argparse.Namespace) -> int:
    from x2desk.commands.stores import open_store
    from x2desk.core.addresses import resolve_address
    from x2desk.core.net import DEADLINE_S
    from x2desk.core.x2chat.client import X2ChatClient
    from x2desk.core.x2chat.flow import RedeemFlow

    text = _token_text(args.token)
    with X2ChatClient(resolve_address("x2chat", args.api_base)) as client:
        flow = RedeemFlow(client, confirm_rotation=True, open_store=lambda: open_store(args))
        intake = flow.submit(text)
        if intake.token is None:
            if intake.kind == "used_here":  # sent from here before: said without a request
                raise TokenSpent(intake.explanation)
            raise NotIntegrationToken(intake.explanation)
        if not _confirmed(args):
            say(_("Nothing was sent; the token is still unused."))
            return EXIT_DECLINED
        flow.confirm()
        say(_("Redeeming the token at X2Chat (at most {s} s)…").format(s=int(DEADLINE_S)))
        state = _settle_store(flow, flow.redeem(), args)
        if state.failure is not None:
            raise state.failure.error
        return _check_and_report(flow, args)


def _confirmed(args: argparse.Namespace) -> bool:
    """The rotation warning, always shown; a yes from --yes or the person."""
    say(_("Warning: {what}").format(what=_(ROTATION_WARNING)))
    if args.yes:
        return True
    if not terminal.interactive():
        raise InputError(
            _(
                "Not redeeming: the rotation warning above needs a yes, and there is no "
                "terminal to ask. Run it in a terminal, or add --yes to confirm."
            )
        )
    return ask_yes(_("Redeem the token and rotate the bot's token now?"))


def _check_and_report(flow: RedeemFlow, args: argparse.Namespace) -> int:
    """getMe and getWebhookInfo, the test message; the result line. The bot is saved here."""
    from x2desk.core.x2chat.flow import Step, describe_missing

    state = flow.check()
    bot = state.bot
    assert bot is not None
    if state.step is Step.FAILED and state.failure is not None:
        say(
            _("The bot @{bot} was saved in {store}, but the check failed:").format(
                bot=bot.bot_username, store=state.store_description
            )
        )
        raise state.failure.error
    if bot.incomplete:
        say(_("Note: {what}").format(what=describe_missing(bot.missing)))
    _say_webhook(state)
    exit_code = 0
    if args.test_message is not None:
        flow.send_test_message(args.test_message)
        state = flow.state
        if state.test_error is not None:
            say(_("The test message was not sent: {why}").format(why=state.test_error.message))
            exit_code = state.test_error.exit_code
        elif state.test_message is not None:
            show(_("Test message sent to chat {chat}.").format(chat=bot.chat_id))
    flow.finish()
    chat = _("chat {id}").format(id=bot.chat_id) if bot.chat_id is not None else _("chat unknown")
    show(
        _(
            "Connected @{bot} ({chat}); bot token {masked} saved in {store}; record id {record}."
        ).format(
            bot=bot.bot_username or _("unknown"),
            chat=chat,
            masked=bot.token_masked,
            store=state.store_description,
            record=state.record_id,
        )
    )
    return exit_code


def _say_webhook(state: FlowState) -> None:
    """A webhook stops getUpdates; not knowing whether one is set is said too, never silent."""
    if state.webhook is not None and state.webhook.is_set:
        say(
            _(
                "Note: this bot has a webhook set (to {host}), so getUpdates will not work until "
                "it is removed."
            ).format(host=state.webhook.host or _("an address"))
        )
    elif state.webhook_error is not None:
        say(
            _(
                "Warning: x2desk could not check whether the bot has a webhook ({why}). If it "
                "has one, getUpdates will not work until it is removed; the bot itself is "
                "connected and saved."
            ).format(why=state.webhook_error.message)
        )


def _settle_store(flow: RedeemFlow, state: FlowState, args: argparse.Namespace) -> FlowState:
    """The redeem went out but the credentials could not be saved (the store failed after it
    was opened): save them in the encrypted file, with the passphrase file or one typed in a
    terminal. Without either they are lost, and the message says so and what to do."""
    from x2desk.core.errors import PassphraseRequired
    from x2desk.core.x2chat.flow import Step

    while state.step is Step.STORE_FAILED:
        error = state.store_error or StoreError()
        passphrase = given_passphrase(args)
        from_file = passphrase is not None
        if passphrase is None:
            if not terminal.interactive():
                raise StoreError(
                    _(
                        "The bot's new token could not be saved: {why} It was not saved "
                        "anywhere and the old token no longer works: make a new QR and redeem "
                        "again once the store works."
                    ).format(why=error.message)
                )
            say(error.message)
            unlock = isinstance(error, PassphraseRequired)
            if not unlock and not ask_yes(
                _("Use the encrypted file store (a passphrase you choose)?")
            ):
                flow.discard()
                say(_("The new bot token was discarded; redeem a new QR to connect the bot."))
                raise error
            passphrase = ask_passphrase(new=not unlock)
        state = flow.use_file_store(passphrase)
        if state.step is Step.STORE_FAILED and from_file:
            raise state.store_error or error  # one try with the file: a wrong one is reported
    return state
