"""Two whole flows with the keyboard alone: after the window is shown, the person only presses
keys (what the phone gives them, a token or a login code, comes from the sandbox's phone, as it
would from a real phone). The X2Chat bot by a pasted token, and a Telegram account by a login
code, each from the home view back to it, saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import main_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.main_window import MainWindow

WAIT_MS = 15_000
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(qtbot: Any, sandbox: Any) -> Iterator[MainWindow]:
    window = main_window(qtbot, sandbox.url, active=True, account_poll_s=1.0)
    window.resize(1100, 760)
    yield window
    window.close()


class Keyboard:
    """Key presses to whatever has the focus, as a keyboard sends them."""

    def __init__(self, qtbot: Any, win: MainWindow) -> None:
        self.qtbot = qtbot
        self.win = win

    def focus(self) -> QWidget:
        focus = QApplication.focusWidget()
        assert focus is not None and self.win.isAncestorOf(focus), "the focus left the window"
        return focus

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        self.qtbot.keyClick(self.focus(), key, modifier)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focus(), text)

    def tab_to(self, name: str, most: int = 12) -> None:
        """Tab until the control ``name`` has the focus (as a person tabs through a page)."""
        for _ in range(most):
            if self.focus().objectName() == name:
                return
            self.press(Qt.Key.Key_Tab)
        assert self.focus().objectName() == name, f"Tab never reached {name!r}"

    def arrow_to(self, name: str, key: Qt.Key = Qt.Key.Key_Down, most: int = 8) -> None:
        """An arrow key through a group of choices until ``name`` has the focus (Tab leaves the
        group, as it leaves a group of radio buttons)."""
        for _ in range(most):
            if self.focus().objectName() == name:
                return
            self.press(key)
        assert self.focus().objectName() == name, f"the arrows never reached {name!r}"

    def wait_page(self, page_id: str) -> None:
        def shown() -> bool:
            page = self.win.findChild(QWidget, f"page_{page_id}")
            return page is not None and page.isVisible()

        self.qtbot.waitUntil(shown, timeout=WAIT_MS)

    def wait_enabled(self, name: str) -> None:
        self.qtbot.waitUntil(
            lambda: any(
                w.isVisible() and w.isEnabled() for w in self.win.findChildren(QWidget, name)
            ),
            timeout=WAIT_MS,
        )


def records() -> list[Any]:
    with RecordStore.open() as store:
        return list(store.list())


def test_an_x2chat_bot_with_the_keyboard_alone(
    qtbot: Any, win: MainWindow, phone: SandboxPhone
) -> None:
    keys = Keyboard(qtbot, win)
    token = str(phone.issue_token()["token"])  # what the X2Chat app shows (its "Copy token")
    keys.press(Qt.Key.Key_N, CTRL)  # Connect…
    keys.wait_page("choose")
    keys.press(Qt.Key.Key_Return)  # the first card: an X2Chat bot
    keys.wait_page("token")
    keys.press(Qt.Key.Key_P, ALT)  # the Paste token tab
    keys.tab_to("pasteToken")
    keys.type(token)
    keys.press(Qt.Key.Key_Return)
    keys.wait_page("confirm")
    assert keys.focus().objectName() == "confirmRotation"
    keys.press(Qt.Key.Key_Space)  # "I understand"
    keys.press(Qt.Key.Key_Return)  # Connect bot
    keys.wait_page("check")
    keys.wait_enabled("wizardNext")
    keys.press(Qt.Key.Key_Return)  # Finish
    keys.wait_page("saved")
    keys.press(Qt.Key.Key_Return)  # Done
    qtbot.waitUntil(lambda: win.views.currentWidget() is win.home, timeout=WAIT_MS)
    assert [r.kind for r in records()] == ["x2chat_bot"]


def test_a_telegram_account_by_login_code_with_the_keyboard_alone(
    qtbot: Any, win: MainWindow, phone: SandboxPhone
) -> None:
    keys = Keyboard(qtbot, win)
    key = phone.provider_key()  # what the provider's dashboard shows
    keys.press(Qt.Key.Key_N, CTRL)
    keys.wait_page("choose")
    keys.arrow_to("choice_accounts")
    keys.press(Qt.Key.Key_Return)  # Messenger account or bot
    keys.wait_page("account_kind")
    keys.arrow_to("kind_telegram_code", Qt.Key.Key_Right)  # beside the QR one
    keys.press(Qt.Key.Key_Return)  # Telegram account, by login code
    keys.wait_page("account_provider")
    keys.tab_to("providerKey")
    keys.type(key)
    keys.tab_to("providerRemember")
    keys.press(Qt.Key.Key_Space)  # a test's key stays out of the keyring
    keys.press(Qt.Key.Key_Return)  # Next: the key is checked with the provider
    keys.wait_page("account_phone")
    keys.tab_to("accountPhone")
    keys.type("+79161234567")
    keys.press(Qt.Key.Key_Return)  # the code is sent
    keys.wait_page("account_code")
    wizard = win.router.wizard("accounts")
    session_id = wizard.current_session_id()  # type: ignore[union-attr]
    code = phone.code(session_id)  # what arrives in the Telegram app on the phone
    keys.tab_to("accountCode")
    keys.type(code)
    keys.press(Qt.Key.Key_Return)
    keys.wait_page("account_result")
    keys.wait_enabled("wizardNext")
    headline = win.findChild(QWidget, "resultHeadline")
    qtbot.waitUntil(lambda: "connected" in headline.text(), timeout=WAIT_MS)
    keys.press(Qt.Key.Key_Return)  # Finish
    qtbot.waitUntil(lambda: win.views.currentWidget() is win.home, timeout=WAIT_MS)
    connections = phone.state()["connections"].values()
    assert [c["type"] for c in connections] == ["telegram"]
    assert [r.kind for r in records()] == ["telegram"]
