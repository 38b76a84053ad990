"""Where secrets live: the OS keyring (service ``x2desk``) or, when the user chooses it, an
encrypted file unlocked by a passphrase (:mod:`x2desk.core.store.encrypted_file`).

Each secret is saved under a *ref*, ``<kind>:<external_id>`` (``x2chat_bot:1234``,
``greenapi:1101000001``), which the record in SQLite keeps as ``secret_ref``. x2desk never falls
back to a plain-text keyring: when the OS has no usable backend (headless Linux gets
``keyring.backends.fail.Keyring``), :func:`open_credential_store` raises
:class:`KeyringUnavailable`, whose message offers the encrypted file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from x2desk.core.errors import KeyringUnavailable, PassphraseRequired, StoreError
from x2desk.core.secret import Secret
from x2desk.core.store.settings import Settings, load_settings, update_settings
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

    from x2desk.core.store.encrypted_file import EncryptedFileStore

SERVICE = "x2desk"
PROBE_REF = "x2desk:probe"

log = logging.getLogger(__name__)


@runtime_checkable
class CredentialStore(Protocol):
    """Saves, loads and deletes secrets by ref. ``description`` is for people."""

    description: str

    def save(self, ref: str, secret: Secret) -> None: ...

    def load(self, ref: str) -> Secret | None: ...

    def delete(self, ref: str) -> None: ...


def secret_ref(kind: str, external_id: str | int) -> str:
    """The key a connection's secret is saved under: ``x2chat_bot:<bot_id>`` (in a profile
    other than default, with its prefix: :func:`x2desk.core.profiles.profile_ref`)."""
    from x2desk.core.profiles import profile_ref

    return profile_ref(f"{kind}:{external_id}")


# ---- the OS keyring --------------------------------------------------------------------------

_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null")

_FRIENDLY_NAMES = {
    "keyring.backends.SecretService": N_("GNOME Keyring (Secret Service)"),
    "keyring.backends.libsecret": N_("GNOME Keyring (libsecret)"),
    "keyring.backends.kwallet": N_("KDE Wallet"),
    "keyring.backends.macOS": N_("macOS Keychain"),
    "keyring.backends.Windows": N_("Windows Credential Manager"),
}


def _is_plaintext(backend: KeyringBackend) -> bool:
    name = type(backend).__name__.lower()
    return "plaintext" in name or "uncrypted" in name


def _refusal(backend: KeyringBackend) -> str | None:
    """Why this backend must not hold secrets, or None when it may."""
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULES):
        return _("no system keyring was found")
    if _is_plaintext(backend):
        return _("the only keyring found ({name}) stores secrets in plain text").format(
            name=type(backend).__name__
        )
    if module.startswith("keyrings.alt"):
        return _("the only keyring found ({name}) is not a system keyring").format(
            name=type(backend).__name__
        )
    return None


def _describe(backend: KeyringBackend) -> str:
    module = type(backend).__module__
    for prefix, friendly in _FRIENDLY_NAMES.items():
        if module.startswith(prefix):
            return _(friendly)
    return _(str(getattr(backend, "name", type(backend).__name__)))  # N_ where it is ours


def _usable_backend() -> KeyringBackend:
    """The keyring backend x2desk will use, or :class:`KeyringUnavailable` saying why not.

    A chainer is resolved to its best acceptable member, so a write can never land in a plain
    text backend that happens to be chained behind (or ahead of) a real one.
    """
    import keyring
    from keyring.backends.chainer import ChainerBackend

    try:
        backend = keyring.get_keyring()
    except Exception as exc:
        log.debug("keyring backend discovery failed: %s", type(exc).__name__)
        raise KeyringUnavailable() from None
    candidates = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    reasons = []
    for candidate in candidates:
        reason = _refusal(candidate)
        if reason is None:
            return candidate
        reasons.append(reason)
    why = reasons[0] if reasons else _("no system keyring was found")
    raise KeyringUnavailable(
        _(
            "x2desk cannot save secrets in the system keyring: {why}. Use the encrypted file store "
            "instead (protected by a passphrase you choose), or install and unlock a keyring "
            "(GNOME Keyring, KDE Wallet)."
        ).format(why=why)
    )


def _keyring_failure(action: str, exc: Exception) -> StoreError:
    """A plain message for a keyring error; the exception's own text is never shown."""
    from keyring import errors as kr_errors

    if isinstance(exc, kr_errors.NoKeyringError):
        return KeyringUnavailable()
    if isinstance(exc, kr_errors.KeyringLocked):
        return StoreError(
            _(
                "Could not {action}: the system keyring is locked. Unlock it (log in again, or "
                "open the Passwords and Keys app) and try again."
            ).format(action=action)
        )
    return StoreError(
        _(
            "Could not {action}: the system keyring reported an error ({name}). Check that it is "
            "running and unlocked, then try again."
        ).format(action=action, name=type(exc).__name__)
    )


class KeyringStore:
    """Secrets in the OS keyring under service ``x2desk``, one entry per ref."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend if backend is not None else _usable_backend()
        self.description = _describe(self._backend)

    def save(self, ref: str, secret: Secret) -> None:
        if not isinstance(secret, Secret):
            raise TypeError("save() takes a Secret")
        try:
            self._backend.set_password(SERVICE, ref, secret.reveal())
        except Exception as exc:
            raise _keyring_failure(_("save the secret in the system keyring"), exc) from None

    def load(self, ref: str) -> Secret | None:
        try:
            value = self._backend.get_password(SERVICE, ref)
        except Exception as exc:
            raise _keyring_failure(_("read the secret from the system keyring"), exc) from None
        return None if value is None else Secret(value)

    def delete(self, ref: str) -> None:
        """Delete the secret; deleting one that is not there is not an error."""
        from keyring.errors import PasswordDeleteError

        try:
            self._backend.delete_password(SERVICE, ref)
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise _keyring_failure(_("delete the secret from the system keyring"), exc) from None


def keyring_status(probe: bool = True) -> tuple[bool, str]:
    """(usable, description) of the OS keyring, for ``doctor`` and the GUI. Never raises.

    With ``probe``, it also reads a ref that does not exist, which proves the backend answers
    (a dead D-Bus, a locked keyring) without writing anything.
    """
    try:
        store = KeyringStore()
        if probe:
            store.load(PROBE_REF)
    except StoreError as exc:
        return False, exc.message
    except Exception as exc:  # pragma: no cover - a backend failing in a way keyring did not map
        return False, _("the system keyring failed ({name})").format(name=type(exc).__name__)
    return True, store.description


# ---- choosing a store --------------------------------------------------------------------------


def default_credentials_file() -> Path:
    from x2desk.core.store.folder import store_folder

    return store_folder() / "credentials.x2k"


def open_credential_store(
    settings: Settings | None = None, passphrase: Secret | None = None
) -> CredentialStore:
    """The store the user chose in the settings (the OS keyring unless they chose otherwise).

    Raises :class:`KeyringUnavailable` when the keyring is chosen but unusable (offer
    :func:`use_encrypted_file`), :class:`PassphraseRequired` when the encrypted file is chosen
    and no passphrase was given (ask for it and call again), :class:`WrongPassphrase`.
    """
    settings = settings if settings is not None else load_settings()
    if settings.credential_store == "encrypted_file":
        if passphrase is None:
            raise PassphraseRequired()
        from x2desk.core.store.encrypted_file import EncryptedFileStore

        path = Path(settings.credentials_file or default_credentials_file())
        return EncryptedFileStore(path, passphrase, create=False)
    return KeyringStore()


def use_encrypted_file(passphrase: Secret, path: Path | None = None) -> EncryptedFileStore:
    """Switch to the encrypted file store (creating the file) and record the choice."""
    from x2desk.core.store.encrypted_file import EncryptedFileStore

    path = path or default_credentials_file()
    store = EncryptedFileStore(path, passphrase, create=True)

    def choose(settings: Settings) -> None:
        settings.credential_store = "encrypted_file"
        settings.credentials_file = str(path)

    update_settings(choose)
    return store


def use_keyring() -> KeyringStore:
    """Switch back to the OS keyring (it must be usable) and record the choice."""
    store = KeyringStore()

    def choose(settings: Settings) -> None:
        settings.credential_store = "keyring"

    update_settings(choose)
    return store
