"""Issue 11 item 5 on the saved page: when the redeem answer named another address for the bot's
API, x2desk kept the redeem's own one (the core's rule) and the saved page says so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import make_x2chat_wizard as make_wizard
from helpers import paste_and_confirm, to_paste
from helpers import rendered_step as step
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer
from x2desk.ui.x2chat.wizard import X2ChatWizard

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def wiz(qtbot: Any, sandbox: Any, fake_clock: FakeClock) -> Iterator[X2ChatWizard]:
    w = make_wizard(qtbot, sandbox.url, fake_clock)
    yield w
    w.shutdown()


def test_the_saved_page_says_which_address_was_not_trusted(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    with SandboxServer(clock=fake_clock) as elsewhere:
        fields = {"api_base": f"{elsewhere.url}/api/v1"}
        phone._call("POST", "/faults", {"path_prefix": REDEEM, "kind": "partial", "fields": fields})
        issued = phone.issue_token()
        to_paste(qtbot, wiz)
        paste_and_confirm(qtbot, wiz, issued["token"])
        qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
        qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
        assert wiz.frame.current is wiz.saved
        notes = wiz.saved.notes
        assert notes.isVisible() and notes.tone == "warning"
        assert "another address" in notes.text()
        assert elsewhere.url.split("//")[1] in notes.text()


def test_no_note_when_the_answer_was_trusted(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["token"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.saved and not wiz.saved.notes.isVisible()
