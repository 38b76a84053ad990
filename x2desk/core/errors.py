"""One exception hierarchy with user-facing meaning, for the core, the CLI and the GUI.

Every error has a stable ``key`` (as Home Assistant's config flows do: ``cannot_connect``,
``invalid_auth``...) and a plain-English ``message`` that says what went wrong and what to do.
The GUI translates by key (see ``x2desk/core/messages.py``); the CLI prints ``message`` and exits
with ``exit_code``. No message ever contains a secret: callers pass masked values only.
"""

from __future__ import annotations


class X2DeskError(Exception):
    """Base of every error x2desk raises on purpose."""

    key = "unknown"
    exit_code = 1
    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


# ---- input -------------------------------------------------------------------------------------


class InputError(X2DeskError):
    """What the user typed, pasted or scanned cannot be used. Nothing was sent anywhere."""

    key = "bad_input"
    exit_code = 2
    default_message = "That input cannot be used."


class NotIntegrationToken(InputError):
    """A QR or text that is not an X2Chat integration token (the message says what it was)."""

    key = "not_integration_token"


class InsecureUrl(InputError):
    """A URL that is not https:// (loopback http is allowed): refused before anything is sent."""

    key = "insecure_url"
    default_message = "Only https:// addresses are allowed (http:// only on this computer)."


# ---- remote APIs -------------------------------------------------------------------------------


class ApiError(X2DeskError):
    """A remote call failed. Subclasses say how, and what the user can do."""

    key = "api_error"
    exit_code = 3


class CannotConnect(ApiError):
    """Nothing was sent: the server could not be reached. Safe to retry."""

    key = "cannot_connect"
    exit_code = 4
    default_message = (
        "Could not reach the server. Check the internet connection and the server address, "
        "then try again."
    )


class AnswerLost(ApiError):
    """The request may have reached the server, but no answer came. Never retried."""

    key = "answer_lost"
    exit_code = 5
    default_message = (
        "The request was sent but no answer came back. If it was a one-time token, it may "
        "already be spent: make a new QR in X2Chat and scan again."
    )


class BadAnswer(ApiError):
    """The server answered something that does not fit the contract."""

    key = "bad_answer"
    exit_code = 6
    default_message = "The server gave an answer x2desk does not understand. Try again later."


class ServerError(ApiError):
    """5xx from the server."""

    key = "server_error"
    exit_code = 7
    default_message = "The server had an internal error. Try again in a few minutes."


class TokenInvalid(ApiError):
    """400 on redeem: the token is not a valid UUID (or was empty)."""

    key = "token_invalid"
    exit_code = 8
    default_message = "The server says this token is not valid. Make a new QR in X2Chat."


class TokenSpent(ApiError):
    """410 on redeem: already used, expired or revoked."""

    key = "token_spent"
    exit_code = 9
    default_message = (
        "This token was already used, has expired (tokens live 5 minutes) or was revoked. "
        "Make a new QR in X2Chat and scan again."
    )


class RateLimited(ApiError):
    """429: too many requests. ``retry_after`` in seconds (None when the server gave none)."""

    key = "rate_limited"
    exit_code = 10

    def __init__(self, retry_after: float | None = None, message: str | None = None) -> None:
        self.retry_after = retry_after
        if message is None:
            wait = f"in {int(retry_after)} s" if retry_after else "in a minute"
            message = f"Too many requests. Try again {wait}."
        super().__init__(message)


class InvalidAuth(ApiError):
    """401: the bot token, API key or instance token is unknown, wrong or was rotated."""

    key = "invalid_auth"
    exit_code = 11
    default_message = (
        "The server refused the credentials: they are wrong, or were replaced by a newer "
        "connection. Connect again to get fresh ones."
    )


class RequestRejected(ApiError):
    """400 on a call other than redeem: the server refused the parameters."""

    key = "request_rejected"
    exit_code = 12
    default_message = "The server refused the request."


class SubscriptionRequired(ApiError):
    """402: the subscription does not cover this connection type."""

    key = "subscription_required"
    exit_code = 13
    default_message = (
        "Your subscription does not cover this kind of connection. Connections work only "
        "inside a paid subscription: extend it in the provider's dashboard, then try again."
    )


class ScopeMissing(ApiError):
    """403: the API key lacks the scope ``connections``."""

    key = "scope_missing"
    exit_code = 14
    default_message = (
        "This API key is not allowed to manage connections (scope 'connections' is missing). "
        "Make a key with that scope in the provider's dashboard."
    )


class SessionExpired(ApiError):
    """404 on a login session: unknown or expired (sessions live 10 minutes)."""

    key = "session_expired"
    exit_code = 15
    default_message = "The login session has ended (sessions last 10 minutes). Start again."


class CodeInvalid(ApiError):
    key = "code_invalid"
    exit_code = 16
    default_message = "That login code is wrong. Check the code and type it again."


class PasswordInvalid(ApiError):
    key = "password_invalid"
    exit_code = 17
    default_message = "That password is wrong. Type the two-step verification password again."


class NotEditable(ApiError):
    """409 on PATCH: this connection's key cannot be changed."""

    key = "not_editable"
    exit_code = 18
    default_message = "This connection cannot be changed; only Odnoklassniki keys can be."


# ---- local stores ------------------------------------------------------------------------------


class StoreError(X2DeskError):
    """Saving or reading a credential or record failed."""

    key = "store_error"
    exit_code = 20
    default_message = "Could not save the credentials."


class KeyringUnavailable(StoreError):
    """The OS keyring has no usable backend (for example headless Linux)."""

    key = "keyring_unavailable"
    exit_code = 21
    default_message = (
        "No system keyring is available on this computer, so x2desk cannot save secrets "
        "there. Use the encrypted file store (protected by a passphrase you choose) instead."
    )


class NotFound(StoreError):
    key = "not_found"
    exit_code = 22
    default_message = "No saved connection has that id. Run 'x2desk list' to see them."


class WrongPassphrase(StoreError):
    key = "wrong_passphrase"
    exit_code = 23
    default_message = "That passphrase does not open the encrypted credentials file."


class PassphraseRequired(StoreError):
    """The encrypted credentials file was chosen: ask for its passphrase, then open it."""

    key = "passphrase_required"
    exit_code = 24
    default_message = (
        "Secrets are kept in the encrypted credentials file: type its passphrase to open it."
    )


# ---- scanning ----------------------------------------------------------------------------------


class ScanError(X2DeskError):
    key = "scan_error"
    exit_code = 30


class NoCamera(ScanError):
    key = "no_camera"
    exit_code = 31
    default_message = "No camera was found. Connect a webcam, or paste the token instead."


class CameraBusy(ScanError):
    key = "camera_busy"
    exit_code = 32
    default_message = (
        "The camera is in use by another program (or was unplugged). Close the other program "
        "or plug the camera back in, then press Retry."
    )


class CameraUnplugged(CameraBusy):
    """The camera went away while in use (its device is no longer listed)."""

    key = "camera_unplugged"
    default_message = (
        "The camera was unplugged. Plug it back in: scanning starts again when it returns."
    )


class CameraPermission(ScanError):
    key = "camera_permission"
    exit_code = 33
    default_message = (
        "x2desk is not allowed to use the camera. Allow it in the system's privacy settings, "
        "then press Retry."
    )


class UnreadableImage(ScanError):
    key = "unreadable_image"
    exit_code = 34
    default_message = "That file is not an image x2desk can read (PNG, JPEG, BMP, WebP...)."


class TooManyCodes(ScanError):
    key = "too_many_codes"
    exit_code = 35
    default_message = (
        "More than one different QR code is visible. Close all but the X2Chat QR and try again."
    )


class NoCodeFound(ScanError):
    """An image, a screen grab or a finite video held no QR code x2desk could read."""

    key = "no_code"
    exit_code = 36
    default_message = (
        "No QR code was found. Show the whole code, sharp and well lit, or paste the token."
    )


# ---- Green-API instances -----------------------------------------------------------------------


class AlreadyAuthorised(ApiError):
    """The instance is already linked to a phone: keep it as it is, or log out and pair again."""

    key = "already_authorised"
    exit_code = 50
    default_message = (
        "This Green-API instance is already authorised (linked to a phone). Keep it as it is, "
        "or log it out and pair it again with a new QR."
    )


class InstanceBlocked(ApiError):
    """stateInstance ``blocked``: the messenger banned the account on this instance."""

    key = "instance_blocked"
    exit_code = 51
    default_message = (
        "The messenger has blocked the account on this instance, so it cannot be paired. "
        "Appeal the block in the messenger app on the phone, or pair another number."
    )


class InstanceYellowCard(ApiError):
    """stateInstance ``yellowCard``: sending is suspended for suspected spam."""

    key = "instance_yellow_card"
    exit_code = 52
    default_message = (
        "The messenger has temporarily limited this account (a 'yellow card' for suspected "
        "spam): messages wait in a queue and the pairing cannot be confirmed. Stop bulk "
        "sending, wait for the limit to lift (often within a day), then try again."
    )
