"""The one reader for every secret the command line takes from a file or standard input: the
provider's API key (``--api-key-file``), a bot token or a group key (``--token-file``,
``--key-file``), Green-API's apiTokenInstance, the integration token (``redeem -``) and the
passphrase of the encrypted credentials file (``--passphrase-file``, ``$X2DESK_PASSPHRASE_FILE``).

One rule, one set of messages:

- the file holds the secret alone: exactly one non-empty line (blank lines around it are
  ignored), taken as it is without its line ending (a passphrase keeps its spaces; the checks of
  keys and tokens trim theirs);
- it is UTF-8 text of at most 4 KiB;
- on POSIX systems a regular file that other users can read (group or others have the read bit,
  as ``echo KEY > file`` leaves it with the usual umask) is refused, as ssh refuses such a key:
  ``chmod 600 FILE`` fixes it;
- ``-`` means standard input: one line (asked without echo when it is a terminal). It is read
  once; a second ``-`` in the same command finds it empty and says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _

MAX_BYTES = 4096
STDIN = "-"


def read_secret_file(path: str, what: str) -> Secret:
    """The secret in ``path`` (``-``: standard input), by the module's rule. ``what`` names it
    for the messages ("API key", "passphrase"...). Refusals are :class:`InputError`."""
    if path == STDIN:
        return _from_stdin(what)
    file = Path(path).expanduser()
    try:
        with file.open("rb") as handle:
            _refuse_if_others_can_read(handle.fileno(), path, what)
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(
            _("The {what} file {path} does not exist.").format(what=what, path=path)
        ) from None
    except IsADirectoryError:
        raise InputError(
            _("{path} is a folder, not a {what} file.").format(what=what, path=path)
        ) from None
    except OSError as exc:
        raise InputError(
            _("Cannot read the {what} file {path}: {why}.").format(
                what=what, path=path, why=exc.strerror or type(exc).__name__
            )
        ) from None
    if len(data) > MAX_BYTES:
        raise InputError(
            _(
                "The {what} file {path} is larger than {size} bytes: put the {what} alone in it."
            ).format(what=what, path=path, size=MAX_BYTES)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            _("The {what} file {path} is not UTF-8 text: put the {what} alone in it.").format(
                what=what, path=path
            )
        ) from None
    return _the_one_line(text, _("The {what} file {path}").format(what=what, path=path), what)


def _refuse_if_others_can_read(fd: int, path: str, what: str) -> None:
    from x2desk.core.private_files import shared_mode

    mode = shared_mode(fd)
    if mode is not None:
        raise InputError(
            _(
                "The {what} file {path} can be read by other users of this computer (mode "
                "{mode}): run 'chmod 600 {path}' and try again."
            ).format(what=what, path=path, mode=mode)
        )


def _from_stdin(what: str) -> Secret:
    stream = sys.stdin
    if stream is None:
        raise InputError(_("There is no standard input to read the {what} from.").format(what=what))
    if stream.isatty():
        import getpass

        try:
            line = getpass.getpass(
                _("{what} (not shown): ").format(what=what[:1].upper() + what[1:])
            )
        except EOFError:
            line = ""
    else:
        line = stream.readline(MAX_BYTES + 1)
    if not line.strip():
        raise InputError(
            _(
                "Standard input gave no {what}: it is empty, or another '-' of this command "
                "already read it."
            ).format(what=what)
        )
    if len(line) > MAX_BYTES:
        raise InputError(
            _(
                "Standard input gave more than {size} bytes on one line: give the {what} alone."
            ).format(what=what, size=MAX_BYTES)
        )
    return _the_one_line(line, _("Standard input"), what)


def _the_one_line(text: str, source: str, what: str) -> Secret:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InputError(
            _("{source} is empty: put the {what} on one line.").format(source=source, what=what)
        )
    if len(lines) > 1:
        raise InputError(
            _(
                "{source} must hold the {what} alone, on one line (it has {count} non-empty lines)."
            ).format(source=source, what=what, count=len(lines))
        )
    return Secret(lines[0])
