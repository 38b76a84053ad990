"""What the Green-API pages share: the wizard's step names, what they ask of the wizard
(:class:`GreenApiActions`) and the text for an error (Green-API's table in
:mod:`x2desk.core.texts`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from x2desk.core.secret import Secret
from x2desk.core.texts import GREENAPI, error_text
from x2desk.i18n import N_
from x2desk.ui.common.wizard import STEP_CHOOSE, ResultActions

STEP_INSTANCE = N_("Instance")
STEP_PAIR = N_("Pair")
STEP_DONE = N_("Done")
STEPS = (STEP_CHOOSE, STEP_INSTANCE, STEP_PAIR, STEP_DONE)


class GreenApiActions(ResultActions, Protocol):
    """What the Green-API pages ask of their wizard, besides a result page's actions."""

    def keep(self) -> None: ...

    def log_out_and_pair(self) -> None: ...

    def use_file_store(self, passphrase: Secret) -> None: ...

    def retry_store(self) -> None: ...

    def discard(self) -> None: ...

    def unlock_for_repair(self, hint: str = "") -> None: ...


def greenapi_message(exc: BaseException | None) -> str:
    """The text for an error of a Green-API pairing, from Green-API's table in
    :mod:`x2desk.core.texts`: the core's specific message where it has one; never a secret."""
    return error_text(exc, GREENAPI)


def api_url_for(configured: str) -> Callable[[str], str]:
    """The API address to use for an instance whose own is not given: the one x2desk was
    pointed at (a sandbox, the settings, $X2DESK_GREENAPI_URL), else the instance's own (from
    its ID). The instance page follows a typed ID with it; a batch line without one gets it."""
    from x2desk.core.greenapi.endpoints import UNIVERSAL_API_URL

    pointed = configured.strip().rstrip("/")
    if pointed and pointed != UNIVERSAL_API_URL:
        return lambda _id: pointed

    def own(id_instance: str) -> str:
        from x2desk.core.greenapi.client import default_api_url  # httpx: loaded on first use

        return default_api_url(id_instance)

    return own
