"""Removing a profile with everything it holds: its secrets in the credential store (found from
its records and its provider addresses and companies; a store that can list its entries gives up
every ref with the profile's prefix), then its folder (records, journal) and its registry entry.
The secrets go first: if the store fails, nothing else is removed and running it again finishes.
The registry itself is :mod:`x2desk.core.profiles`. Blocking: run it in a worker.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.errors import InputError, StoreError
from x2desk.core.profiles import (
    DEFAULT,
    REF_PREFIX,
    check_name,
    forget_profile_entry,
    get_profile,
    profile_folder,
)
from x2desk.i18n import _, ngettext

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore


@dataclass(frozen=True)
class RemovedProfile:
    name: str
    connections: int  # records it held (forgotten ones included)
    secrets: tuple[str, ...]  # refs deleted from the credential store


def profile_refs(name: str, store: CredentialStore | None = None) -> list[str]:
    """Every credential-store ref profile ``name`` is known to use."""
    from x2desk.core.accounts.companies import provider_key_ref
    from x2desk.core.store.records import RecordStore

    with RecordStore.open(profile_folder(name) / RecordStore.FILE) as records:
        saved = records.list(include_forgotten=True)
    refs = {r.secret_ref for r in saved if r.secret_ref}
    refs |= {ref for r in saved for ref in r.forget_left}
    companies = get_profile(name).settings.get("provider_companies")
    for address, company in (companies if isinstance(companies, dict) else {}).items():
        refs.add(provider_key_ref(address, company, profile=name))
        refs.add(provider_key_ref(address, None, profile=name))
    listed = getattr(store, "refs", None)
    if listed is not None:
        refs |= {ref for ref in listed() if ref.startswith(f"{REF_PREFIX}{name}:")}
    return sorted(refs)


def remove_profile(name: str, store: CredentialStore, *, force: bool = False) -> RemovedProfile:
    """Remove profile ``name`` (not ``default``). Without ``force`` a profile that still has
    connections (not forgotten) is refused, saying how many."""
    from x2desk.core.store.records import RecordStore

    name = check_name(name)
    if name == DEFAULT:
        raise InputError(_("The default profile cannot be removed."))
    get_profile(name)  # InputError when there is none
    folder = profile_folder(name)
    with RecordStore.open(folder / RecordStore.FILE) as records:
        live, total = records.count(), records.count(include_forgotten=True)
    if live and not force:
        raise InputError(
            ngettext(
                "Profile '{name}' still has {n} connection: forget it first, or remove the "
                "profile with --force (its secrets are deleted from this computer).",
                "Profile '{name}' still has {n} connections: forget them first, or remove the "
                "profile with --force (their secrets are deleted from this computer).",
                live,
            ).format(name=name, n=live)
        )
    refs = profile_refs(name, store)
    for ref in refs:
        store.delete(ref)  # a failure stops here: run it again to finish
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise StoreError(
            _("Cannot remove the profile's folder {path}: {why}.").format(
                path=folder, why=exc.strerror or type(exc).__name__
            )
        ) from None
    forget_profile_entry(name)
    return RemovedProfile(name, total, tuple(refs))
