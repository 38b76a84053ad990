"""How the accounts wizard hooks into the app: the "What to connect" choice, Re-authorise on the
home list, the demo phone scanning the desktop's QR from its pixels and showing the login code,
the demo key prefill, and accessible names on every control."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from helpers import SHOTS as ALL_SHOTS
from helpers import AccountsDriver as Driver
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QHBoxLayout, QLineEdit, QWidget

from x2desk.core.clock import FakeClock
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext

SHOTS = ALL_SHOTS / "accounts"


def test_choose_page_routes_to_accounts_and_back(qtbot: Any, sandbox: Any) -> None:
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    win = MainWindow(AppContext.for_sandbox(sandbox.url))
    qtbot.addWidget(win)
    win.show()
    win.open_wizard()
    chooser = win.router.chooser
    assert chooser is not None and win.views.currentWidget() is chooser
    choose = chooser.page
    assert "accounts" in choose.buttons
    qtbot.mouseClick(choose.buttons["accounts"], Qt.MouseButton.LeftButton)
    assert choose.selected() == "accounts"
    qtbot.mouseClick(chooser.frame.next_button, Qt.MouseButton.LeftButton)
    accounts = win.router.wizard("accounts")
    assert isinstance(accounts, AccountsWizard)
    assert win.views.currentWidget() is accounts
    assert accounts.frame.current is accounts.kind_page
    qtbot.mouseClick(accounts.frame.back_button, Qt.MouseButton.LeftButton)
    assert win.views.currentWidget() is chooser  # Back on the first page: the chooser again
    assert choose.selected() == "accounts"
    # the X2Chat bot choice still goes to its own token page
    qtbot.mouseClick(choose.buttons["x2chat_bot"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(chooser.frame.next_button, Qt.MouseButton.LeftButton)
    x2chat = win.router.wizard("x2chat_bot")
    assert win.views.currentWidget() is x2chat
    assert x2chat.frame.current.page_id == "token"  # type: ignore[attr-defined]
    win.close()


def test_home_reauthorise_opens_the_wizard_for_that_connection(qtbot: Any, sandbox: Any) -> None:
    from x2desk.core.store.records import RecordStore
    from x2desk.ui.main_window import MainWindow

    with RecordStore.open() as records:
        records.upsert("telegram_bot", 7, name="Support bot", api_base=f"{sandbox.url}/v2")
        records.upsert("telegram", 42, name="Sales", api_base=f"{sandbox.url}/v2")
    ensure_app()
    win = MainWindow(AppContext.for_sandbox(sandbox.url))
    qtbot.addWidget(win)
    win.show()
    home = win.home
    qtbot.waitUntil(lambda: not home.loading and len(home.rows) == 2)  # read in a worker
    ids = {r.kind: r.id for r in home.rows}
    fix = home.body.buttons["fixButton"]
    assert home.body.select(ids["telegram_bot"])
    assert not fix.isEnabled() and fix.isHidden()  # a bot cannot be re-authorised
    assert home.body.select(ids["telegram"])
    assert fix.isEnabled() and fix.text() == "Re-&authorise…"
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    accounts = win.router.wizard("accounts")
    assert isinstance(accounts, AccountsWizard)
    assert win.views.currentWidget() is accounts
    assert accounts.frame.current is accounts.provider
    assert accounts.reauth_id == 42 and accounts.kind == "telegram_qr"
    assert "Re-authorising connection 42" in accounts.provider.banner.text()
    win.close()


@pytest.fixture
def rig(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler, phone: SandboxPhone
) -> Iterator[tuple[Driver, Any]]:
    """The wizard and the demo phone panel side by side in one window."""
    from x2desk.demo.phone_panel import PhonePanel
    from x2desk.ui.common import theme

    theme.apply(ensure_app(), dark=False)
    wiz = AccountsWizard(
        AppContext.for_sandbox(sandbox.url, demo=True, demo_provider_key=phone.provider_key),
        clock=fake_clock,
        scheduler_factory=lambda: manual,
        countdown_ms=3_600_000,
    )
    demo = SimpleNamespace(phone=phone, new_qr=lambda **_k: {}, messages=lambda _c=None: [])
    panel = PhonePanel(demo, poll_ms=3_600_000)
    window = QWidget()
    lay = QHBoxLayout(window)
    lay.addWidget(wiz, 1)
    lay.addWidget(panel)
    qtbot.addWidget(window)
    window.resize(1300, 760)
    window.show()
    wiz.start()
    yield Driver(qtbot, wiz, manual), panel
    wiz.shutdown()


def test_demo_prefills_the_key_and_the_phone_scans_the_desktop_qr(
    rig: tuple[Driver, Any], phone: SandboxPhone
) -> None:
    d, panel = rig
    wiz = d.wiz
    d.qtbot.mouseClick(wiz.kind_page.buttons["telegram_qr"], Qt.MouseButton.LeftButton)
    d.shot("kind")
    d.next()
    d.wait_page("account_provider")
    d.qtbot.waitUntil(lambda: bool(wiz.provider.key_edit.text()), timeout=5000)
    assert "Demo" in wiz.provider.banner.text()
    d.shot("provider_demo")
    d.next()
    d.name_qr_connection()
    d.until(State.WAITING_FOR_QR)
    d.run(31)  # a QR that rotates before the scan
    d.qtbot.waitUntil(lambda: wiz.qr.shown_version == 2, timeout=3000)
    d.shot("demo_phone_qr")
    d.wiz.window().grab().save(str(SHOTS / "demo_phone_window.png"))
    panel.accounts.twofa.setChecked(True)
    d.qtbot.mouseClick(panel.accounts.scan_button, Qt.MouseButton.LeftButton)
    d.qtbot.waitUntil(lambda: "Scanned" in panel.accounts.result.text(), timeout=10000)
    d.until(State.WAITING_FOR_PASSWORD, step_s=5)
    d.type(wiz.password.edit, "demo-2fa")
    d.next()
    d.until(State.CONNECTED)


def test_demo_phone_shows_the_login_code(rig: tuple[Driver, Any], phone: SandboxPhone) -> None:
    d, panel = rig
    wiz = d.wiz
    d.qtbot.mouseClick(panel.accounts.code_button, Qt.MouseButton.LeftButton)
    assert "No login is waiting" in panel.accounts.result.text()
    d.qtbot.mouseClick(wiz.kind_page.buttons["max_code"], Qt.MouseButton.LeftButton)
    d.next()
    d.qtbot.waitUntil(lambda: bool(wiz.provider.key_edit.text()), timeout=5000)
    d.next()
    d.wait_page("account_phone")
    d.type(wiz.phone.phone_edit, "+79001234567")
    d.next()
    d.until(State.WAITING_FOR_CODE)
    d.qtbot.mouseClick(panel.accounts.code_button, Qt.MouseButton.LeftButton)
    d.qtbot.waitUntil(lambda: "Login code:" in panel.accounts.result.text(), timeout=5000)
    code = panel.accounts.result.text().rsplit(" ", 1)[-1]
    d.shot("demo_phone_code")
    d.type(wiz.code.edit, code)
    d.next()
    d.until(State.CONNECTED)


def test_every_control_is_named_for_the_autopilot(qtbot: Any, sandbox: Any) -> None:
    ensure_app()
    wiz = AccountsWizard(AppContext.for_sandbox(sandbox.url))
    qtbot.addWidget(wiz)
    controls: list[QWidget] = [*wiz.findChildren(QAbstractButton), *wiz.findChildren(QLineEdit)]
    controls += wiz.findChildren(QComboBox)
    assert len(controls) > 20
    unnamed = [
        f"{type(c).__name__}:{c.objectName()!r}:{c.accessibleName()!r}"
        for c in controls
        if not c.objectName() or not c.accessibleName()
    ]
    assert unnamed == []
    secret_fields = [wiz.provider.key_edit, wiz.bot.token_edit, wiz.group.key_edit]
    assert all(f.echoMode() == QLineEdit.EchoMode.Password for f in secret_fields)
    assert wiz.password.edit.echoMode() == QLineEdit.EchoMode.Password
