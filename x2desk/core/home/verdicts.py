"""What a service's answer means for a saved connection's health: a :class:`Verdict` (a
:class:`~x2desk.core.status.Status` and a short reason for people, never a secret), from
getMe/getWebhookInfo (an X2Chat bot), the provider's connection status, Green-API's
stateInstance, or the error a check ran into. Pure: no HTTP, no store (the checks call these;
:func:`x2desk.core.saving.record_connection` uses :func:`connect_verdict` at connect time).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import InvalidAuth, SubscriptionRequired, X2DeskError
from x2desk.core.kinds import KINDS, Service
from x2desk.core.redact import scrub
from x2desk.core.status import Status
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.x2chat.client import BotUser, WebhookInfo


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str | None = None  # translated, short, no secret
    checked: bool = True  # False: nothing was learnt (the status is "not checked")


NOT_CHECKED = Verdict(Status.NOT_CHECKED, None, checked=False)

# The provider's connection statuses (API.md section 3).
CONNECTION_STATUS: dict[str, tuple[Status, str]] = {
    "active": (Status.WORKS, N_("Active at the provider.")),
    "waiting": (
        Status.UNPAID,
        N_("Not active: outside the paid subscription (the provider says 'waiting')."),
    ),
    "unauthorized": (Status.NEEDS_REAUTH, N_("Logged out at the provider: re-authorise it.")),
}
CONNECTION_OTHER = N_("The provider reports it as '{status}', not active.")

# Green-API's stateInstance (API.md section 4).
INSTANCE_STATE: dict[str, tuple[Status, str]] = {
    "authorized": (Status.WORKS, N_("Authorised at Green-API.")),
    "notAuthorized": (Status.NEEDS_REAUTH, N_("Not paired any more: pair it again.")),
    "pendingPassword": (
        Status.NEEDS_REAUTH,
        N_("A pairing stopped at the cloud password: pair it again."),
    ),
    "pendingCode": (Status.NEEDS_REAUTH, N_("A pairing stopped at the login code: pair it again.")),
    "starting": (Status.CHECK_FAILED, N_("The instance is starting: check again in a minute.")),
    "sleepMode": (
        Status.CHECK_FAILED,
        N_("Sleep mode: the phone with the account is off or offline."),
    ),
    "blocked": (Status.CHECK_FAILED, N_("Telegram has blocked the account on this instance.")),
    "yellowCard": (
        Status.CHECK_FAILED,
        N_("Telegram limits sending for suspected spam (a yellow card)."),
    ),
    "suspended": (Status.CHECK_FAILED, N_("Telegram has put temporary limits on the account.")),
}


def connection_verdict(status: str) -> Verdict:
    """A provider connection's ``status`` (``active``, ``waiting``, ``unauthorized``...)."""
    known = CONNECTION_STATUS.get(status)
    if known is not None:
        return Verdict(known[0], _(known[1]))
    return Verdict(
        Status.CHECK_FAILED, _(CONNECTION_OTHER).format(status=scrub(status)[:40] or "?")
    )


def instance_verdict(state: str) -> Verdict:
    """A Green-API instance's ``stateInstance``."""
    known = INSTANCE_STATE.get(state)
    if known is not None:
        return Verdict(known[0], _(known[1]))
    return Verdict(
        Status.CHECK_FAILED,
        _("Green-API reports the state '{state}'.").format(state=scrub(state)[:40]),
    )


def bot_verdict(
    me: BotUser, webhook: WebhookInfo | None, webhook_error: X2DeskError | None = None
) -> Verdict:
    """getMe answered (the token works); what getWebhookInfo said, or why it could not."""
    name = me.display_name
    if webhook_error is not None or webhook is None:
        return Verdict(
            Status.WORKS, _("Answers as {name}; its webhook could not be read.").format(name=name)
        )
    if not webhook.is_set:
        return Verdict(Status.WORKS, _("Answers as {name}; no webhook is set.").format(name=name))
    if webhook.last_error_message:
        return Verdict(
            Status.WORKS,
            _("Answers as {name}; its webhook at {host} last failed: {error}").format(
                name=name, host=webhook.host, error=scrub(webhook.last_error_message)[:120]
            ),
        )
    return Verdict(
        Status.WORKS,
        _("Answers as {name}; its webhook goes to {host}.").format(name=name, host=webhook.host),
    )


def error_verdict(exc: BaseException, kind: str) -> Verdict:
    """What a check that failed with ``exc`` says about a connection of ``kind``: a refused bot
    token needs the bot connected again, a 402 means unpaid; anything else is "check failed"
    with the error's text for that service (the provider refusing its key is no fault of the
    connection)."""
    from x2desk.core.texts import error_text

    service = _service(kind)
    text = error_text(exc, TEXTS.get(service, "common") if service else "common")
    if isinstance(exc, InvalidAuth) and service is Service.X2CHAT:
        return Verdict(Status.NEEDS_REAUTH, text)
    if isinstance(exc, SubscriptionRequired):
        return Verdict(Status.UNPAID, text)
    return Verdict(Status.CHECK_FAILED, text)


def connect_verdict(kind: str, details: dict[str, Any]) -> Verdict:
    """What a flow that just connected learnt (its record's details): the provider's connection
    status, an instance authorised; otherwise "not checked"."""
    service = _service(kind)
    if service is Service.ACCOUNTS and isinstance(details.get("status"), str):
        return connection_verdict(details["status"])
    if service is Service.GREENAPI and isinstance(details.get("stateInstance"), str):
        return instance_verdict(details["stateInstance"])
    return NOT_CHECKED


# Which table of core.texts words a service's errors.
TEXTS = {Service.X2CHAT: "x2chat", Service.ACCOUNTS: "provider", Service.GREENAPI: "greenapi"}


def _service(kind: str) -> Service | None:
    entry = KINDS.get("x2chat_bot" if kind == "x2chat" else kind)
    return entry.service if entry is not None else None
