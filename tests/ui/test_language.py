"""The window's language: x2desk's texts and Qt's own switch together, at once."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from x2desk import cli, i18n
from x2desk.ui.app import ensure_app
from x2desk.ui.common.language import language


@pytest.fixture
def english_after() -> Any:
    yield
    i18n.set_language("en")


def _cancel_text() -> str:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert button is not None
    text = button.text().replace("&", "")
    box.deleteLater()
    return text


def test_qt_s_own_buttons_follow_the_switch(qtbot: Any, english_after: None) -> None:
    lang = language(ensure_app())
    with qtbot.wait_signal(lang.changed, timeout=1000) as blocker:
        lang.set("ru")
    assert blocker.args == ["ru"]
    assert i18n._("Telegram bot") == "Бот Telegram"
    assert _cancel_text() == "Отмена"
    lang.set("en")
    assert _cancel_text() == "Cancel"


def test_lang_option_and_variable_choose_the_cli_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], english_after: None
) -> None:
    cli._setup_language("ru")
    assert i18n.current_language() == "ru"
    monkeypatch.setenv("X2DESK_LANG", "fr")
    cli._setup_language(None)
    assert i18n.current_language() == "en"
    assert "X2DESK_LANG=fr" in capsys.readouterr().err
    monkeypatch.setenv("X2DESK_LANG", "ru")
    cli._setup_language(None)
    assert i18n.current_language() == "ru"
