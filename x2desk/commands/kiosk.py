"""`x2desk kiosk set-pin|check`: set the kiosk's admin PIN, check the kiosk's config file.

``set-pin`` asks for the PIN twice without echo, or reads it from the first line of stdin
(``--pin-stdin``) or of an open file descriptor (``--pin-fd N``) for scripts; the config is
checked first, then only its ``admin.pin_hash`` line changes (:mod:`x2desk.core.kiosk.pin_file`).
The PIN is never printed, logged or passed on the command line (where ``ps`` would show it).
``check`` reads the config as the kiosk will at start and prints what it found.
"""

from __future__ import annotations

import argparse
import os
import sys

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="kiosk_action", metavar="set-pin|check", required=True)
    set_pin = actions.add_parser(
        "set-pin",
        help=_("write a new admin PIN's salted hash into the config"),
        description=_(
            "Ask for a new admin PIN (6-16 digits) twice and write its salted hash into the "
            "kiosk config; the rest of the file is kept as it is."
        ),
    )
    source = set_pin.add_mutually_exclusive_group()
    source.add_argument(
        "--pin-stdin", action="store_true", help=_("read the PIN from the first line of stdin")
    )
    source.add_argument(
        "--pin-fd",
        type=int,
        metavar="N",
        help=_("read the PIN from the first line of descriptor N"),
    )
    check = actions.add_parser(
        "check",
        help=_("check the config file as the kiosk reads it at start"),
        description=_("Read the kiosk config as `x2desk --kiosk` does and say what it offers."),
    )
    for sub in (set_pin, check):
        sub.add_argument(
            "--config",
            metavar=_("FILE"),
            default=argparse.SUPPRESS,  # keeps `x2desk --config FILE kiosk check` working
            help=_(
                "the kiosk config (default: ~/.config/x2desk/kiosk.toml, or "
                "$X2DESK_HOME/kiosk.toml when that is set)"
            ),
        )


def _read_line(stream_fd: int) -> Secret:
    """The first line of descriptor ``stream_fd`` (read byte by byte: nothing past it is used)."""
    data = bytearray()
    while len(data) < 256:
        byte = os.read(stream_fd, 1)
        if not byte or byte == b"\n":
            break
        data += byte
    try:
        return Secret(data.decode("utf-8").rstrip("\r"))
    except UnicodeDecodeError:
        raise InputError(_("The PIN must be digits (0-9). Nothing was changed.")) from None


def _ask_twice() -> Secret:
    import getpass

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise InputError(
            _(
                "No terminal to ask for the PIN in. Run it in a terminal, or give the PIN on "
                "the first line of stdin with --pin-stdin (or of a descriptor with --pin-fd)."
            )
        )
    try:
        first = Secret(getpass.getpass(_("New admin PIN (6-16 digits): ")))
        again = Secret(getpass.getpass(_("Type it again: ")))
    except EOFError:
        raise InputError(_("No PIN was typed. Nothing was changed.")) from None
    if first != again:
        raise InputError(_("The two PINs differ. Nothing was changed; run the command again."))
    return first


def _new_pin(args: argparse.Namespace) -> Secret:
    if args.pin_stdin:
        return _read_line(sys.stdin.fileno())
    if args.pin_fd is not None:
        try:
            return _read_line(args.pin_fd)
        except OSError as exc:
            raise InputError(
                _("Cannot read the PIN from descriptor {fd}: {reason}.").format(
                    fd=args.pin_fd, reason=exc.strerror or _("unreadable")
                )
            ) from None
    return _ask_twice()


def _set_pin(args: argparse.Namespace) -> int:
    from x2desk.core.kiosk.config import load_kiosk_config
    from x2desk.core.kiosk.pin import check_pin, hash_pin
    from x2desk.core.kiosk.pin_file import write_pin_hash

    config = load_kiosk_config(args.config, need_pin=False)  # a broken file: say so first
    pin = check_pin(_new_pin(args))
    written = write_pin_hash(config.path, hash_pin(pin))
    if not load_kiosk_config(written).admin.verify_pin(pin):
        raise InputError(_("The PIN was written but does not check out; run set-pin again."))
    print(
        _("Saved the new admin PIN's hash in {path} (readable only by you).").format(path=written)
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    from x2desk.core.kinds import FLOWS
    from x2desk.core.kiosk.config import load_kiosk_config

    config = load_kiosk_config(args.config)
    admin, times = config.admin, config.timeouts
    ways = [
        w
        for w in (
            admin.exit_chord,
            admin.exit_corner
            and _("a long press on the {corner} corner").format(corner=admin.exit_corner),
        )
        if w
    ]
    print(_("{path} is a valid kiosk config.").format(path=config.path))
    print(_("Flows: {flows}").format(flows="; ".join(_(FLOWS[f].title) for f in config.flows)))
    print(
        _(
            "Idle reset after {idle} s (countdown in the last {warn} s); done screen {done} s."
        ).format(idle=times.idle_s, warn=times.warning_s, done=times.done_s)
    )
    print(_("Leave it with: {ways}, then the admin PIN.").format(ways=_(" or ").join(ways)))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.kiosk_action == "set-pin":
        return _set_pin(args)
    return _check(args)
