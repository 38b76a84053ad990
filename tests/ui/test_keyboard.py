"""The keyboard alone (issue 12): Enter presses the focused button, a choice card, or the page's
default button from any control (a check box, a radio button, a list) on every page of every
wizard; focus after a page change is on the page; the demo's phone panel never takes Tab, Enter
or a mnemonic, and can be hidden; the focus ring of a blue button is clearly visible."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from x2desk.ui.app import ensure_app
from x2desk.ui.common import theme
from x2desk.ui.common.wizard import WizardFrame
from x2desk.ui.context import AppContext


def wizards(ctx: AppContext) -> dict[str, Any]:
    """Every wizard frame there is: the chooser's and the three wizards'."""
    from x2desk.ui.accounts.wizard import AccountsWizard
    from x2desk.ui.choose import Chooser
    from x2desk.ui.greenapi.wizard import GreenApiWizard
    from x2desk.ui.x2chat.wizard import X2ChatWizard

    chooser = Chooser()
    chooser.add_choice("one", "One", "The first", ["What to connect"])
    return {
        "choose": chooser,
        "x2chat": X2ChatWizard(ctx),
        "accounts": AccountsWizard(ctx),
        "greenapi": GreenApiWizard(ctx),
    }


def x2chat_wizard(qtbot: Any, active: bool = False) -> Any:
    """The X2Chat wizard on its first page (``active``: its window has the keyboard)."""
    from x2desk.ui.x2chat.wizard import X2ChatWizard

    ensure_app()
    wizard = X2ChatWizard(AppContext())
    qtbot.addWidget(wizard)
    wizard.show()
    if active:
        wizard.activateWindow()
        qtbot.waitActive(wizard)
    wizard.start()
    return wizard


def enter_from(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_enter_presses_the_default_button_on_every_page(qtbot: Any, sandbox: Any) -> None:
    ensure_app()
    pages = 0
    for name, wizard in wizards(AppContext.for_sandbox(sandbox.url)).items():
        qtbot.addWidget(wizard)
        wizard.resize(1000, 680)
        wizard.show()
        frame: WizardFrame = wizard.frame
        frame.next_requested.disconnect()  # only the frame's part: what Enter presses
        for page_id in list(frame._pages):
            page = frame.show_page(page_id)
            page.can_next = lambda: True  # type: ignore[method-assign]
            frame.refresh()
            assert frame.default_button() is frame.next_button, f"{name}/{page_id}"
            # from the page itself, and from each of its check boxes and radio buttons
            sources: list[QWidget] = [page]
            sources += [b for b in page.findChildren(QAbstractButton) if b.isVisible()]
            sources = [s for s in sources if not (isinstance(s, QAbstractButton) and not
                       isinstance(s, QCheckBox | QRadioButton))]  # fmt: skip
            for source in sources:
                checked = source.isChecked() if isinstance(source, QAbstractButton) else None
                with qtbot.waitSignal(frame.next_requested, timeout=1000):
                    enter_from(qtbot, source)
                if checked is not None:
                    assert source.isChecked() == checked, "Enter toggled a check box"
            pages += 1
        if hasattr(wizard, "shutdown"):
            wizard.shutdown()
    assert pages >= 16


def test_enter_presses_the_focused_button_not_the_default(qtbot: Any) -> None:
    wizard = x2chat_wizard(qtbot)
    wizard.frame.show_page("confirm")
    wizard.confirm.understand.setChecked(True)
    wizard.frame.refresh()
    wizard.frame.back_requested.disconnect()  # the frame's part only
    with (
        qtbot.assertNotEmitted(wizard.frame.next_requested),
        qtbot.waitSignal(wizard.frame.back_requested, timeout=1000),
    ):
        enter_from(qtbot, wizard.frame.back_button)
    wizard.shutdown()


def test_enter_without_a_default_presses_the_pages_blue_button(qtbot: Any) -> None:
    """A failed redeem: Next cannot be pressed; Enter presses "Scan a new QR"."""
    wizard = x2chat_wizard(qtbot)
    page = wizard.frame.show_page("redeem")
    wizard.redeem.cancel_button.hide()
    wizard.redeem.scan_again_button.show()
    assert not wizard.frame.next_button.isEnabled()
    assert wizard.frame.default_button() is wizard.redeem.scan_again_button
    with qtbot.waitSignal(wizard.redeem.scan_again_button.clicked, timeout=1000):
        enter_from(qtbot, page)
    wizard.shutdown()


def test_enter_on_home_presses_the_focused_connect_button(qtbot: Any) -> None:
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.home.connect_requested, timeout=1000):
        enter_from(qtbot, win.home.connect_button)
    # and a choice card: Enter chooses it
    chooser = win.router.chooser
    assert chooser is not None and win.views.currentWidget() is chooser
    card = chooser.page.buttons["accounts"]
    with qtbot.waitSignal(chooser.chosen, timeout=1000) as chosen:
        enter_from(qtbot, card)
    assert chosen.args == ["accounts"]
    win.close()


def test_after_a_page_change_the_focus_is_on_the_page(qtbot: Any) -> None:
    wizard = x2chat_wizard(qtbot, active=True)
    wizard.frame.show_page("saved")  # no field: the page itself, where Enter presses Done
    assert wizard.focusWidget() is wizard.saved, wizard.focusWidget()
    wizard.frame.cancel_button.setFocus()
    wizard.frame.show_page("confirm")
    focus = wizard.focusWidget()
    assert focus is wizard.confirm.understand.box, focus
    qtbot.keyClick(focus, Qt.Key.Key_Space)  # ticked: Next can be pressed (and reached)
    # Tab goes through the page, then Next, Back and Cancel
    order = []
    for _ in range(6):
        qtbot.keyClick(wizard.focusWidget(), Qt.Key.Key_Tab)
        order.append(wizard.focusWidget().objectName())
    assert order[:4] == ["dontAskRotation", "wizardNext", "wizardBack", "wizardCancel"], order
    # a page button turns disabled under the focus: the focus stays on the page, not Cancel
    wizard.frame.show_page("check")
    send = wizard.check.send_button
    wizard.check.test_card.show()
    send.setEnabled(True)
    wizard.activateWindow()
    qtbot.waitActive(wizard)
    send.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is send)
    send.setEnabled(False)
    assert wizard.focusWidget() is not wizard.frame.cancel_button, wizard.focusWidget()
    wizard.frame.show_page("confirm")
    wizard.confirm.understand.setChecked(True)
    # Next turns disabled while it has the focus: the focus goes to the page, not to Cancel
    wizard.frame.next_button.setFocus()
    wizard.confirm.understand.setChecked(False)
    assert not wizard.frame.next_button.isEnabled()
    focus = wizard.focusWidget()
    assert focus is not wizard.frame.cancel_button and wizard.confirm.isAncestorOf(focus), focus
    wizard.shutdown()


# ---- the demo's phone panel ----------------------------------------------------------------------


def panel_widgets(window: Any) -> list[QWidget]:
    dock = window.phone_dock
    return [dock, *dock.findChildren(QWidget)]


def test_the_demo_panel_takes_no_keyboard(qtbot: Any, demo: tuple[Any, Any]) -> None:
    window, session = demo
    widgets = panel_widgets(window)
    for w in widgets:
        wanted = Qt.FocusPolicy.ClickFocus if isinstance(w, QLineEdit) else Qt.FocusPolicy.NoFocus
        assert w.focusPolicy() == wanted, w.objectName()
        if isinstance(w, QAbstractButton):
            assert "&" not in w.text(), f"a mnemonic in the phone panel: {w.text()}"
    window.activateWindow()
    qtbot.waitActive(window)
    window.home.connect_button.setFocus()
    qtbot.keyClick(window.home.connect_button, Qt.Key.Key_Return)  # the chooser
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)  # the X2Chat wizard
    wizard = window.router.wizard("x2chat_bot")
    assert wizard is not None and wizard.frame.current is wizard.token
    for _ in range(40):  # Tab round the whole window: never into the phone
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() not in widgets, window.focusWidget().objectName()
    # a field of the phone, clicked into: the next page takes the focus back
    password = session.panel.accounts.password
    qtbot.waitUntil(lambda: session.panel.info is not None, timeout=10000)  # the first QR
    qtbot.mouseClick(password, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is password
    qr_before = session.panel.qr.pixmap().cacheKey()
    qtbot.keyClick(password, Qt.Key.Key_Return)  # Return never makes a new QR
    qtbot.wait(100)
    assert session.panel._job is None and session.panel.qr.pixmap().cacheKey() == qr_before
    wizard.frame.show_page("confirm")
    assert window.focusWidget() not in widgets
    assert wizard.frame.isAncestorOf(window.focusWidget())
    wizard.shutdown()


def test_the_demo_panel_can_be_hidden(qtbot: Any, demo: tuple[Any, Any]) -> None:
    window, _session = demo
    window.activateWindow()
    qtbot.waitActive(window)
    dock, toggle = window.phone_dock, window.phone_toggle
    assert dock.isVisible() and toggle.isChecked()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not dock.isVisible() and toggle.text() == "Show the phone"
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert dock.isVisible() and toggle.isChecked()


def test_the_demo_panel_headings_are_whole_on_a_small_window(
    qtbot: Any, demo: tuple[Any, Any]
) -> None:
    from PySide6.QtWidgets import QLabel

    window, _session = demo
    window.resize(window.minimumSize())  # the panel scrolls; its texts are not squeezed
    qtbot.wait(50)
    for name in ("phoneTitle", "accountsPhoneTitle", "phoneMessagesTitle"):
        heading = window.findChild(QLabel, name)
        assert heading is not None and heading.isVisible(), name
        assert heading.height() >= heading.heightForWidth(heading.width()), name
        assert heading.width() >= heading.minimumSizeHint().width(), name


def test_the_demo_title_names_x2desk_once(qtbot: Any, demo: tuple[Any, Any]) -> None:
    window, _session = demo
    title = window.windowTitle()
    # Qt adds the application's display name (x2desk's: "x2desk", set by ensure_app) to a
    # title that does not end with it
    assert title.endswith("x2desk"), title
    assert title.count("x2desk") == 1 and "Demo" in title


def test_the_demo_2fa_password_is_masked(qtbot: Any, demo: tuple[Any, Any]) -> None:
    _window, session = demo
    field = session.panel.accounts.password
    assert field.echoMode() == QLineEdit.EchoMode.Password
    assert field.displayText() != field.text()


# ---- the focus ring ----------------------------------------------------------------------------


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colours", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_the_focus_ring_of_a_blue_button_is_clearly_visible(colours: theme.Colors) -> None:
    assert contrast(colours.focus, colours.accent) >= 3.0  # against the button
    assert contrast(colours.focus, colours.window) >= 3.0  # against what is around it
    sheet = theme.style_sheet(colours)
    rule = next(line for line in sheet.splitlines() if 'primary="true"]:focus' in line)
    assert f"3px solid {colours.focus}" in rule
