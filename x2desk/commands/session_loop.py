"""The one loop that runs a login session or a Green-API pairing in a terminal.

``connect KIND`` (a :class:`~x2desk.core.session.machine.LoginSession`) and ``connect green-api``
(a :class:`~x2desk.core.greenapi.pairing.GreenApiPairing`, the same machine) both go through
:func:`drive`: it draws each new QR (redrawn when it changes, taken off the screen when it
expires), says each new text once, asks for the login code or the password when the session
waits for one, and returns the last snapshot once the session has ended. It never prints that
ending: the command says the outcome in one line (success on stdout, an error once, through
``cli.main``). When the input ends at a prompt, it stops the session and says what was left.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

from x2desk.core.errors import InputEnded, InputError
from x2desk.core.printable import printable
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from x2desk.core.clock import Clock
    from x2desk.core.session.machine import Observer, Snapshot
    from x2desk.core.session.poller import Scheduler

CLEAR_SCREEN = "\033[2J\033[H"
SCAN_HINTS = {
    "telegram_qr": N_(
        "Scan it with Telegram on your phone: Settings > Devices > Link Desktop Device."
    ),
    "whatsapp": N_(
        "Scan it with WhatsApp on your phone: Settings > Linked devices > Link a device."
    ),
}


class Session(Protocol):
    """What :func:`drive` needs of a session (LoginSession and GreenApiPairing both have it)."""

    def start(self) -> None: ...

    def snapshot(self) -> Snapshot: ...

    def subscribe(self, observer: Observer) -> Callable[[], None]: ...

    def submit_password(self, password: Secret) -> bool: ...

    def cancel(self) -> None: ...


class Terminal:
    """What a session shows and asks. Tests give their own (one that plays the phone)."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    @property
    def interactive(self) -> bool:
        return sys.stdin.isatty() and self.err.isatty()

    def say(self, text: str) -> None:
        print(printable(text), file=self.err, flush=True)

    def show_qr(self, payload: str | None) -> None:
        """Draw the QR of ``payload``; None: the service's QR image could not be read back."""
        if payload is None:
            self.say(
                _(
                    "The QR image that came could not be read back to draw it here; waiting "
                    "for the next one…"
                )
            )
            return
        from x2desk.commands.terminal_qr import qr_text

        self.clear_qr()
        print(qr_text(payload), end="", file=self.out, flush=True)

    def clear_qr(self) -> None:
        """Take an old QR off the screen (only on a real terminal; a log keeps everything)."""
        if self.out.isatty():
            print(CLEAR_SCREEN, end="", file=self.out, flush=True)

    def ask_code(self) -> Secret:
        from x2desk.commands.terminal import ask_secret

        return ask_secret(
            _("Login code (not shown): "), _("No login code was typed (the input ended).")
        )

    def ask_password(self, hint: str | None = None) -> Secret:
        from x2desk.commands.terminal import ask_secret

        said = _(" (hint: {hint})").format(hint=printable(hint)) if hint else ""
        return ask_secret(
            _("Two-step verification password{hint} (not shown): ").format(hint=said),
            _("No two-step verification password was typed (the input ended)."),
        )


@dataclass
class Runtime:
    """Where the session's work runs and how the command waits for news. Real time by default
    (a worker thread); tests substitute a fake clock and a manual scheduler."""

    clock: Clock
    scheduler: Scheduler | None
    wait: Callable[[threading.Event], None]
    close: Callable[[], None] = field(default=lambda: None)


def wait_for_change(changed: threading.Event) -> None:
    """Wait for the session to change, at most a second (so Ctrl-C is never held up)."""
    changed.wait(1.0)
    changed.clear()


def realtime() -> Runtime:
    from x2desk.core.clock import SYSTEM_CLOCK
    from x2desk.core.session.poller import ThreadScheduler

    scheduler = ThreadScheduler(SYSTEM_CLOCK, name="x2desk-connect")
    return Runtime(SYSTEM_CLOCK, scheduler, wait_for_change, scheduler.close)


# What the commands use; tests put their own here.
make_runtime: Callable[[], Runtime] = realtime
make_terminal: Callable[[], Terminal] = Terminal


@dataclass
class _Shown:
    qr_version: int = 0
    text: str = ""
    link: bool = False


def drive(
    session: Session,
    term: Terminal,
    wait: Callable[[threading.Event], None],
    *,
    stopped: str,
    choose: Callable[[Snapshot], bool] | None = None,
) -> Snapshot:
    """Run ``session`` to its end; returns the last snapshot (connected, failed, expired...).

    ``stopped``: what to say happened when the input ends at a prompt (the session is cancelled
    first). ``choose``: answers choices the session offers besides code and password; returns
    True when it acted.
    """
    changed = threading.Event()
    unsubscribe = session.subscribe(lambda _snap: changed.set())
    shown = _Shown()
    try:
        session.start()
        while True:
            snap = session.snapshot()
            if choose is not None and choose(snap):
                shown.text = ""
                continue
            if snap.terminal:
                if shown.qr_version:
                    term.clear_qr()
                return snap
            _render(snap, term, shown)
            if not snap.busy and _ask(session, snap, term, stopped):
                continue
            wait(changed)
    finally:
        unsubscribe()


def _render(snap: Snapshot, term: Terminal, shown: _Shown) -> None:
    if snap.qr or snap.qr_image is not None:
        if snap.qr_version != shown.qr_version:
            shown.qr_version = snap.qr_version
            term.show_qr(_payload(snap))
            left = ""
            if snap.qr_seconds_left:
                n = snap.qr_seconds_left
                left = " " + ngettext(
                    "This QR expires in {s} second.", "This QR expires in {s} seconds.", n
                ).format(s=n)
            hint = SCAN_HINTS.get(snap.flow)
            term.say((_(hint) if hint else snap.text) + left)
            shown.text = snap.text
    elif shown.qr_version:  # expired or done: never left on screen
        shown.qr_version = 0
        term.clear_qr()
    if snap.qr_link and not shown.link:
        term.say(
            _("Or open this page on another device to see the QR: {link}").format(link=snap.qr_link)
        )
        shown.link = True
    if snap.text and snap.text != shown.text:
        term.say(snap.text)
    shown.text = snap.text


def _payload(snap: Snapshot) -> str | None:
    if snap.qr:
        return snap.qr
    from x2desk.core.greenapi.client import read_qr_png

    assert snap.qr_image is not None
    return read_qr_png(snap.qr_image)


def _ask(session: Session, snap: Snapshot, term: Terminal, stopped: str) -> bool:
    """Ask for what the session waits for and send it; False when it waits for nothing."""
    if "submit_code" in snap.actions:
        submit = getattr(session, "submit_code")  # noqa: B009 (a LoginSession; a pairing has none)
        ask: Callable[[], Secret] = term.ask_code
    elif "submit_password" in snap.actions:
        submit = session.submit_password
        ask = lambda: term.ask_password(snap.password_hint)  # noqa: E731
    else:
        return False
    try:
        submit(ask())
    except InputEnded as exc:
        with contextlib.suppress(Exception):
            session.cancel()
        raise InputEnded(f"{exc.message} {stopped}") from None
    except InputError as exc:  # an empty or malformed code: say so and ask again
        term.say(exc.message)
    return True
