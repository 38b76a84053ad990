"""The connections provider's API key for ``x2desk connect``: from a file, the credential store,
a sandbox, or a prompt without echo; saved on request.

In order: ``--api-key-file`` (read by :mod:`x2desk.commands.secret_files`); the key saved for
this provider address (the store opened by :func:`x2desk.commands.stores.open_store`, without
setting one up; a store that cannot be opened just means no saved key); with ``--sandbox-url``,
a key the sandbox hands out (asked first in a terminal); else a prompt. ``--save-key`` keeps a
key that did not come from the store, in the store the passphrase options allow.
"""

from __future__ import annotations

import argparse

from x2desk.commands import terminal
from x2desk.commands.terminal import ask_secret, ask_yes, say
from x2desk.core.errors import (
    BadAnswer,
    KeyringUnavailable,
    PassphraseRequired,
    StoreError,
    WrongPassphrase,
)
from x2desk.core.secret import Secret
from x2desk.i18n import _

SANDBOX_KEY_PATH = "/_sandbox/provider/key"


def resolve_api_key(args: argparse.Namespace, base_url: str) -> Secret:
    """The key to use with the provider at ``base_url`` (checked for its form)."""
    from x2desk.commands.secret_files import read_secret_file
    from x2desk.core.accounts.client import check_api_key, provider_key_ref

    ref = provider_key_ref(base_url)
    found: Secret | None = None
    if args.api_key_file:
        found = read_secret_file(args.api_key_file, _("API key"))
    else:
        found = _saved_key(args, ref)
    from_store = found is not None and not args.api_key_file
    if found is None and args.sandbox_url:
        found = _offer_sandbox_key(args.sandbox_url)
    if found is None:
        found = ask_secret(
            _("Provider API key (scope 'connections'; not shown): "),
            _("No API key was typed (the input ended). Nothing was sent."),
        )
    key = check_api_key(found, "provider's API key")
    if args.save_key and not from_store:
        _save_key(args, ref, key)
    return key


def _saved_key(args: argparse.Namespace, ref: str) -> Secret | None:
    from x2desk.commands.stores import no_terminal_hint, open_store

    try:
        return open_store(args, create=False).load(ref)
    except KeyringUnavailable:
        return None  # nothing can have been saved there
    except WrongPassphrase:
        raise
    except PassphraseRequired:
        say(
            _("A saved API key may be in the encrypted credentials file.")
            + " "
            + no_terminal_hint()
        )
    except StoreError as exc:
        say(_("The saved API key could not be read: {why}").format(why=exc.message))
    return None


def _offer_sandbox_key(sandbox_url: str) -> Secret | None:
    if terminal.interactive() and not ask_yes(
        _("No provider API key is saved for this sandbox. Get one from the sandbox now?")
    ):
        return None
    key = sandbox_provider_key(sandbox_url)
    say(_("Got a provider API key from the sandbox (add --save-key to keep it)."))
    return key


def sandbox_provider_key(sandbox_url: str) -> Secret:
    """A new provider key from the sandbox at ``sandbox_url`` (``POST /_sandbox/provider/key``,
    as the provider's dashboard would give one). Sandbox only: nothing in core calls this."""
    from x2desk.core.net import json_body, make_http_client, require_secure, send

    base = require_secure(sandbox_url)
    with make_http_client() as http:
        response = send(
            http,
            "POST",
            base + SANDBOX_KEY_PATH,
            json={},
            log_as=f"POST {SANDBOX_KEY_PATH}",
            cannot_connect=_(
                "Could not reach the sandbox at {url}: is 'x2desk sandbox' running there?"
            ).format(url=base),
        )
    body = json_body(response)
    key = body.get("api_key") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(key, str) or not key:
        raise BadAnswer(
            _("{url} gave no provider key (HTTP {status}): is it an x2desk sandbox?").format(
                url=base, status=response.status_code
            )
        )
    return Secret(key)


def _save_key(args: argparse.Namespace, ref: str, key: Secret) -> None:
    from x2desk.commands.stores import open_store

    try:
        store = open_store(args)
        store.save(ref, key)
    except StoreError as exc:
        say(_("The API key was not saved: {why}").format(why=exc.message))
        return
    say(_("The API key was saved in {store}.").format(store=store.description))
