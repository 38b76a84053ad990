"""``x2desk connect green-api --instance ID``: pair a Green-API instance by its QR, in a terminal.

The ``connect`` command hands its ``green-api`` choice to :func:`add_arguments` and :func:`run`.
It drives the same :class:`~x2desk.core.greenapi.pairing.GreenApiPairing` as the wizard: the
apiTokenInstance is read from ``--token-file`` (``-`` for stdin), taken from the credential store
when the instance is already saved (re-pairing), or asked without echo. Each new QR is read back
from Green-API's PNG with x2desk's own decoder and drawn in the terminal; the cloud password is
asked without echo. Exit 0 only when the instance is authorised and saved.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from x2desk.core.errors import (
    AlreadyAuthorised,
    InputError,
    PassphraseRequired,
    X2DeskError,
)
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    from x2desk.core.clock import Clock
    from x2desk.core.greenapi.pairing import GreenApiPairing, PairedInstance
    from x2desk.core.session.poller import Scheduler
    from x2desk.core.store.credentials import CredentialStore

HELP = "Pair a Green-API instance by its QR (token asked without echo or read from a file)"
IF_AUTHORISED = ("ask", "keep", "log-out")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--instance", metavar="ID", required=True, help="the idInstance (digits, from the console)"
    )
    parser.add_argument(
        "--token-file",
        metavar="FILE",
        help="read the apiTokenInstance from FILE ('-' for stdin) instead of asking for it",
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="the instance's apiUrl (default: $X2DESK_GREENAPI_URL, the settings, the public one)",
    )
    parser.add_argument(
        "--sandbox-url", metavar="URL", help="use a running x2desk sandbox (Green-API at its root)"
    )
    parser.add_argument("--name", metavar="NAME", help="a name for the saved connection")
    parser.add_argument(
        "--interval", type=float, default=5.0, metavar="S", help="new QR every S s (min 1, def. 5)"
    )
    parser.add_argument(
        "--if-authorised",
        choices=IF_AUTHORISED,
        default="ask",
        help="when the instance is already authorised: ask, keep it, or log it out and re-pair",
    )


# ---- the terminal ------------------------------------------------------------------------------


class Terminal:
    """What the pairing shows and asks. Tests give their own (one that plays the phone)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    @property
    def interactive(self) -> bool:
        return sys.stdin.isatty() and self.err.isatty()

    def say(self, text: str) -> None:
        print(text, file=self.err, flush=True)

    def show_qr(self, payload: str | None, png: bytes) -> None:
        """Draw the QR (its decoded ``payload``) as text; say so when it could not be read."""
        if payload is None:
            self.say(
                "Green-API sent a QR image that x2desk could not read back to draw it here; "
                "waiting for the next one…"
            )
            return
        from x2desk.commands.connect import qr_text

        self.clear_qr()
        print(qr_text(payload), end="", file=self.out, flush=True)

    def clear_qr(self) -> None:
        """Take an old QR off the screen (only on a real terminal; a log keeps everything)."""
        if self.out.isatty():
            print("\033[2J\033[H", end="", file=self.out, flush=True)

    def ask_password(self) -> Secret:
        return Secret(getpass.getpass("Cloud (two-step verification) password: "))

    def ask_token(self) -> Secret:
        return Secret(getpass.getpass("apiTokenInstance (from the Green-API console): "))

    def ask_passphrase(self) -> Secret:
        return Secret(getpass.getpass("Passphrase for the credentials file: "))

    def choose_already(self) -> str:
        """``keep``, ``log-out`` or ``""`` (neither)."""
        self.say("  k = keep it as it is and save it;  l = log it out and pair again with a QR")
        print("Keep it or log out? [k/l] ", end="", file=self.err, flush=True)
        answer = sys.stdin.readline().strip().lower()
        return {"k": "keep", "keep": "keep", "l": "log-out", "log-out": "log-out"}.get(answer, "")


# ---- the parts of run() ------------------------------------------------------------------------


def resolve_api_url(args: argparse.Namespace, id_instance: str) -> str:
    """--api-url, --sandbox-url, $X2DESK_GREENAPI_URL, the settings, or the instance's own
    apiUrl (https://NNNN.api.green-api.com from its id)."""
    from x2desk.core.greenapi.client import API_URL_ENV, default_api_url
    from x2desk.core.store.settings import configured_api_base

    sandbox_url = getattr(args, "sandbox_url", None)
    if args.api_url:
        return str(args.api_url)
    if sandbox_url:
        return str(sandbox_url).rstrip("/")
    return configured_api_base("greenapi", API_URL_ENV, default_api_url(id_instance))


def read_token_file(path: str) -> Secret:
    try:
        if path == "-":
            text = sys.stdin.readline()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(4096)
    except OSError as exc:
        raise InputError(f"Cannot read the token file {path}: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise InputError(f"The token file {path} is not text: put just the token in it.") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise InputError(
            f"The token file {path} must hold the apiTokenInstance alone, on one line "
            f"(it has {len(lines)} non-empty lines)."
        )
    return Secret(lines[0])


def open_store(term: Terminal) -> CredentialStore:
    from x2desk.core.store.credentials import open_credential_store

    try:
        return open_credential_store()
    except PassphraseRequired:
        if not term.interactive:
            raise
        return open_credential_store(passphrase=term.ask_passphrase())


def pair_in_terminal(
    pairing: GreenApiPairing,
    term: Terminal,
    wait: Callable[[threading.Event], None],
    if_authorised: str = "ask",
) -> PairedInstance:
    """Run ``pairing`` to its end, showing each QR and text, asking for what it needs."""
    from x2desk.core.greenapi.client import read_qr_png
    from x2desk.core.greenapi.pairing import ACTION_KEEP
    from x2desk.core.session.machine import State

    changed = threading.Event()
    unsubscribe = pairing.subscribe(lambda _snap: changed.set())
    last_text = ""
    last_qr = 0
    try:
        pairing.start()
        while True:
            snap = pairing.snapshot()
            if snap.qr_image is not None and snap.qr_version != last_qr:
                last_qr = snap.qr_version
                term.show_qr(read_qr_png(snap.qr_image), snap.qr_image)
            elif snap.qr_image is None and last_qr:  # expired or done: never left on screen
                last_qr = 0
                term.clear_qr()
            if snap.text != last_text:
                last_text = snap.text
                term.say(snap.text)
            if "submit_password" in snap.actions:
                if not term.interactive:
                    raise InputError(
                        "The account has a cloud password and there is no terminal to ask for "
                        "it: run the command in a terminal."
                    )
                try:
                    pairing.submit_password(term.ask_password())
                except InputError as exc:
                    term.say(exc.message)
                continue
            if ACTION_KEEP in snap.actions:
                choice = if_authorised
                if choice == "ask":
                    if not term.interactive:
                        raise AlreadyAuthorised(
                            f"{AlreadyAuthorised.default_message} Add --if-authorised keep or "
                            "--if-authorised log-out to choose without a terminal."
                        )
                    choice = term.choose_already()
                if choice == "keep":
                    pairing.keep()
                elif choice == "log-out":
                    pairing.log_out_and_pair()
                else:
                    raise AlreadyAuthorised("Nothing was changed: the instance stays authorised.")
                last_text = ""
                continue
            if snap.state is State.CONNECTED:
                result: PairedInstance = snap.result
                return result
            if snap.terminal:
                raise snap.error or X2DeskError(snap.text)
            wait(changed)
    finally:
        unsubscribe()


def _wait_for_change(changed: threading.Event) -> None:
    changed.wait(1.0)
    changed.clear()


def run(
    args: argparse.Namespace,
    term: Terminal | None = None,
    clock: Clock | None = None,
    scheduler: Scheduler | None = None,
    wait: Callable[[threading.Event], None] | None = None,
    interval_s: float | None = None,
) -> int:
    """The command. The keyword arguments are for tests (a fake terminal, clock, scheduler)."""
    from x2desk.core.clock import SYSTEM_CLOCK
    from x2desk.core.greenapi.client import (
        QR_REFRESH_S,
        GreenApiClient,
        check_api_token,
        check_instance_id,
    )
    from x2desk.core.greenapi.pairing import KIND, GreenApiPairing
    from x2desk.core.net import require_secure
    from x2desk.core.store.credentials import secret_ref
    from x2desk.core.store.records import open_records

    term = term or Terminal()
    id_instance = check_instance_id(args.instance)  # InputError before anything else
    api_url = require_secure(resolve_api_url(args, id_instance))
    interval = interval_s or float(getattr(args, "interval", QR_REFRESH_S))
    if interval < 1:
        raise InputError("--interval must be at least 1 second.")
    store = open_store(term)
    repair = False
    with open_records() as records:
        saved = records.find(KIND, id_instance)
    if args.token_file:
        token = read_token_file(args.token_file)
    else:
        token_or_none = store.load(secret_ref(KIND, id_instance)) if saved else None
        if token_or_none is not None:
            term.say(f"Re-pairing saved instance {id_instance} with its saved apiTokenInstance.")
            token, repair = token_or_none, True
        elif term.interactive:
            token = term.ask_token()
        else:
            raise InputError(
                "No apiTokenInstance: give --token-file FILE (or '-' for stdin), or run the "
                "command in a terminal to type it."
            )
    token = check_api_token(token)
    with GreenApiClient(api_url, id_instance, token) as client, open_records() as records:
        pairing = GreenApiPairing(
            client,
            name=args.name or "",
            records=records,
            credentials=store,
            clock=clock or SYSTEM_CLOCK,
            scheduler=scheduler,
            interval_s=interval,
            repair=repair,
        )
        try:
            paired = pair_in_terminal(pairing, term, wait or _wait_for_change, args.if_authorised)
        finally:
            pairing.close()
    how = "kept as it was" if paired.kept else "authorised"
    print(
        f"Green-API instance {paired.id_instance} {how}; apiTokenInstance saved in "
        f"{paired.store}; record id {paired.record_id}."
    )
    return 0
