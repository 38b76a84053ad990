"""The credential store for every command that reads or saves a secret, by one rule.

Every such command (``redeem``, ``connect`` with ``--save-key`` or a saved key, ``connect
green-api``, ``forget``) takes ``--passphrase-file FILE`` (or ``$X2DESK_PASSPHRASE_FILE``), read by
:mod:`x2desk.commands.secret_files`. :func:`open_store` then gives:

- the store the settings chose: the OS keyring, unless the encrypted file was chosen;
- the encrypted file unlocked with the passphrase file, else with a passphrase asked in a
  terminal, else :class:`PassphraseRequired` saying how to give it;
- where no system keyring works: the encrypted file store, set up with the passphrase file (or,
  in a terminal, after a yes and the passphrase typed twice), else :class:`KeyringUnavailable`
  saying how; the choice is saved in the settings, as the window does.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from x2desk.commands import terminal
from x2desk.commands.terminal import ask_secret, ask_yes, say
from x2desk.core.errors import InputError, KeyringUnavailable, PassphraseRequired, StoreError
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.settings import Settings

PASSPHRASE_ENV = "X2DESK_PASSPHRASE_FILE"


def add_passphrase_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar=_("FILE"),
        help=_(
            "the encrypted credentials file's passphrase, alone in FILE ('-' for stdin; the file "
            "must not be readable by others): used where no system keyring works (also "
            "${PASSPHRASE_ENV})"
        ).format(PASSPHRASE_ENV=PASSPHRASE_ENV),
    )


def passphrase_path(args: argparse.Namespace) -> str | None:
    """``--passphrase-file``, else ``$X2DESK_PASSPHRASE_FILE``, else None."""
    given = getattr(args, "passphrase_file", None)
    return given or os.environ.get(PASSPHRASE_ENV, "").strip() or None


def given_passphrase(args: argparse.Namespace) -> Secret | None:
    """The passphrase from the file the options name, or None when none is named."""
    from x2desk.commands.secret_files import read_secret_file

    path = passphrase_path(args)
    return read_secret_file(path, _("passphrase")) if path else None


def no_terminal_hint() -> str:
    return _(
        "To use the encrypted file store without a terminal, give --passphrase-file FILE (or "
        "set {env}) with the passphrase alone in FILE."
    ).format(env=PASSPHRASE_ENV)


def ask_passphrase(new: bool) -> Secret:
    """Ask for the passphrase without echo; a new one twice (they must match)."""
    ended = _("No passphrase was typed (the input ended). Nothing was changed.")
    first = ask_secret(_("Passphrase for the credentials file (not shown): "), ended)
    if new and ask_secret(_("Type it again: "), ended) != first:
        raise InputError(
            _("The two passphrases differ. Nothing was changed; run the command again.")
        )
    return first


def open_store(args: argparse.Namespace, *, create: bool = True) -> CredentialStore:
    """The credential store by the module's rule. ``create``: may set up the encrypted file
    (a command that only reads or deletes says False)."""
    from x2desk.core.store.credentials import KeyringStore
    from x2desk.core.store.settings import load_settings

    settings = load_settings()
    if settings.credential_store == "encrypted_file":
        return _open_chosen_file(args, settings, create)
    try:
        return KeyringStore()
    except KeyringUnavailable as exc:
        if not create:
            raise
        return _set_up_file(args, exc)


def _open_chosen_file(
    args: argparse.Namespace, settings: Settings, create: bool
) -> CredentialStore:
    from x2desk.core.store.credentials import (
        default_credentials_file,
        open_credential_store,
        use_encrypted_file,
    )

    path = Path(settings.credentials_file or default_credentials_file())
    passphrase = given_passphrase(args)
    if create and not path.exists():
        gone = _(
            "The chosen encrypted credentials file {path} is missing (the secrets it held are "
            "gone)."
        ).format(path=path)
        if passphrase is None and not terminal.interactive():
            raise StoreError(f"{gone} {no_terminal_hint()}")
        say(gone + " " + _("x2desk makes a new one."))
        return use_encrypted_file(passphrase or ask_passphrase(new=True), path)
    if passphrase is None:
        if not terminal.interactive():
            raise PassphraseRequired(
                _(
                    "Secrets are kept in the encrypted credentials file, and there is no "
                    "terminal to type its passphrase: give --passphrase-file FILE (or set {env}) "
                    "with the passphrase alone in FILE."
                ).format(env=PASSPHRASE_ENV)
            )
        passphrase = ask_passphrase(new=False)
    return open_credential_store(settings, passphrase)


def _set_up_file(args: argparse.Namespace, unavailable: KeyringUnavailable) -> CredentialStore:
    from x2desk.core.store.credentials import default_credentials_file, use_encrypted_file

    passphrase = given_passphrase(args)
    if passphrase is None:
        if not terminal.interactive():
            raise KeyringUnavailable(f"{unavailable.message} {no_terminal_hint()}")
        say(unavailable.message)
        if not ask_yes(_("Use the encrypted file store (a passphrase you choose)?")):
            raise unavailable
        passphrase = ask_passphrase(new=not default_credentials_file().exists())
    return use_encrypted_file(passphrase)
