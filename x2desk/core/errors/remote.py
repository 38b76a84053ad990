"""Errors of the services x2desk talks to (X2Chat, the connections provider, Green-API)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from x2desk.core.errors.base import MAX_RETRY_AFTER_S, InputError, X2DeskError
from x2desk.i18n import N_, _, ngettext

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
