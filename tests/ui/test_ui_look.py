"""The look and the keyboard: forced themes, the choice card, the home rows, Escape anywhere."""

from __future__ import annotations

import os
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from x2desk.ui.app import ensure_app
from x2desk.ui.choose import ChoiceCard
from x2desk.ui.common import theme
from x2desk.ui.context import AppContext
from x2desk.ui.home.model import DETAIL_ROLE, LABEL
from x2desk.ui.home.view import HomeView
from x2desk.ui.main_window import MainWindow
from x2desk.ui.x2chat.wizard import X2ChatWizard


@pytest.mark.parametrize(("value", "dark"), [("dark", True), ("light", False), ("DARK ", True)])
def test_theme_can_be_forced_by_env(
    monkeypatch: pytest.MonkeyPatch, value: str, dark: bool
) -> None:
    app = ensure_app()
    monkeypatch.setenv(theme.THEME_ENV, value)
    try:
        chosen = theme.apply(app)
        assert chosen is (theme.DARK if dark else theme.LIGHT)
        assert app.palette().window().color().name() == chosen.window
        assert app.styleSheet() == theme.style_sheet(chosen)
    finally:
        monkeypatch.delenv(theme.THEME_ENV)
        theme.apply(app, dark=False)


def test_unknown_theme_value_follows_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(theme.THEME_ENV, "purple")
    assert theme.forced_dark() is None


def test_choice_card_title_is_bolder_and_larger_than_its_description(qtbot: Any) -> None:
    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.show()
    win.open_wizard()
    assert win.router.chooser is not None
    card = win.router.chooser.page.buttons["x2chat_bot"]
    assert isinstance(card, ChoiceCard)
    title, text = card.title_label, card.description_label
    assert isinstance(title, QLabel) and title.text() == "X2Chat bot"
    assert title.font().weight() > text.font().weight()
    assert title.font().pointSizeF() > text.font().pointSizeF()
    assert title.palette().windowText().color() != text.palette().windowText().color()
    assert card.height() >= title.height() + text.height()  # nothing clipped
    assert card.accessibleName() == "X2Chat bot"
    qtbot.mouseClick(title, Qt.MouseButton.LeftButton)  # a click on the title checks the card
    assert card.isChecked()


def test_escape_cancels_the_wizard_from_a_child_field(qtbot: Any) -> None:
    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.show()
    win.open_wizard()
    assert win.router.chooser is not None
    qtbot.mouseClick(win.router.chooser.frame.next_button, Qt.MouseButton.LeftButton)
    wiz = win.router.wizard("x2chat_bot")
    assert isinstance(wiz, X2ChatWizard)
    wiz.token.tabs.setCurrentIndex(wiz.token.TAB_PASTE)
    wiz.token.paste_edit.setFocus()
    qtbot.waitUntil(wiz.token.paste_edit.hasFocus)
    with qtbot.waitSignal(wiz.closed, timeout=3000):
        qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Escape)
    assert win.views.currentWidget() is win.home
    wiz.shutdown()


def test_home_rows_show_a_title_and_a_detail_line(qtbot: Any) -> None:
    from x2desk.core.home.rows import row_of
    from x2desk.core.store.records import RecordStore

    ensure_app()
    home = HomeView()
    qtbot.addWidget(home)
    with RecordStore.open() as records:
        bot = records.upsert("x2chat_bot", "7", username="shop_bot", chat_id=42)
    home.set_rows([row_of(bot)])
    index = home.table.model().index(0, LABEL)
    assert index.data() == "@shop_bot"
    assert index.data(DETAIL_ROLE) == "chat 42"
    hint = home.table.rowHeight(0)
    assert hint >= 2 * home.fontMetrics().height()  # two lines fit
    bold = QFont(home.font())
    bold.setWeight(QFont.Weight.DemiBold)
    assert bold.weight() > home.font().weight()


def test_home_loads_records_after_the_first_show(qtbot: Any) -> None:
    ensure_app()
    win = MainWindow(AppContext(), load_now=False)
    qtbot.addWidget(win)
    assert not win.home.is_empty_state()  # neither empty nor list: quietly loading
    win.show()
    qtbot.waitUntil(win.home.is_empty_state, timeout=3000)


def test_token_page_title_follows_the_tab(qtbot: Any) -> None:
    ensure_app()
    wiz = X2ChatWizard(AppContext())
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.start()
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)
    assert "camera" in wiz.frame.title_label.text()
    wiz.token.tabs.setCurrentIndex(wiz.token.TAB_PASTE)
    assert wiz.frame.title_label.text() == "Paste the integration token"
    wiz.shutdown()


START_PROBE = r"""
import sys
from x2desk.ui import app
shown = app._exit_after_show
HEAVY = ("cv2", "numpy", "httpx", "keyring", "zxingcpp", "sqlite3", "x2desk.commands.doctor")
def spy():
    print("LOADED", ",".join(m for m in HEAVY if m in sys.modules), flush=True)
    shown()
app._exit_after_show = spy
from x2desk.cli import main
sys.exit(main([]))
"""


def test_window_shows_before_any_heavy_import(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", X2DESK_EXIT_AFTER_SHOW="probe")
    env["X2DESK_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", START_PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("LOADED"))
    assert line == "LOADED ", line  # OpenCV, numpy, httpx, keyring, SQLite: all after the show
    assert "x2desk-shown probe" in out.stdout


QT_ENUM_PROBE = r"""
import sys
import PySide6.QtCore as core
from x2desk.ui import app
shown = app._exit_after_show
def spy():
    print("QT-ENUMS", "Qt" in vars(core), flush=True)
    shown()
app._exit_after_show = spy
from x2desk.cli import main
sys.exit(main([]))
"""


def test_second_start_builds_no_qt_enums_before_show(tmp_path: Any) -> None:
    """PySide6 builds all ``Qt`` enums (~14 ms) on the first use of one: not before the window
    shows, once a first run has saved the system's colour scheme."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", X2DESK_EXIT_AFTER_SHOW="probe")
    env["X2DESK_HOME"] = str(tmp_path)
    env.pop(theme.THEME_ENV, None)
    lines = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", QT_ENUM_PROBE], env=env, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        lines.append(next(x for x in out.stdout.splitlines() if x.startswith("QT-ENUMS")))
    assert "theme" in (tmp_path / "window.ini").read_text()  # the first run saved the scheme
    assert lines[1] == "QT-ENUMS False", lines


def test_no_argument_defaults_match_the_parser() -> None:
    from x2desk import cli

    parsed = vars(cli.build_parser([]).parse_args([]))
    assert parsed == cli.NO_ARGUMENT_DEFAULTS
    assert vars(cli.parse_args([])) == parsed


def test_held_settings_run_after_the_first_paint(qtbot: Any) -> None:
    from x2desk.ui.common import widgets

    ensure_app()
    widgets.defer_until_painted()
    try:
        win = MainWindow(AppContext(), load_now=False)
        qtbot.addWidget(win)
        button = win.home.connect_button
        assert button.cursor().shape() != Qt.CursorShape.PointingHandCursor  # held
        with qtbot.waitSignal(win.first_painted, timeout=3000):
            win.show()
        assert button.cursor().shape() == Qt.CursorShape.PointingHandCursor
        assert win.home.banner.textFormat() == Qt.TextFormat.PlainText
        qtbot.waitUntil(lambda: not win.home.loading)  # the records are read in a worker
        assert win.findChildren(type(button), "fixButton")  # the body is built by now
    finally:
        widgets.run_deferred()
    later_button = widgets.button("Later", "laterButton")  # not holding any more: at once
    assert later_button.cursor().shape() == Qt.CursorShape.PointingHandCursor


def test_a_wrong_scheme_guess_is_corrected_after_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QSettings

    from x2desk.ui import app as app_module

    app = ensure_app()
    monkeypatch.delenv(theme.THEME_ENV, raising=False)
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    settings = QSettings(
        str(app_module.Path(os.environ["X2DESK_HOME"]) / "w.ini"), QSettings.Format.IniFormat
    )
    try:
        assert theme.apply(app, guess=True) is theme.DARK  # the last run's answer, not asked
        app_module.remember_scheme(app, settings)
        assert theme.colors() is theme.LIGHT  # the system says light: corrected
        assert app_module.saved_scheme(settings) is False
    finally:
        theme.apply(app, dark=False)
