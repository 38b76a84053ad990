"""What the account pages share: the wizard's steps, the name of what a flow connects (from
:mod:`x2desk.core.kinds`), the subscription note, and the texts for errors of the connections
provider (the provider's table in :mod:`x2desk.core.texts`)."""

from __future__ import annotations

from collections.abc import Iterable

from x2desk.core.kinds import FLOWS, KINDS
from x2desk.core.texts import PROVIDER, error_text
from x2desk.i18n import N_, _
from x2desk.ui.common.wizard import STEP_CHOOSE

STEP_PROVIDER = N_("Provider")
STEP_DETAILS = N_("Details")
STEP_LOGIN = N_("Log in")
STEP_DONE = N_("Done")
STEPS = (STEP_CHOOSE, STEP_PROVIDER, STEP_DETAILS, STEP_LOGIN, STEP_DONE)


def kind_name(kind_id: str) -> str:
    """What a connection of this kind is called (translated), e.g. "Telegram account"."""
    kind = KINDS.get(kind_id)
    return _(kind.name) if kind is not None else kind_id


def flow_kind_name(flow_id: str) -> str:
    """What ``flow_id`` connects (translated): the name of its kind."""
    flow = FLOWS.get(flow_id)
    return kind_name(flow.kind) if flow is not None else _("connection")


LIMITS_TEXT = N_(
    "Good to know: connections cannot be deleted here, only by the provider's support, and "
    "deleting one also deletes its chats. A connection works only inside a paid subscription."
)


def suggest_name(kind_id: str, taken: Iterable[str] = ()) -> str:
    """A name for a new connection: its kind's ("Telegram account"), numbered when the provider
    has one of that name already ("Telegram account 2")."""
    base = kind_name(kind_id)
    used = {n.casefold() for n in taken}
    if base.casefold() not in used:
        return base
    number = 2
    while f"{base} {number}".casefold() in used:
        number += 1
    return f"{base} {number}"


def provider_message(exc: BaseException | None) -> str:
    """The text for a provider error, from the provider's table in :mod:`x2desk.core.texts`."""
    return error_text(exc, PROVIDER)
