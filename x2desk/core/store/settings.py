"""Non-secret preferences in a small JSON file under the data folder (``settings.json``).

It records which credential store the user chose (the OS keyring, or the encrypted file that a
passphrase unlocks), whether to confirm before a redeem rotates a bot's token, API base URLs, the
country of phone numbers typed without +, and the camera picked (by name) and whether its preview
is mirrored.
Never a secret: :func:`save_settings` refuses a :class:`~x2desk.core.secret.Secret` anywhere in
it. Keys this version does not know are kept and written back, so an older x2desk does not erase
a newer one's preferences.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

from x2desk.core.errors import InputError, StoreError
from x2desk.core.net import require_secure
from x2desk.core.secret import Secret
from x2desk.core.store.atomic import atomic_write
from x2desk.core.store.folder import store_folder
from x2desk.core.store.lock import store_lock
from x2desk.i18n import N_, _

SETTINGS_FILE = "settings.json"

CredentialStoreKind = Literal["keyring", "encrypted_file"]
CREDENTIAL_STORE_KINDS: tuple[str, ...] = get_args(CredentialStoreKind)


@dataclass
class Settings:
    credential_store: CredentialStoreKind = "keyring"
    confirm_rotation: bool = True
    # API name ("x2chat", "provider", "greenapi") -> base URL; missing means the public default.
    api_bases: dict[str, str] = field(default_factory=dict)
    # The encrypted credentials file when credential_store == "encrypted_file" (None: default).
    credentials_file: str | None = None
    # The country a phone number without + is read in (ISO code, "RU"); None: + is required.
    phone_region: str | None = None
    # The camera the user picked, by name (indices change when a camera is plugged in).
    camera_name: str | None = None
    # Show the camera's picture mirrored, as a mirror does (the window's preview only).
    camera_mirror: bool = False
    # Keys written by other versions of x2desk: kept as they are.
    extra: dict[str, Any] = field(default_factory=dict)

    def set_api_base(self, api: str, url: str) -> None:
        """Record an API base URL: https:// only (http:// for loopback), else InsecureUrl."""
        self.api_bases[api] = require_secure(url)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        data.update(
            credential_store=self.credential_store,
            confirm_rotation=self.confirm_rotation,
            api_bases=dict(self.api_bases),
            credentials_file=self.credentials_file,
            phone_region=self.phone_region,
            camera_name=self.camera_name,
            camera_mirror=self.camera_mirror,
        )
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "settings") -> Settings:
        data = dict(data)
        store = data.pop("credential_store", "keyring")
        if store not in CREDENTIAL_STORE_KINDS:
            raise StoreError(
                _(
                    "{source}: credential_store is {store!r}; it must be one of "
                    "{CREDENTIAL_STORE_KINDS}. Fix or delete the file."
                ).format(
                    source=source,
                    store=store,
                    CREDENTIAL_STORE_KINDS=", ".join(CREDENTIAL_STORE_KINDS),
                )
            )
        confirm = _take(data, source, "confirm_rotation", True, _is_bool, TRUE_OR_FALSE)
        bases = data.pop("api_bases", {}) or {}
        if not isinstance(bases, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in bases.items()
        ):
            raise StoreError(
                _("{source}: api_bases must map API names to URLs.").format(source=source)
            )
        for name, url in bases.items():
            try:
                require_secure(url)
            except InputError as exc:
                raise StoreError(f"{source}: api_bases.{name}: {exc.message}") from None
        creds = _take(data, source, "credentials_file", None, _is_text, A_PATH)
        region = _take(data, source, "phone_region", None, _is_region, A_REGION)
        camera = _take(data, source, "camera_name", None, _is_text, A_CAMERA)
        mirror = _take(data, source, "camera_mirror", False, _is_bool, TRUE_OR_FALSE)
        return cls(
            credential_store=cast(CredentialStoreKind, store),
            confirm_rotation=confirm,
            api_bases=dict(bases),
            credentials_file=creds,
            phone_region=region.upper() if region else None,
            camera_name=camera,
            camera_mirror=mirror,
            extra=data,
        )


TRUE_OR_FALSE = N_("{source}: {key} must be true or false.")
A_PATH = N_("{source}: {key} must be a path.")
A_REGION = N_("{source}: {key} must be a two-letter country code or null.")
A_CAMERA = N_("{source}: {key} must be a camera's name.")


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_region(value: object) -> bool:
    return value is None or (
        isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha()
    )


def _take(
    data: dict[str, Any],
    source: str,
    key: str,
    default: Any,
    ok: Callable[[object], bool],
    wrong: str,
) -> Any:
    """``data[key]`` (taken out of it), or ``default``; StoreError saying ``wrong`` when ``ok``
    refuses it."""
    value = data.pop(key, default)
    if not ok(value):
        raise StoreError(_(wrong).format(source=source, key=key))
    return value


def settings_path() -> Path:
    return store_folder() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no file yet. Without ``path``: the
    settings file, with the active profile's own keys (its addresses and companies,
    :data:`x2desk.core.profiles.PROFILE_SETTINGS`) in place of the default profile's.

    A file that is not valid JSON or holds wrong values raises :class:`StoreError` saying which
    file and what is wrong: x2desk never guesses at a damaged preference silently.
    """
    given = path is not None
    path = path or settings_path()
    data = _read(path)
    if not given:
        from x2desk.core.profiles import PROFILE_SETTINGS, profile_settings

        own = profile_settings()
        if own is not None:
            data = {k: v for k, v in data.items() if k not in PROFILE_SETTINGS} | own
    return Settings.from_json(data, source=f"The settings file {path}")


def _read(path: Path) -> dict[str, Any]:
    """The settings file's JSON object ({} when there is no file)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError(
            _("Cannot read the settings file {path}: {strerror}.").format(
                path=path, strerror=exc.strerror
            )
        ) from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise StoreError(
            _(
                "The settings file {path} is damaged (not valid JSON). Fix it or delete it to go "
                "back to the defaults."
            ).format(path=path)
        ) from None
    if not isinstance(data, dict):
        raise StoreError(
            _("The settings file {path} is damaged (not a JSON object).").format(path=path)
        )
    return data


def _refuse_secrets(value: object) -> None:
    if isinstance(value, Secret):
        raise TypeError("a Secret must never be written to the settings file")
    if isinstance(value, dict):
        for item in value.values():
            _refuse_secrets(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_secrets(item)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (temp file, mode 0600, fsync, rename) under the store lock.
    Without ``path`` the active profile's own keys go to its entry in the profiles file (the
    default profile's stay in the settings file).

    To change one preference, prefer :func:`update_settings`: it reads, changes and writes under
    one lock, so another x2desk's change made meanwhile is not overwritten.
    """
    data = settings.to_json()
    _refuse_secrets(data)
    given = path is not None
    path = path or settings_path()
    with store_lock(path):
        if not given:
            data = _keep_profiles_apart(data, path)
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        try:
            atomic_write(path, text.encode("utf-8"))
        except OSError as exc:
            raise StoreError(
                _("Cannot save the settings: {strerror}.").format(strerror=exc.strerror)
            ) from None


def _keep_profiles_apart(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """In a profile other than default: its own keys go to the profiles file; the settings file
    keeps the default profile's (what is returned is what goes to the settings file)."""
    from x2desk.core.profiles import (
        DEFAULT,
        PROFILE_SETTINGS,
        active_profile,
        save_profile_settings,
    )

    name = active_profile()
    if name == DEFAULT:
        return data
    save_profile_settings(name, {k: data[k] for k in PROFILE_SETTINGS if k in data})
    saved = _read(path)
    common = {k: v for k, v in data.items() if k not in PROFILE_SETTINGS}
    return common | {k: saved[k] for k in PROFILE_SETTINGS if k in saved}


def update_settings(change: Callable[[Settings], None], path: Path | None = None) -> Settings:
    """Load the settings, apply ``change`` to them and save them, all under the store lock, so
    two x2desk processes changing different preferences both keep theirs. Returns the result."""
    with store_lock(path or settings_path()):
        settings = load_settings(path)
        change(settings)
        save_settings(settings, path)
    return settings
