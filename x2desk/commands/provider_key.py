"""The connections provider's API key and company for ``x2desk connect``: the key from a file,
the credential store, a sandbox, or a prompt without echo (saved on request); the company from
``--company``, the one remembered, the only one, or asked.

The key, in order: ``--api-key-file`` (read by :mod:`x2desk.commands.secret_files`); the key
saved for this provider address and company (the store opened by
:func:`x2desk.commands.stores.open_store`, without setting one up; a store that cannot be opened
just means no saved key); with ``--sandbox-url``, a key the sandbox hands out (asked first in a
terminal); else a prompt. ``--save-key`` keeps a key that did not come from the store, bound to
the address and the company it works in, in the store the passphrase options allow.
"""

from __future__ import annotations

import argparse
import contextlib
from typing import TYPE_CHECKING

from x2desk.commands import terminal
from x2desk.commands.terminal import ask_line, ask_secret, ask_yes, say
from x2desk.core.errors import (
    BadAnswer,
    CompanyChoiceRequired,
    InputError,
    KeyringUnavailable,
    PassphraseRequired,
    StoreError,
    WrongPassphrase,
)
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.accounts.client import Company, ConnectionsClient

SANDBOX_KEY_PATH = "/_sandbox/provider/key"


def resolve_api_key(
    args: argparse.Namespace, base_url: str, company_id: str | None = None
) -> tuple[Secret, bool]:
    """The key to use with the provider at ``base_url`` (checked for its form), and whether it
    came from the store (saved for that address and ``company_id``, else the company remembered
    there)."""
    from x2desk.commands.secret_files import read_secret_file
    from x2desk.core.accounts.client import check_api_key

    found: Secret | None = None
    if args.api_key_file:
        found = read_secret_file(args.api_key_file, _("API key"))
    else:
        found = _saved_key(args, base_url, company_id)
    from_store = found is not None and not args.api_key_file
    if found is None and args.sandbox_url:
        found = _offer_sandbox_key(args.sandbox_url)
    if found is None:
        found = ask_secret(
            _("Provider API key (from the provider's dashboard; not shown): "),
            _("No API key was typed (the input ended). Nothing was sent."),
        )
    return check_api_key(found, N_("provider's API key")), from_store


def choose_company(
    client: ConnectionsClient, base_url: str, wanted: str | None, preferred: str | None = None
) -> Company:
    """Work in the company ``wanted`` (an id or a name), else the one ``preferred`` or
    remembered for this address, else the only one; several: asked in a terminal, otherwise an
    error listing them. Remembered for the address; said on stderr."""
    from x2desk.core.accounts.companies import remember_company, remembered_company
    from x2desk.core.accounts.provider_key import pick_company

    companies = client.companies()
    if preferred is None and not wanted:
        preferred = remembered_company(base_url)
    try:
        company = pick_company(companies, wanted, preferred)
    except CompanyChoiceRequired as asked:
        company = _ask_company(asked)
    client.use_company(company)
    with contextlib.suppress(StoreError):
        remember_company(base_url, company.id)
    say(_("Company at the provider: {name} (id {id}).").format(name=company.name, id=company.id))
    return company


def _ask_company(asked: CompanyChoiceRequired) -> Company:
    companies = list(asked.companies)
    if not terminal.interactive():
        names = "; ".join(f"{c.id} = {c.name}" for c in companies)
        raise InputError(
            _(
                "This API key works for several companies ({names}). Say which one with "
                "--company ID or --company NAME."
            ).format(names=names)
        )
    say(_("This API key works for several companies:"))
    for number, company in enumerate(companies, start=1):
        say(f"  {number}. {company.name} (id {company.id})")
    answer = ask_line(
        _("Which one? [1-{n}] ").format(n=len(companies)),
        _("No company was chosen (the input ended). Nothing was sent: give --company."),
    ).strip()
    if answer.isdigit() and 1 <= int(answer) <= len(companies):
        return companies[int(answer) - 1]
    from x2desk.core.accounts.companies import choose_company as by_name

    return by_name(companies, answer)  # an id or a name typed instead of a number


def _saved_key(args: argparse.Namespace, base_url: str, company_id: str | None) -> Secret | None:
    from x2desk.commands.stores import no_terminal_hint, open_store
    from x2desk.core.accounts.companies import load_provider_key

    try:
        return load_provider_key(open_store(args, create=False), base_url, company_id)[0]
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


def save_key(args: argparse.Namespace, base_url: str, company_id: int | str, key: Secret) -> None:
    """``--save-key``: keep ``key`` bound to the address and the company it works in."""
    from x2desk.commands.stores import open_store
    from x2desk.core.accounts.companies import save_provider_key

    try:
        store = open_store(args)
        save_provider_key(store, base_url, company_id, key)
    except StoreError as exc:
        say(_("The API key was not saved: {why}").format(why=exc.message))
        return
    say(_("The API key was saved in {store}.").format(store=store.description))
