"""What the Green-API pages share: the wizard's step names and the text for an error."""

from __future__ import annotations

from x2desk.core.texts import GREENAPI, error_text

STEP_WHAT = "What to connect"
STEP_INSTANCE = "Instance"
STEP_PAIR = "Pair"
STEP_DONE = "Done"


def greenapi_message(exc: BaseException | None) -> str:
    """The text for an error of a Green-API pairing, from Green-API's table in
    :mod:`x2desk.core.texts`: the core's specific message where it has one; never a secret."""
    return error_text(exc, GREENAPI)
