"""What the account pages share: the wizard's steps, the name of what a flow connects (from
:mod:`x2desk.core.kinds`), the subscription note, and the texts for errors of the connections
provider (one place, translatable)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from x2desk.core.errors import RateLimited
from x2desk.core.kinds import FLOWS, KINDS
from x2desk.i18n import N_, _
from x2desk.ui.common.messages import message_for
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


LIMITS_TEXT = (
    "Good to know: connections cannot be deleted here, only by the provider's support, and "
    "deleting one also deletes its chats. A connection works only inside a paid subscription."
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("accounts", text)


def provider_message(exc: BaseException | None) -> str:
    """The text for a provider error: the core's specific message, reworded where the shared
    table speaks of X2Chat."""
    if exc is None:
        return ""
    if isinstance(exc, RateLimited):
        wait = f" Wait {int(exc.retry_after)} s and" if exc.retry_after else " Wait a minute and"
        return _tr("The provider is receiving too many requests from this computer.") + _tr(
            wait + " try again."
        )
    return message_for(exc)
