"""The provider's API key, for the GUI and the CLI alike (no Qt; blocking: call from a worker):
where a saved one comes from (:func:`load_key`), checking one with the provider, finding the
company it works in and remembering both (:func:`verify_key`), and reading it from a store the
person has just unlocked (:func:`key_in`).

A key is kept bound to the provider address *and* the company it was saved for
(:func:`~x2desk.core.accounts.companies.provider_key_ref`) in the credential store the user chose,
so a saved key never goes to another address or company. When that store is the encrypted file
and it is locked, :func:`load_key` says so (``locked``) instead of failing; a caller that has
the file open already (``unlocked``) reads the key from there. The demo's sandbox hands out a key
from its dashboard: the demo passes that in as ``demo_key`` (production code never imports the
sandbox).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from x2desk.core.accounts.client import Company, Connection, ConnectionsClient
from x2desk.core.accounts.companies import (
    choose_company,
    load_provider_key,
    remember_company,
    remembered_company,
    save_provider_key,
)
from x2desk.core.errors import StoreError, X2DeskError
from x2desk.core.saving import is_locked, open_chosen_store
from x2desk.core.secret import Secret

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore

StoreOpener = Callable[[], "CredentialStore"]


class KeySource(StrEnum):
    """Where a prefilled key came from (the GUI words a note for each)."""

    NONE = "none"
    EARLIER = "earlier"  # checked earlier in this run
    SAVED = "saved"  # the credential store
    DEMO = "demo"  # the demo sandbox's dashboard


@dataclass(frozen=True)
class LoadedKey:
    """A key to prefill, and the company it was saved for (None: not known yet)."""

    key: Secret | None
    source: KeySource
    locked: bool = False  # a key may be saved in the encrypted file, which is locked
    company_id: str | None = None


@dataclass(frozen=True)
class VerifiedKey:
    """The key works in ``company`` (one of ``companies``, all it sees): the provider listed its
    connections there. ``save_error``: it was to be remembered but could not be (the key still
    works for this run)."""

    connections: list[Connection]
    company: Company | None = None
    companies: tuple[Company, ...] = field(default=())
    saved: bool = False
    save_error: X2DeskError | None = None

    def of_type(self, connection_type: str) -> list[Connection]:
        return [c for c in self.connections if c.type == connection_type]


def key_in(
    store: CredentialStore, base_url: str, company_id: int | str | None = None
) -> Secret | None:
    """The key saved for ``base_url`` (and ``company_id``, else the company remembered there) in
    ``store`` (one the person has just unlocked, say)."""
    return load_provider_key(store, base_url, company_id)[0]


def load_key(
    base_url: str,
    *,
    company_id: int | str | None = None,
    earlier: Secret | None = None,
    unlocked: CredentialStore | None = None,
    demo_key: Callable[[], str] | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> LoadedKey:
    """The key to prefill for ``base_url`` (and ``company_id``, else the company remembered
    there): the one checked ``earlier`` in this run (the caller passes it only for this address
    and company), else the saved one (from ``unlocked`` when the chosen store is the locked
    encrypted file), else the demo's. A store that cannot be read is no error here: the person
    types the key."""
    wanted = str(company_id) if company_id is not None else None
    if earlier is not None:
        return LoadedKey(earlier, KeySource.EARLIER, company_id=wanted)
    locked = False
    key: Secret | None = None
    company = wanted if wanted is not None else _remembered(base_url)
    try:
        key, company = load_provider_key(open_store(), base_url, company_id)
    except X2DeskError as exc:
        if is_locked(exc):
            if unlocked is not None:
                key, company = load_provider_key(unlocked, base_url, company_id)
            else:
                locked = True
    if key is not None:
        return LoadedKey(key, KeySource.SAVED, company_id=company)
    if demo_key is not None:
        return LoadedKey(Secret(demo_key()), KeySource.DEMO, company_id=company)
    return LoadedKey(None, KeySource.NONE, locked, company_id=company)


def _remembered(base_url: str) -> str | None:
    try:
        return remembered_company(base_url)
    except X2DeskError:
        return None


def pick_company(
    companies: Sequence[Company],
    wanted: int | str | None = None,
    preferred: int | str | None = None,
) -> Company:
    """The company to work in: ``wanted`` (the person's choice, an id or a name: InputError when
    the key does not see it), else ``preferred`` (the one remembered, if the key still sees it),
    else the only one. Several and neither: :class:`~x2desk.core.errors.CompanyChoiceRequired`."""
    if wanted is not None and str(wanted).strip():
        return choose_company(companies, wanted)
    if preferred is not None:
        for company in companies:
            if str(company.id) == str(preferred):
                return company
    return choose_company(companies, None)


def remember_key(
    base_url: str,
    key: Secret,
    company_id: int | str,
    *,
    unlocked: CredentialStore | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> None:
    """Save ``key`` for ``base_url`` and ``company_id`` in the chosen store (``unlocked``: the
    encrypted file the person opened, when the chosen store is that file and it is locked)."""
    try:
        store = open_store()
    except X2DeskError as exc:
        if unlocked is None or not is_locked(exc):
            raise
        store = unlocked
    save_provider_key(store, base_url, company_id, key)


def verify_key(
    base_url: str,
    key: Secret,
    *,
    remember: bool,
    company: int | str | None = None,
    preferred: int | str | None = None,
    unlocked: CredentialStore | None = None,
    wall_time: Callable[[], float] | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> VerifiedKey:
    """Check ``key`` with the provider: find its company (:func:`pick_company`: ``company`` the
    person chose, else ``preferred``, else the only one; several:
    :class:`~x2desk.core.errors.CompanyChoiceRequired` with the list) and list the connections
    there (the provider's errors are raised as they are). The company is remembered for this
    address; with ``remember`` the key is saved bound to the address and company (a failure to
    save is reported in the result, not raised: the key works)."""
    with ConnectionsClient(base_url, key, wall_time=wall_time) as client:
        companies = tuple(client.companies())
        chosen = pick_company(companies, company, preferred)
        client.use_company(chosen)
        connections = client.list_connections()
    if not remember:
        with contextlib.suppress(StoreError):  # a convenience: preselected next time
            remember_company(base_url, chosen.id)
        return VerifiedKey(connections, chosen, companies)
    try:
        remember_key(base_url, key, chosen.id, unlocked=unlocked, open_store=open_store)
    except X2DeskError as exc:
        return VerifiedKey(connections, chosen, companies, save_error=exc)
    return VerifiedKey(connections, chosen, companies, saved=True)
