"""The X2Chat wizard when the redeem answer is incomplete or untrusted: the token is saved anyway
and the Check and Saved pages say what was missing, or which address was not trusted (sandbox
over loopback, a ``partial`` fault)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from helpers import all_text, paste_and_confirm, to_paste
from helpers import make_x2chat_wizard as make_wizard
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


def test_incomplete_answer_is_saved_with_a_warning(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    phone._call(
        "POST",
        "/faults",
        {"path_prefix": REDEEM, "kind": "partial", "fields": {"chat_id": None}},
    )
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["deep_link"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    bot_token = phone.bot_token(issued["bot_id"])
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") == bot_token
    assert wiz.frame.current is wiz.check
    assert wiz.check.incomplete.isVisible() and wiz.check.incomplete.tone == "warning"
    assert "chat_id" in wiz.check.incomplete.text()
    assert "unknown" in wiz.check.bot_detail.text()
    assert not wiz.check.send_button.isEnabled()  # no chat to send a test message to
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert wiz.frame.current is wiz.saved
    assert wiz.saved.incomplete.isVisible()
    assert "saved anyway" in wiz.saved.incomplete.text()
    assert "saved" in wiz.saved.headline.text()
    assert wiz.saved.chat_id.text().startswith("unknown")
    assert wiz.saved.token.text() == f"{bot_token[:4]}…{bot_token[-3:]}"
    assert wiz.saved.where.text()
    assert bot_token not in all_text(wiz)
    with qtbot.waitSignal(wiz.closed):
        qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)


def test_complete_answer_shows_no_warning(
    qtbot: Any, wiz: X2ChatWizard, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    to_paste(qtbot, wiz)
    paste_and_confirm(qtbot, wiz, issued["deep_link"])
    qtbot.waitUntil(lambda: step(wiz) == "checked", timeout=10000)
    assert not wiz.check.incomplete.isVisible()
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert not wiz.saved.incomplete.isVisible()
    assert wiz.saved.headline.text().endswith("is ready")


# ---- issue 11 item 5: the redeem answer is not trusted to redirect the token ------------------


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
