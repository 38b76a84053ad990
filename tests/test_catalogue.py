"""The catalogue is complete: every marked text has a finished Russian entry, with the right
plural forms and the same placeholders, and the compiled .mo matches its .po."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from x2desk import i18n

TOOL = Path(__file__).resolve().parents[1] / "tools" / "catalog.py"


def _catalog_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalog_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_marked_text_has_a_finished_russian_entry() -> None:
    assert _catalog_tool().problems() == []


def test_the_check_finds_a_missing_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _catalog_tool()
    real = tool.extract

    def with_new_text():  # type: ignore[no-untyped-def]
        cat = real()
        cat.add("A text nobody translated yet", None, [("x2desk/new.py", 1)])
        return cat

    monkeypatch.setattr(tool, "extract", with_new_text)
    assert any("missing 'A text nobody translated yet'" in p for p in tool.problems())


@pytest.fixture
def russian():  # type: ignore[no-untyped-def]
    i18n.set_language("ru")
    yield
    i18n.set_language("en")


def test_russian_plurals_have_three_forms(russian: None) -> None:
    assert [i18n.format_duration(60 * n) for n in (1, 2, 5, 21)] == [
        "1 минута",
        "2 минуты",
        "5 минут",
        "21 минута",
    ]


def test_numbers_and_texts_follow_the_language(russian: None) -> None:
    assert i18n.format_number(12345.5) == "12\xa0345,5"
    assert i18n._("Telegram bot") == "Бот Telegram"
    i18n.set_language("en")
    assert i18n.format_number(12345.5) == "12,345.5"
    assert i18n._("Telegram bot") == "Telegram bot"


def test_the_language_comes_from_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("X2DESK_LANG", "ru")
    assert i18n.choose_language(None) == "ru"
    assert i18n.choose_language("en") == "en"
    monkeypatch.delenv("X2DESK_LANG")
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    assert i18n.choose_language(None) == "ru"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert i18n.choose_language(None) == "en"
    with pytest.raises(ValueError):
        i18n.choose_language("fr")


def test_no_russian_entry_keeps_english_words() -> None:
    """A Russian entry says everything in Russian: names (x2desk, Telegram, QR, API...),
    placeholders, addresses, options, commands and «quotations» of another program's own words
    are all that may stay in Latin letters (the same rule the Russian autopilot applies to the
    screen: x2desk/ui/autopilot/words.py)."""
    from x2desk.ui.autopilot.words import english_words

    cat = _catalog_tool().read("ru")
    english = []
    for m in cat:
        if not m.id:
            continue
        for said in m.string if isinstance(m.string, tuple) else (m.string,):
            if words := english_words(said):
                english.append(f"{m.id!r}: {said!r} {words}")
    assert english == []


def test_the_english_word_check_finds_english() -> None:
    from x2desk.ui.autopilot.words import english_words

    assert english_words("Следующая страница (Next page)") == ["Next", "page"]
    assert english_words("Отсканируйте QR-код в Telegram: «Link Desktop Device»") == []
    assert english_words("Запустите x2desk forget {id} или --if-authorised keep") == []
    assert english_words("Адрес https://api.green-api.com и ok.ru, @shop_12_bot, getUpdates") == []
