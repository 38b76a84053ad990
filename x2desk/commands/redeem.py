"""`x2desk redeem TOKEN_OR_LINK`: redeem an X2Chat integration token, check the bot, save it.

It drives the same :class:`~x2desk.core.x2chat.flow.RedeemFlow` as the wizard. Garbage input is
refused before any request; the rotation warning is shown and confirmed (``--yes`` skips the
question; with no terminal and no ``--yes`` it refuses). Exit 0 only when the bot is saved and
checked; errors print one line and exit with the error's code.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from x2desk.core.errors import InputError, NotIntegrationToken, StoreError, X2DeskError
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    from x2desk.core.x2chat.flow import FlowState, RedeemFlow

HELP = "Redeem an X2Chat integration token or link and save the bot"
ENV_API_BASE = "X2DESK_API_BASE"
ENV_PASSPHRASE_FILE = "X2DESK_PASSPHRASE_FILE"
EXIT_DECLINED = 1

ROTATION_WARNING = (
    "Redeeming gives this computer a NEW token for the bot: the bot's current token stops "
    "working at once, so any other integration of this bot (n8n, a website...) will break "
    "until it is connected again."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "token",
        metavar="TOKEN_OR_LINK",
        help="the integration token, or the x2chat://bot/integrate?token=... link from the QR",
    )
    parser.add_argument(
        "--api-base",
        metavar="URL",
        help=f"X2Chat API address (default: ${ENV_API_BASE}, the settings, or the public one)",
    )
    parser.add_argument(
        "-y", "--yes", action="store_true", help="do not ask before rotating the bot's token"
    )
    parser.add_argument(
        "--test-message", metavar="TEXT", help="send TEXT to the chat to show the bot works"
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=os.environ.get(ENV_PASSPHRASE_FILE) or None,
        help="where no keyring exists: use the encrypted file store, unlocked (or created) with "
        f"the passphrase in FILE's first line, without asking (also ${ENV_PASSPHRASE_FILE})",
    )


def resolve_api_base(given: str | None) -> str:
    """--api-base, else $X2DESK_API_BASE, else the settings, else the public default."""
    from x2desk.core.store.settings import configured_api_base
    from x2desk.core.x2chat.client import DEFAULT_API_BASE

    return given or configured_api_base("x2chat", ENV_API_BASE, DEFAULT_API_BASE)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_yes(question: str) -> bool:
    print(question + " [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def ask_passphrase(prompt: str, twice: bool = False) -> Secret:
    import getpass

    try:
        first = Secret(getpass.getpass(prompt))
        again = Secret(getpass.getpass("Type it again: ")) if twice else first
    except EOFError:
        raise InputError("No passphrase was typed. Nothing was changed.") from None
    if again != first:
        raise InputError("The two passphrases differ. Nothing was changed; run the command again.")
    return first


def read_passphrase_file(path: str) -> Secret:
    """The first line of ``path`` as a passphrase; a clear error if it cannot be used."""
    try:
        with open(path, encoding="utf-8") as handle:
            line = handle.readline().rstrip("\r\n")
    except OSError as exc:
        raise InputError(
            f"Cannot read the passphrase file {path}: {exc.strerror or 'unreadable'}."
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"The passphrase file {path} is not UTF-8 text.") from None
    if not line:
        raise InputError(f"The passphrase file {path} is empty: put the passphrase on line 1.")
    return Secret(line)


def _note(text: str) -> None:
    print(text, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from x2desk.core.x2chat.client import X2ChatClient
    from x2desk.core.x2chat.flow import RedeemFlow, Step
    from x2desk.core.x2chat.tokens import classify

    intake = classify(args.token)
    if intake.token is None:
        raise NotIntegrationToken(intake.explanation)
    with X2ChatClient(resolve_api_base(args.api_base)) as client:
        flow = RedeemFlow(client, confirm_rotation=True)
        flow.submit(intake.token)
        _note(f"Warning: {ROTATION_WARNING}")
        if not args.yes:
            if not interactive():
                raise InputError(
                    "Not redeeming: the rotation warning above needs a yes, and there is no "
                    "terminal to ask. Run it in a terminal, or add --yes to confirm."
                )
            if not ask_yes("Redeem the token and rotate the bot's token now?"):
                _note("Nothing was sent; the token is still unused.")
                return EXIT_DECLINED
        flow.confirm()
        state = flow.redeem()
        state = _settle_store(flow, state, args.passphrase_file)
        if state.step is Step.FAILED and state.failure is not None:
            raise state.failure.error
        state = flow.check()
        bot = state.bot
        assert bot is not None
        if state.step is Step.FAILED and state.failure is not None:
            error = state.failure.error
            _note(
                f"The bot @{bot.bot_username} was saved in {state.store_description}, but the "
                "check failed:"
            )
            raise error
        exit_code = 0
        if bot.incomplete:
            from x2desk.core.x2chat.flow import describe_missing

            _note(f"Note: {describe_missing(bot.missing)}")
        if state.webhook is not None and state.webhook.is_set:
            _note(
                f"Note: this bot has a webhook set (to {state.webhook.host or 'an address'}), so "
                "getUpdates will not work until it is removed."
            )
        if args.test_message is not None:
            flow.send_test_message(args.test_message)
            state = flow.state
            if state.test_error is not None:
                _note(f"The test message was not sent: {state.test_error.message}")
                exit_code = state.test_error.exit_code
            elif state.test_message is not None:
                print(f"Test message sent to chat {bot.chat_id}.")
        flow.finish()
        chat = f"chat {bot.chat_id}" if bot.chat_id is not None else "chat unknown"
        print(
            f"Connected @{bot.bot_username or 'unknown'} ({chat}); bot token {bot.token_masked} "
            f"saved in {state.store_description}; record id {state.record_id}."
        )
        return exit_code


def _settle_store(
    flow: RedeemFlow, state: FlowState, passphrase_file: str | None = None
) -> FlowState:
    """Deal with a store that cannot be used: the encrypted file, from --passphrase-file or
    asked for in a terminal."""
    from x2desk.core.errors import PassphraseRequired
    from x2desk.core.x2chat.flow import Step

    while True:
        failure = state.failure
        needs_store = state.step is Step.STORE_FAILED or (
            state.step is Step.FAILED and failure is not None and failure.recovery == "choose_store"
        )
        if not needs_store:
            return state
        error: X2DeskError = state.store_error or StoreError()
        pending = state.step is Step.STORE_FAILED
        if passphrase_file:
            state = flow.use_file_store(read_passphrase_file(passphrase_file))
            if state.step is Step.REDEEMING:
                state = flow.redeem()
            if state.step is Step.STORE_FAILED or (
                state.step is Step.FAILED
                and state.failure is not None
                and state.failure.recovery == "choose_store"
            ):
                raise state.store_error or error  # one try: a wrong passphrase is reported
            return state
        if not interactive():
            if pending:
                raise StoreError(
                    f"The bot's new token could not be saved: {error.message} It was not saved "
                    "anywhere and the old token no longer works: make a new QR and redeem again "
                    "once the store works."
                )
            hint = (
                "Run this command in a terminal to type it."
                if isinstance(error, PassphraseRequired)
                else "To set up the encrypted file store, run this command in a terminal: it "
                "asks for a passphrase."
            )
            raise type(error)(f"{error.message} {hint}")
        _note(error.message)
        unlock = isinstance(error, PassphraseRequired)
        if not unlock and not ask_yes("Use the encrypted file store (a passphrase you choose)?"):
            if pending:
                flow.discard()
                _note("The new bot token was discarded; redeem a new QR to connect the bot.")
            raise error
        passphrase = ask_passphrase("Passphrase for the credentials file: ", twice=not unlock)
        state = flow.use_file_store(passphrase)
        if state.step is Step.REDEEMING:
            state = flow.redeem()
