"""Named profiles: one operator working for several businesses on one computer.

A profile has its own list of connections (records and journal), its own addresses (X2Chat,
the provider, Green-API) and provider companies, and its own secrets. The ``default`` profile is
today's layout, unchanged: its records, journal and settings sit in the data folder itself, so a
data folder written before profiles existed keeps working as it is. Another profile ``NAME``
keeps its records and journal in ``profiles/NAME/`` under the data folder, and its addresses and
companies in ``profiles.json`` there (the registry: which profiles exist, their titles, which
one is active), read over the computer-wide settings by
:func:`x2desk.core.store.settings.load_settings`.

Which profile is active: the one this process was told (``--profile``, the window's switch:
:func:`set_session_profile`), else ``$X2DESK_PROFILE``, else the one remembered by
:func:`use_profile`, else ``default``.

Secrets: the credential store (keyring or encrypted file) is one per computer user, shared by
every profile, so each profile's refs are its own: ``default`` keeps the bare refs it always had
(``x2chat_bot:123``); profile ``acme`` saves under ``profile:acme:x2chat_bot:123`` (and its
provider keys under ``profile:acme:provider_api_key:...``).
:func:`x2desk.core.store.credentials.secret_ref` and
:func:`x2desk.core.accounts.companies.provider_key_ref` add the prefix of the active profile,
and a record keeps the full ref, so forgetting or exporting never depends on which profile is
active then. Why: the same bot, instance or provider address and company may be saved in two
profiles, and forgetting it in one must not delete the other's secret; removing a profile
deletes exactly its own entries; and ``profile`` is no connection kind, so one profile's audit
never takes another's secrets for its own orphans.

No Qt; blocking file access (small JSON): call from a worker in the window.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from x2desk.core.errors import InputError, StoreError
from x2desk.i18n import _

DEFAULT = "default"
PROFILE_ENV = "X2DESK_PROFILE"
REGISTRY_FILE = "profiles.json"
PROFILES_FOLDER = "profiles"
REF_PREFIX = "profile:"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
# The settings keys each profile has of its own (the rest are the computer's).
PROFILE_SETTINGS = ("api_bases", "provider_companies")

_session: str | None = None  # --profile, or the window's switch: this process only


@dataclass(frozen=True)
class Profile:
    name: str
    title: str = ""  # for people ("Flower shop"); empty: the name is shown
    created_at: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # its PROFILE_SETTINGS keys

    @property
    def is_default(self) -> bool:
        return self.name == DEFAULT

    @property
    def display_name(self) -> str:
        if self.title:
            return self.title
        return _("Default") if self.is_default else self.name

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "created_at": self.created_at}


# ---- names and the active profile --------------------------------------------------------------


def check_name(text: str) -> str:
    """A profile's name, lower-cased: 1-32 letters a-z, digits, '-' or '_' (it names a folder
    and prefixes the secrets' refs); InputError saying so otherwise."""
    name = (text or "").strip().lower()
    if not NAME_RE.match(name):
        raise InputError(
            _(
                "'{name}' cannot be a profile's name: use 1 to 32 letters a-z, digits, '-' or "
                "'_', starting with a letter or digit (e.g. flower-shop). A longer title can be "
                "given with --title."
            ).format(name=(text or "").strip()[:40])
        )
    return name


def set_session_profile(name: str | None) -> None:
    """Work in profile ``name`` in this process (``--profile``, the window's switch); None goes
    back to ``$X2DESK_PROFILE`` or the remembered one. InputError for a profile that does not
    exist."""
    global _session
    if name is None:
        _session = None
        return
    checked = check_name(name)
    _require(checked, _registry())
    _session = checked


def active_profile() -> str:
    """The name of the profile this process works in (see the module's doc)."""
    registry = _registry()
    for given in (_session, os.environ.get(PROFILE_ENV, "").strip()):
        if given:
            name = check_name(given)
            _require(name, registry)
            return name
    remembered = registry.get("active")
    if isinstance(remembered, str) and (remembered in _entries(registry) or remembered == DEFAULT):
        return remembered
    return DEFAULT


def profile_folder(name: str | None = None) -> Path:
    """Where the profile's records and journal live (created, mode 0700)."""
    from x2desk.core.store.folder import store_folder

    name = active_profile() if name is None else name
    root = store_folder()
    if name == DEFAULT:
        return root
    folder = root / PROFILES_FOLDER / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(
            _("Cannot create the profile's folder {path}: {why}.").format(
                path=folder, why=exc.strerror or type(exc).__name__
            )
        ) from None
    return folder


def profile_ref(ref: str, name: str | None = None) -> str:
    """``ref`` as profile ``name`` (default: the active one) saves it in the credential store."""
    name = active_profile() if name is None else name
    return ref if name == DEFAULT else f"{REF_PREFIX}{name}:{ref}"


def own_ref(ref: str, name: str | None = None) -> str | None:
    """The bare ref (``x2chat_bot:1``) when ``ref`` is one of profile ``name``'s (default: the
    active one), else None (another profile's)."""
    name = active_profile() if name is None else name
    if name == DEFAULT:
        return None if ref.startswith(REF_PREFIX) else ref
    prefix = f"{REF_PREFIX}{name}:"
    return ref[len(prefix) :] if ref.startswith(prefix) else None


# ---- the registry ------------------------------------------------------------------------------


def registry_path() -> Path:
    from x2desk.core.store.folder import store_folder

    return store_folder() / REGISTRY_FILE


def _registry() -> dict[str, Any]:
    path = registry_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError(
            _("Cannot read the profiles file {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise StoreError(
            _(
                "The profiles file {path} is damaged (not a JSON object). Fix it, or move it "
                "aside to keep only the default profile."
            ).format(path=path)
        )
    return data


def _entries(registry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    table = registry.get("profiles")
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(v, dict) and NAME_RE.match(k)}


def _require(name: str, registry: dict[str, Any]) -> None:
    if name != DEFAULT and name not in _entries(registry):
        raise InputError(
            _(
                "There is no profile '{name}'. See them with 'x2desk profile list'; make it "
                "with 'x2desk profile add {name}'."
            ).format(name=name)
        )


def _profile(name: str, entry: dict[str, Any]) -> Profile:
    title = entry.get("title")
    created = entry.get("created_at")
    settings = entry.get("settings")
    return Profile(
        name,
        title if isinstance(title, str) else "",
        float(created) if isinstance(created, int | float) else None,
        dict(settings) if isinstance(settings, dict) else {},
    )


def _change(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Read the registry, apply ``change`` and write it back, under the store lock."""
    from x2desk.core.store.atomic import atomic_write
    from x2desk.core.store.lock import store_lock

    path = registry_path()
    with store_lock(path):
        registry = _registry()
        change(registry)
        text = json.dumps(registry, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            raise StoreError(
                _("Cannot save the profiles file {path}: {why}.").format(
                    path=path, why=exc.strerror
                )
            ) from None
    return registry


def list_profiles() -> list[Profile]:
    """Every profile, ``default`` first, then by name."""
    entries = _entries(_registry())
    default = _profile(DEFAULT, entries.pop(DEFAULT, {}))
    return [default] + [_profile(n, e) for n, e in sorted(entries.items())]


def get_profile(name: str | None = None) -> Profile:
    """The profile ``name`` (default: the active one); InputError when there is none."""
    name = active_profile() if name is None else check_name(name)
    registry = _registry()
    _require(name, registry)
    return _profile(name, _entries(registry).get(name, {}))


def add_profile(
    name: str, title: str = "", addresses: dict[str, str] | None = None, now: float | None = None
) -> Profile:
    """Make profile ``name`` (InputError when it exists); ``addresses``: service ("x2chat",
    "provider", "greenapi") -> address, each https:// (http:// only on this computer)."""
    import time

    from x2desk.core.net import require_secure

    name = check_name(name)
    bases = {service: require_secure(url) for service, url in (addresses or {}).items()}
    _check_services(bases)

    def add(registry: dict[str, Any]) -> None:
        table = registry.setdefault("profiles", {})
        if name == DEFAULT or name in _entries(registry):
            raise InputError(_("There is already a profile '{name}'.").format(name=name))
        table[name] = {
            "title": title.strip()[:80],
            "created_at": time.time() if now is None else now,
            "settings": {"api_bases": bases},
        }

    _change(add)
    profile_folder(name)
    return get_profile(name)


def _check_services(bases: dict[str, str]) -> None:
    from x2desk.core.addresses import SERVICES

    unknown = sorted(set(bases) - set(SERVICES))
    if unknown:
        raise InputError(
            _("Unknown service '{name}': use one of {names}.").format(
                name=unknown[0], names=", ".join(SERVICES)
            )
        )


def set_title(name: str, title: str) -> Profile:
    """Give profile ``name`` a title for people (empty: none)."""
    name = check_name(name)

    def retitle(registry: dict[str, Any]) -> None:
        _require(name, registry)
        registry.setdefault("profiles", {}).setdefault(name, {})["title"] = title.strip()[:80]

    _change(retitle)
    return get_profile(name)


def use_profile(name: str) -> Profile:
    """Make ``name`` the active profile: remembered for the next runs, and this process works
    in it from now on (over ``$X2DESK_PROFILE``: the window's switch)."""
    global _session
    name = check_name(name)

    def remember(registry: dict[str, Any]) -> None:
        _require(name, registry)
        registry["active"] = name

    _change(remember)
    _session = name
    return get_profile(name)


def forget_profile_entry(name: str) -> None:
    """Drop profile ``name`` from the registry (its folder and secrets are the caller's: see
    :func:`x2desk.core.home.profiles.remove_profile`). The active one falls back to default."""
    global _session

    def drop(registry: dict[str, Any]) -> None:
        registry.get("profiles", {}).pop(name, None)
        if registry.get("active") == name:
            registry["active"] = DEFAULT

    _change(drop)
    if _session == name:
        _session = None


# ---- the profile's own settings ----------------------------------------------------------------


def profile_addresses(name: str | None = None) -> dict[str, str]:
    """The addresses saved for profile ``name`` (default: the active one): service ("x2chat",
    "provider", "greenapi") -> address; a service not listed uses the public one."""
    from x2desk.core.store.settings import load_settings, settings_path

    name = active_profile() if name is None else check_name(name)
    if name == DEFAULT:
        return dict(load_settings(settings_path()).api_bases)
    bases = get_profile(name).settings.get("api_bases")
    return {k: v for k, v in bases.items() if isinstance(v, str)} if isinstance(bases, dict) else {}


def set_addresses(name: str, addresses: dict[str, str | None]) -> dict[str, str]:
    """Save addresses for profile ``name``: service -> address (https://, http:// only on this
    computer: InputError otherwise), or None to go back to the public one. The result."""
    from x2desk.core.net import require_secure
    from x2desk.core.store.settings import settings_path, update_settings

    name = check_name(name)
    checked = {k: require_secure(v) if v else None for k, v in addresses.items()}
    _check_services({k: v or "" for k, v in checked.items()})

    def merge(bases: dict[str, Any]) -> None:
        for service, url in checked.items():
            if url is None:
                bases.pop(service, None)
            else:
                bases[service] = url

    if name == DEFAULT:
        update_settings(lambda settings: merge(settings.api_bases), settings_path())
        return profile_addresses(name)

    def write(registry: dict[str, Any]) -> None:
        _require(name, registry)
        entry = registry.setdefault("profiles", {}).setdefault(name, {})
        own = entry.setdefault("settings", {})
        merge(own.setdefault("api_bases", {}))

    _change(write)
    return profile_addresses(name)


def profile_settings(name: str | None = None) -> dict[str, Any] | None:
    """Profile ``name``'s own settings keys (:data:`PROFILE_SETTINGS`); None for ``default``,
    whose settings are the settings file itself."""
    name = active_profile() if name is None else name
    if name == DEFAULT:
        return None
    entry = _entries(_registry()).get(name, {})
    settings = entry.get("settings")
    own = dict(settings) if isinstance(settings, dict) else {}
    return {k: v for k, v in own.items() if k in PROFILE_SETTINGS}


def save_profile_settings(name: str, own: dict[str, Any]) -> None:
    """Write profile ``name``'s own settings keys (the caller holds the store lock or not:
    the registry's write takes it, re-entrant)."""

    def write(registry: dict[str, Any]) -> None:
        _require(name, registry)
        entry = registry.setdefault("profiles", {}).setdefault(name, {})
        entry["settings"] = {k: v for k, v in own.items() if k in PROFILE_SETTINGS}

    _change(write)
