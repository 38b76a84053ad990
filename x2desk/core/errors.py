"""One exception hierarchy with user-facing meaning, for the core, the CLI and the GUI.

Every error has a stable ``key`` (as Home Assistant's config flows do: ``cannot_connect``,
``invalid_auth``...) and a plain-English ``message`` that says what went wrong and what to do.
Each ``default_message`` is marked for the catalogue (``N_``); :mod:`x2desk.core.texts` holds
each service's own wording by key and gives the window and the command line the text to show,
in the current language (the CLI then exits with ``exit_code``). No message ever contains a
secret: callers pass masked values only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from x2desk.i18n import N_, _, ngettext

# The longest wait a server's Retry-After can impose on x2desk (a longer one is cut to this).
MAX_RETRY_AFTER_S = 300.0


class X2DeskError(Exception):
    """Base of every error x2desk raises on purpose."""

    key = "unknown"
    exit_code = 1
    default_message = N_("Something went wrong.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or _(self.default_message)  # in the language of now
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


# ---- input -------------------------------------------------------------------------------------


class InputError(X2DeskError):
    """What the user typed, pasted or scanned cannot be used. Nothing was sent anywhere."""

    key = "bad_input"
    exit_code = 2
    default_message = N_("That input cannot be used.")


class NotIntegrationToken(InputError):
    """A QR or text that is not an X2Chat integration token (the message says what it was)."""

    key = "not_integration_token"


class InputEnded(InputError):
    """The input ended (end of file, Ctrl-D, a closed pipe) where x2desk asked for something."""

    key = "input_ended"
    default_message = N_(
        "The input ended before x2desk got what it asked for. Run the command in a terminal, "
        "or give the value with an option."
    )


class InsecureUrl(InputError):
    """A URL that is not https:// (loopback http is allowed): refused before anything is sent."""

    key = "insecure_url"
    default_message = N_("Only https:// addresses are allowed (http:// only on this computer).")


# ---- remote APIs -------------------------------------------------------------------------------


class ApiError(X2DeskError):
    """A remote call failed. Subclasses say how, and what the user can do."""

    key = "api_error"
    exit_code = 3


class CannotConnect(ApiError):
    """Nothing was sent: the server could not be reached. Safe to retry."""

    key = "cannot_connect"
    exit_code = 4
    default_message = N_(
        "Could not reach the server. Check the internet connection and the server address, "
        "then try again."
    )


class AnswerLost(ApiError):
    """The request may have reached the server, but no answer came. Never retried."""

    key = "answer_lost"
    exit_code = 5
    default_message = N_(
        "The request was sent but no answer came back. If it was a one-time token, it may "
        "already be spent: make a new QR in X2Chat and scan again."
    )


class BadAnswer(ApiError):
    """The server answered something that does not fit the contract."""

    key = "bad_answer"
    exit_code = 6
    default_message = N_("The server gave an answer x2desk does not understand. Try again later.")


class ServerError(ApiError):
    """5xx from the server."""

    key = "server_error"
    exit_code = 7
    default_message = N_("The server had an internal error. Try again in a few minutes.")


class TokenInvalid(ApiError):
    """400 on redeem: the token is not a valid UUID (or was empty)."""

    key = "token_invalid"
    exit_code = 8
    default_message = N_("The server says this token is not valid. Make a new QR in X2Chat.")


class TokenSpent(ApiError):
    """410 on redeem: already used, expired or revoked."""

    key = "token_spent"
    exit_code = 9
    default_message = N_(
        "This token was already used, has expired (tokens live 5 minutes) or was revoked. "
        "Make a new QR in X2Chat and scan again."
    )


class RateLimited(ApiError):
    """429: too many requests. ``retry_after`` in seconds (None when the server gave none)."""

    key = "rate_limited"
    exit_code = 10

    def __init__(self, retry_after: float | None = None, message: str | None = None) -> None:
        # What the server asked for, and what x2desk will wait: at most MAX_RETRY_AFTER_S (a
        # server asking for 99999999 s, or for a date in 2099, gets five minutes).
        self.requested = retry_after
        self.retry_after = None if retry_after is None else _capped_wait(retry_after)
        if message is None:
            n = math.ceil(self.retry_after or 0)
            wait = ngettext("Try again in {n} second.", "Try again in {n} seconds.", n).format(n=n)
            message = _("Too many requests.") + " " + (wait if n else _("Try again in a minute."))
        super().__init__(message)


def _capped_wait(seconds: float) -> float:
    if not math.isfinite(seconds):
        return MAX_RETRY_AFTER_S if seconds > 0 else 0.0
    return min(max(0.0, float(seconds)), MAX_RETRY_AFTER_S)


class InvalidAuth(ApiError):
    """401: the bot token, API key or instance token is unknown, wrong or was rotated."""

    key = "invalid_auth"
    exit_code = 11
    default_message = N_(
        "The server refused the credentials: they are wrong, or were replaced by a newer "
        "connection. Connect again to get fresh ones."
    )


class RequestRejected(ApiError):
    """400 on a call other than redeem: the server refused the parameters."""

    key = "request_rejected"
    exit_code = 12
    default_message = N_("The server refused the request.")


class SubscriptionRequired(ApiError):
    """402: the subscription does not cover this connection type."""

    key = "subscription_required"
    exit_code = 13
    default_message = N_(
        "Your subscription does not cover this kind of connection. Connections work only "
        "inside a paid subscription: extend it in the provider's dashboard, then try again."
    )


class ScopeMissing(ApiError):
    """403: the API key lacks the scope ``connections``."""

    key = "scope_missing"
    exit_code = 14
    default_message = N_(
        "This API key is not allowed to manage connections (scope 'connections' is missing). "
        "Make a key with that scope in the provider's dashboard."
    )


class SessionExpired(ApiError):
    """404 on a login session: unknown or expired (sessions live 10 minutes)."""

    key = "session_expired"
    exit_code = 15
    default_message = N_("The login session has ended (sessions last 10 minutes). Start again.")


class CodeInvalid(ApiError):
    key = "code_invalid"
    exit_code = 16
    default_message = N_("That login code is wrong. Check the code and type it again.")


class PasswordInvalid(ApiError):
    key = "password_invalid"
    exit_code = 17
    default_message = N_("That password is wrong. Type the two-step verification password again.")


class NotEditable(ApiError):
    """409 on PATCH: this connection's key cannot be changed."""

    key = "not_editable"
    exit_code = 18
    default_message = N_("This connection cannot be changed; only Odnoklassniki keys can be.")


class NoCompany(ApiError):
    """The provider key sees no company, so no connection can be made with it."""

    key = "no_company"
    exit_code = 19
    default_message = N_(
        "This API key sees no company at the provider, so nothing can be connected with it. "
        "Make a key inside the company in the provider's dashboard."
    )


class CompanyChoiceRequired(InputError):
    """The provider key sees several companies: ask which one (``companies``: id and name)."""

    key = "company_choice_required"

    def __init__(self, companies: Sequence[Any], message: str | None = None) -> None:
        self.companies = tuple(companies)
        if message is None:
            names = ", ".join(str(getattr(c, "label", c)) for c in self.companies)
            message = _(
                "This API key works for several companies: {names}. Choose the one to connect."
            ).format(names=names)
        super().__init__(message)


class WrongAddress(ApiError):
    """404 on a redeem: no redeem service at that address, so nothing was redeemed."""

    key = "wrong_address"
    exit_code = 25
    default_message = N_(
        "There is no X2Chat redeem service at this address (HTTP 404): check the API address. "
        "Nothing was redeemed, so the token still works: scan it again once the address is right."
    )


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


# ---- Green-API instances -----------------------------------------------------------------------


class AlreadyAuthorised(ApiError):
    """The instance is already linked to an account: keep it as it is, or log out and pair again."""

    key = "already_authorised"
    exit_code = 50
    default_message = N_(
        "This Green-API instance is already authorised (linked to a Telegram account). Keep it "
        "as it is, or log it out and pair it again."
    )


class InstanceBlocked(ApiError):
    """stateInstance ``blocked``: Telegram banned the account on this instance."""

    key = "instance_blocked"
    exit_code = 51
    default_message = N_(
        "Telegram has blocked the account on this instance, so it cannot be paired. Appeal the "
        "block in the Telegram app on the phone, or pair another number."
    )


class InstanceSuspended(ApiError):
    """stateInstance ``suspended``: the account has temporary limits on sending."""

    key = "instance_suspended"
    exit_code = 53
    default_message = N_(
        "Telegram has put temporary limits on this account ('suspended'): sending is partly "
        "banned until the time shown in the Green-API console (suspendedUntil). Wait until "
        "then, then pair the instance again."
    )


class AuthorizationRefused(ApiError):
    """Green-API answered an authorisation call (code, password) with a ``fail`` and a reason
    other than a wrong code or password: ``reason`` is its word for it."""

    key = "authorization_refused"
    exit_code = 54
    default_message = N_(
        "Green-API refused the authorisation. Check the instance in the Green-API console, then "
        "try again."
    )

    def __init__(self, message: str, reason: str | None = None) -> None:
        self.reason = reason
        super().__init__(message)


class InstanceYellowCard(ApiError):
    """stateInstance ``yellowCard``: sending is suspended for suspected spam."""

    key = "instance_yellow_card"
    exit_code = 52
    default_message = N_(
        "Telegram has temporarily limited this account (a 'yellow card' for suspected "
        "spam): messages wait in a queue and the pairing cannot be confirmed. Stop bulk "
        "sending, wait for the limit to lift (often within a day), then try again."
    )


# ---- kiosk -------------------------------------------------------------------------------------


class KioskConfigError(InputError):
    """The kiosk's config file is missing or wrong. ``path``, ``line`` (1-based, or None when
    the file as a whole is meant) and ``key`` (dotted, or None) say where; the message says all
    three, then what is wrong and what to write instead. It never quotes a secret-like value."""

    key = "kiosk_config"
    exit_code = 60

    def __init__(self, path: str, line: int | None, key: str | None, problem: str) -> None:
        from x2desk.i18n import _

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
