"""The ``x2desk`` entry point: the GUI by default, subcommands for the command line.

Errors print one clear line to stderr (the text from :mod:`x2desk.core.texts`, for the service
the command talks to: each command's parser sets ``texts``; control characters escaped) and exit
with the error's own code; never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from x2desk import __version__
from x2desk.commands import COMMANDS
from x2desk.core import redact
from x2desk.core.errors import X2DeskError
from x2desk.i18n import LANGUAGES, _

if TYPE_CHECKING:
    import argparse

EXIT_INTERRUPTED = 130
EXIT_UNEXPECTED = 70

log = logging.getLogger("x2desk")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser. With ``argv``, only the command named in it gets its module imported (the
    others are listed by name and help), so starting the window imports no command module."""
    import argparse

    from x2desk.commands.argparse_texts import route

    route()  # argparse's own words ("usage:", "error:") in the current language too
    needed = set(COMMANDS) if argv is None else set(COMMANDS).intersection(argv)
    parser = argparse.ArgumentParser(
        prog="x2desk",
        description=_("Connect messenger accounts and bots without copying a secret by hand."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"x2desk {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log debug details"))
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=_("language of the window and messages (default: $X2DESK_LANG, else the system's)"),
    )
    parser.add_argument(
        "--profile",
        metavar=_("NAME"),
        help=_(
            "work in this profile (default: $X2DESK_PROFILE, else the one 'x2desk profile "
            "use' chose, else 'default')"
        ),
    )
    _add_window_options(parser)
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name, help_text in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=_(help_text), description=_(help_text))
        sub_parser.set_defaults(command=name)
        # also after the command's name (x2desk list --profile acme); SUPPRESS keeps the global
        sub_parser.add_argument(
            "--profile",
            metavar=_("NAME"),
            default=argparse.SUPPRESS,
            help=_("work in this profile"),
        )
        if name in needed:
            _command_module(name).add_arguments(sub_parser)
    return parser


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    """The window's options (when no command is given)."""
    gui = parser.add_argument_group(_("window (when no command is given)"))
    gui.add_argument("--demo", action="store_true", help=_("run against an embedded sandbox"))
    gui.add_argument("--sandbox-url", metavar="URL", help=_("use an already running sandbox"))
    gui.add_argument(
        "--camera", metavar=_("INDEX_OR_FILE"), help=_("camera index, video or pattern")
    )
    gui.add_argument("--autopilot", action="store_true", help=_("drive the demo like a person"))
    gui.add_argument(
        "--screenshots", metavar=_("DIR"), help=_("autopilot: save a PNG of each page")
    )
    gui.add_argument("--report", metavar=_("FILE"), help=_("autopilot: write a JSON report"))
    gui.add_argument("--kiosk", action="store_true", help=_("fullscreen pairing station mode"))
    gui.add_argument(
        "--config", metavar=_("FILE"), help=_("kiosk: its config (x2desk kiosk check)")
    )
    gui.add_argument(
        "--cycles", type=int, metavar="N", help=_("kiosk autopilot: people to serve (default 6)")
    )
    gui.add_argument("--self-test", action="store_true", help=_("check the installed app works"))


# What the parser gives for no arguments at all: the plain window. ``main([])`` uses these
# without building the parser (start-up); a test keeps them equal to the parser's.
NO_ARGUMENT_DEFAULTS: dict[str, object] = {
    "verbose": False,
    "lang": None,
    "profile": None,
    "demo": False,
    "sandbox_url": None,
    "camera": None,
    "autopilot": False,
    "screenshots": None,
    "report": None,
    "kiosk": False,
    "config": None,
    "cycles": None,
    "self_test": False,
    "command": None,
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed arguments; with none at all, the defaults without building the parser."""
    if not argv:
        from argparse import Namespace

        return Namespace(**NO_ARGUMENT_DEFAULTS)
    argv = list(argv)
    return build_parser(argv).parse_args(argv)


def _command_module(name: str):
    return importlib.import_module(f"x2desk.commands.{name}")


def _lang_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` in ``argv`` if it is a language x2desk speaks
    (another value: the parser says what is wrong with it)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value is not None:
            return value if value in LANGUAGES else None
    return None


def _setup_language(option: str | None) -> None:
    """``--lang``, else ``$X2DESK_LANG``, else the system's language (English where x2desk does
    not speak it). A wrong ``$X2DESK_LANG`` is said once and English used."""
    from x2desk import i18n

    try:
        code = i18n.choose_language(option)
    except ValueError as exc:
        print(
            _(
                "x2desk: {LANG_ENV}={exc} is not a language x2desk speaks ({LANGUAGES}); using "
                "English."
            ).format(LANG_ENV=i18n.LANG_ENV, exc=exc, LANGUAGES=", ".join(i18n.LANGUAGES)),
            file=sys.stderr,
        )
        code = i18n.DEFAULT_LANGUAGE
    i18n.set_language(code)


def _setup_logging(verbose: bool) -> None:
    """Warnings (everything with -v) on stderr; INFO and up (DEBUG with -v) in the data folder's
    log file (core/logfile.py). Every record is scrubbed of secrets first (redact.install)."""
    from x2desk.core.logfile import install_log_file

    redact.install()
    root = logging.getLogger()
    if not root.handlers:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        root.addHandler(console)
        root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    install_log_file(logging.DEBUG if verbose else logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:  # the plain window: no garbage collection before its first paint (run_gui)
        gc.disable()
    _setup_language(_lang_option(argv))  # before the parser: its help and errors follow it
    args = parse_args(argv)
    _setup_logging(args.verbose)
    what = args.command or ("self-test" if args.self_test else "window")
    log.info("x2desk %s: %s", __version__, what)
    try:
        if args.profile:
            from x2desk.core.profiles import set_session_profile

            set_session_profile(args.profile)
        if args.command:
            from x2desk.commands.leftovers import note_leftovers

            note_leftovers(args.command)  # what earlier runs left unfinished, in short
            return int(_command_module(args.command).run(args))
        if args.self_test:
            from x2desk.selftest import run_self_test

            return run_self_test()
        from x2desk.ui.app import run_gui

        return run_gui(args)
    except X2DeskError as exc:  # one line, worded by the table of the service it concerns
        from x2desk.core.printable import printable
        from x2desk.core.texts import COMMON, error_text

        log.info("%s ended: error=%s exit=%d", what, exc.key, exc.exit_code)
        text = error_text(exc, getattr(args, "texts", None) or COMMON)
        print(f"x2desk: {printable(text)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("x2desk: interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last net: one line, never a traceback on the terminal
        log.info("%s ended: unexpected %s", what, type(exc).__name__)
        log.debug("unexpected error", exc_info=True)
        print(
            _("x2desk: unexpected error ({name}). Run again with -v for details.").format(
                name=type(exc).__name__
            ),
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
