"""What every command prints and asks, in one place.

- :func:`say` (stderr: progress, notes, warnings) and :func:`show` (stdout: the result) escape
  control and bidi characters (:func:`x2desk.core.printable.printable`), so text that came from
  a server, a QR or a record can never drive the terminal. Only the QR drawing writes raw.
- :func:`ask_secret` (no echo), :func:`ask_line` and :func:`ask_yes` turn the end of input
  (Ctrl-D, a closed pipe) into :class:`~x2desk.core.errors.InputEnded` with the caller's words
  for what was not typed: a clear line and exit 2, never "unexpected error (EOFError)".
"""

from __future__ import annotations

import getpass
import sys
import warnings

from x2desk.core.errors import InputEnded
from x2desk.core.printable import printable
from x2desk.core.secret import Secret
from x2desk.i18n import _


def interactive() -> bool:
    """Whether a person can answer: stdin and stderr are a terminal."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def say(text: str) -> None:
    """A note for the person (stderr), escaped."""
    print(printable(text), file=sys.stderr, flush=True)


def show(text: str) -> None:
    """The command's result (stdout), escaped."""
    print(printable(text), flush=True)


def ask_secret(prompt: str, ended: str) -> Secret:
    """Ask without echo (a key, a token, a code, a password, a passphrase). ``ended``: what to
    say if the input ends instead (it becomes :class:`InputEnded`)."""
    try:
        with warnings.catch_warnings():  # no terminal: getpass says so itself, in one line
            warnings.simplefilter("ignore", getpass.GetPassWarning)
            return Secret(getpass.getpass(prompt).strip("\r\n"))
    except EOFError:
        print(file=sys.stderr)
        raise InputEnded(ended) from None


def ask_line(prompt: str, ended: str) -> str:
    """Ask for a line of text (echoed), as :func:`ask_secret`."""
    try:
        return input(prompt)
    except EOFError:
        print(file=sys.stderr)
        raise InputEnded(ended) from None


def ask_yes(question: str) -> bool:
    """A yes/no question on stderr; only "y" or "yes" is a yes (the end of input is a no)."""
    print(question + " " + _("[y/N]") + " ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes", _("y"), _("yes"))
