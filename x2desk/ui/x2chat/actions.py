"""What the X2Chat pages share: the wizard's steps and what the pages ask of the wizard
(:class:`X2ChatActions`, implemented by :class:`~x2desk.ui.x2chat.wizard.X2ChatWizard`)."""

from __future__ import annotations

from typing import Protocol

from x2desk.core.secret import Secret
from x2desk.i18n import N_
from x2desk.ui.common.wizard import STEP_CHOOSE

STEP_TOKEN = N_("Get the token")
STEP_CONFIRM = N_("Confirm")
STEP_REDEEM = N_("Connecting")
STEP_CHECK = N_("Check")
STEP_SAVED = N_("Saved")
STEPS = (STEP_CHOOSE, STEP_TOKEN, STEP_CONFIRM, STEP_REDEEM, STEP_CHECK, STEP_SAVED)


class X2ChatActions(Protocol):
    """The person's choices on the redeem, check and saved pages, sent to the flow."""

    def cancel_redeem(self) -> None: ...

    def scan_again(self) -> None: ...

    def retry(self) -> None: ...

    def seconds_until_retry(self) -> float: ...

    def skip_checks(self) -> None: ...

    def set_test_text(self, text: str) -> None: ...

    def send_test_message(self, text: str) -> None: ...

    def use_file_store(self, passphrase: Secret) -> None: ...

    def retry_store(self) -> None: ...

    def ask_discard(self) -> None: ...

    def discard(self) -> None: ...

    def connect_another(self) -> None: ...
