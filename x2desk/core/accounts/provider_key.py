"""The provider's API key, for the GUI and the CLI alike (no Qt; blocking: call from a worker):
where a saved one comes from (:func:`load_key`), checking one with the provider and remembering
it (:func:`verify_key`), and reading it from a store the person has just unlocked
(:func:`key_in`).

The key is kept per provider address under :func:`~x2desk.core.accounts.client.provider_key_ref`
in the credential store the user chose. When that store is the encrypted file and it is locked,
:func:`load_key` says so (``locked``) instead of failing; a caller that has the file open
already (``unlocked``) reads the key from there. The demo's sandbox hands out a key from its
dashboard: the demo passes that in as ``demo_key`` (production code never imports the sandbox).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from x2desk.core.accounts.client import Connection, ConnectionsClient, provider_key_ref
from x2desk.core.errors import X2DeskError
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
    key: Secret | None
    source: KeySource
    locked: bool = False  # a key may be saved in the encrypted file, which is locked


@dataclass(frozen=True)
class VerifiedKey:
    """The key works: the provider listed its connections. ``save_error``: it was to be
    remembered but could not be (the key still works for this run)."""

    connections: list[Connection]
    saved: bool = False
    save_error: X2DeskError | None = None

    def of_type(self, connection_type: str) -> list[Connection]:
        return [c for c in self.connections if c.type == connection_type]


def key_in(store: CredentialStore, base_url: str) -> Secret | None:
    """The key saved for ``base_url`` in ``store`` (one the person has just unlocked, say)."""
    return store.load(provider_key_ref(base_url))


def load_key(
    base_url: str,
    *,
    earlier: Secret | None = None,
    unlocked: CredentialStore | None = None,
    demo_key: Callable[[], str] | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> LoadedKey:
    """The key to prefill for ``base_url``: the one checked ``earlier`` in this run, else the
    saved one (from ``unlocked`` when the chosen store is the locked encrypted file), else the
    demo's. A store that cannot be read is no error here: the person types the key."""
    if earlier is not None:
        return LoadedKey(earlier, KeySource.EARLIER)
    locked = False
    try:
        key = key_in(open_store(), base_url)
    except X2DeskError as exc:
        key = None
        if is_locked(exc):
            if unlocked is not None:
                key = key_in(unlocked, base_url)
            else:
                locked = True
    if key is not None:
        return LoadedKey(key, KeySource.SAVED)
    if demo_key is not None:
        return LoadedKey(Secret(demo_key()), KeySource.DEMO)
    return LoadedKey(None, KeySource.NONE, locked)


def remember_key(
    base_url: str,
    key: Secret,
    *,
    unlocked: CredentialStore | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> None:
    """Save ``key`` for ``base_url`` in the chosen store (``unlocked``: the encrypted file the
    person opened, when the chosen store is that file and it is locked)."""
    try:
        store = open_store()
    except X2DeskError as exc:
        if unlocked is None or not is_locked(exc):
            raise
        store = unlocked
    store.save(provider_key_ref(base_url), key)


def verify_key(
    base_url: str,
    key: Secret,
    *,
    remember: bool,
    unlocked: CredentialStore | None = None,
    wall_time: Callable[[], float] | None = None,
    open_store: StoreOpener = open_chosen_store,
) -> VerifiedKey:
    """Check ``key`` with the provider (it lists the connections: the provider's errors are
    raised as they are); then, with ``remember``, save it (a failure to save is reported in the
    result, not raised: the key works)."""
    with ConnectionsClient(base_url, key, wall_time=wall_time) as client:
        connections = client.list_connections()
    if not remember:
        return VerifiedKey(connections)
    try:
        remember_key(base_url, key, unlocked=unlocked, open_store=open_store)
    except X2DeskError as exc:
        return VerifiedKey(connections, save_error=exc)
    return VerifiedKey(connections, saved=True)
