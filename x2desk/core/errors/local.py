"""Errors of this computer: the stores, the camera and images, the kiosk's config."""

from __future__ import annotations

from x2desk.core.errors.base import InputError, X2DeskError
from x2desk.i18n import N_, _

# ---- local stores ------------------------------------------------------------------------------


class StoreError(X2DeskError):
    """Saving or reading a credential or record failed."""

    key = "store_error"
    exit_code = 20
    default_message = N_("Could not save the credentials.")


class KeyringUnavailable(StoreError):
    """The OS keyring has no usable backend (for example headless Linux)."""

    key = "keyring_unavailable"
    exit_code = 21
    default_message = N_(
        "No system keyring is available on this computer, so x2desk cannot save secrets "
        "there. Use the encrypted file store (protected by a passphrase you choose) instead."
    )


class NotFound(StoreError):
    key = "not_found"
    exit_code = 22
    default_message = N_("No saved connection has that id. Run 'x2desk list' to see them.")


class WrongPassphrase(StoreError):
    key = "wrong_passphrase"
    exit_code = 23
    default_message = N_("That passphrase does not open the encrypted credentials file.")


class PassphraseRequired(StoreError):
    """The encrypted credentials file was chosen: ask for its passphrase, then open it."""

    key = "passphrase_required"
    exit_code = 24
    default_message = N_(
        "Secrets are kept in the encrypted credentials file: type its passphrase to open it."
    )


# ---- scanning ----------------------------------------------------------------------------------


class ScanError(X2DeskError):
    key = "scan_error"
    exit_code = 30


class NoCamera(ScanError):
    key = "no_camera"
    exit_code = 31
    default_message = N_("No camera was found. Connect a webcam, or paste the token instead.")


class CameraBusy(ScanError):
    key = "camera_busy"
    exit_code = 32
    default_message = N_(
        "The camera is in use by another program (or was unplugged). Close the other program "
        "or plug the camera back in, then press Retry."
    )


class CameraUnplugged(CameraBusy):
    """The camera went away while in use (its device is no longer listed)."""

    key = "camera_unplugged"
    default_message = N_(
        "The camera was unplugged. Plug it back in: scanning starts again when it returns."
    )


class CameraPermission(ScanError):
    key = "camera_permission"
    exit_code = 33
    default_message = N_(
        "x2desk is not allowed to use the camera. Allow it in the system's privacy settings, "
        "then press Retry."
    )


class UnreadableImage(ScanError):
    key = "unreadable_image"
    exit_code = 34
    default_message = N_("That file is not an image x2desk can read (PNG, JPEG, BMP, WebP...).")


class TooManyCodes(ScanError):
    key = "too_many_codes"
    exit_code = 35
    default_message = N_(
        "More than one different QR code is visible. Close all but the X2Chat QR and try again."
    )


class NoCodeFound(ScanError):
    """An image, a screen grab or a finite video held no QR code x2desk could read."""

    key = "no_code"
    exit_code = 36
    default_message = N_(
        "No QR code was found. Show the whole code, sharp and well lit, or paste the token."
    )


# ---- kiosk -------------------------------------------------------------------------------------


class KioskConfigError(InputError):
    """The kiosk's config file is missing or wrong. ``path``, ``line`` (1-based, or None when
    the file as a whole is meant) and ``key`` (dotted, or None) say where; the message says all
    three, then what is wrong and what to write instead. It never quotes a secret-like value."""

    key = "kiosk_config"
    exit_code = 60

    def __init__(self, path: str, line: int | None, key: str | None, problem: str) -> None:

        self.path, self.line, self.config_key, self.problem = path, line, key, problem
        where = path if line is None else _("{path}, line {line}").format(path=path, line=line)
        if key:
            where = _("{where}, key {key}").format(where=where, key=key)
        super().__init__(_("kiosk config {where}: {problem}").format(where=where, problem=problem))


class KioskAlreadyRunning(X2DeskError):
    """Another kiosk holds the instance lock in this data folder."""

    key = "kiosk_running"
    exit_code = 61
    default_message = N_(
        "A kiosk is already running on this computer: use its window, or stop it first "
        "(systemctl --user stop x2desk-kiosk)."
    )
