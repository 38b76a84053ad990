"""Phone numbers to E.164 (issue 17 item 10, issue 12): national forms with a default country,
digits of other scripts normalised on purpose, everything unsafe refused before it is sent."""

from __future__ import annotations

import json
import locale
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from x2desk.core.accounts.client import normalise_phone as client_normalise
from x2desk.core.errors import InputError, StoreError
from x2desk.core.phone import E164, default_region, normalise_phone
from x2desk.core.store.settings import load_settings, update_settings


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+44 20 7946 0958", "", "+442079460958"),
        ("0044 20 7946 0958", "", "+442079460958"),
        ("+7 (916) 123-45-67", "", "+79161234567"),
        ("8 916 123-45-67", "RU", "+79161234567"),  # the Russian national form
        ("8 (916) 123 45 67", "ru", "+79161234567"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+7 916 123 45 67", "GB", "+79161234567"),  # a + wins over the default country
        ("+٧ ٩١٦ ١٢٣ ٤٥ ٦٧", "", "+79161234567"),  # Arabic-Indic digits
        ("+۷ ۹۱۶ ۱۲۳ ۴۵ ۶۷", "", "+79161234567"),  # Persian digits
        ("+７ ９１６ １２３ ４５ ６７", "", "+79161234567"),  # full-width digits
        ("\u200b+7 916 123 45 67\ufeff", "", "+79161234567"),  # zero-width marks from a paste
        ("+7\u00a0916\u00a0123\u00a045\u00a067", "", "+79161234567"),  # no-break spaces
    ],
)
def test_accepted(text: str, region: str, expected: str) -> None:
    assert normalise_phone(text, region) == expected


@pytest.mark.parametrize(
    ("text", "region", "words"),
    [
        ("", "", "international form"),
        ("   ", "RU", "international form"),
        ("8 916 123-45-67", "", "must start with +"),  # no default country: + required
        ("+0123456789", "", "not a valid phone number"),
        ("+12", "", "not a valid phone number"),
        ("+4420794609581234", "", "not a valid phone number"),
        ("+7 916 123", "", "not a valid phone number"),  # too short for Russia
        ("+1 800 FLOWERS", "", "letters"),
        ("+7 916 123 45 67 ext 5", "", "letters"),
        ("+٧ 916 123 45 67", "", "different scripts"),  # Arabic-Indic mixed with ASCII
        ("+7 916\u202e 123 45 67", "", "invisible control"),  # right-to-left override
        ("+7 916\u200e123 45 67", "", "invisible control"),  # left-to-right mark
        ("+7 916 123\x1b[2J45 67", "", "invisible control"),
        ("+7 916 123 45 67;", "", "other signs"),
        ("+7 916 123 45 67" + "-" * 60, "", "too long"),
    ],
)
def test_refused_with_a_reason(text: str, region: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        normalise_phone(text, region)
    assert words in info.value.message


def test_the_client_delegates_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X2DESK_PHONE_REGION", "RU")
    assert client_normalise("8 916 123-45-67") == "+79161234567"
    monkeypatch.setenv("X2DESK_PHONE_REGION", "")
    with pytest.raises(InputError, match="must start with"):
        client_normalise("8 916 123-45-67")


def test_default_region_from_the_environment_then_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("X2DESK_PHONE_REGION", "gb")
    assert default_region() == "GB"
    monkeypatch.setenv("X2DESK_PHONE_REGION", "nonsense")
    assert default_region() is None
    monkeypatch.delenv("X2DESK_PHONE_REGION")
    assert default_region() is None  # no settings file: none
    update_settings(lambda s: setattr(s, "phone_region", "ru"))
    assert load_settings().phone_region == "RU"
    assert default_region() == "RU"
    assert client_normalise("8 916 123-45-67") == "+79161234567"
    update_settings(lambda s: setattr(s, "phone_region", None))
    assert default_region() is None


def test_the_system_locale_does_not_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X2DESK_PHONE_REGION")
    monkeypatch.setattr(locale, "getlocale", lambda category=None: ("ru_RU", "UTF-8"))
    with pytest.raises(InputError, match="must start with"):
        client_normalise("8 916 123-45-67")


@pytest.mark.parametrize("bad", ["RUS", "R1", 7, "ру"])
def test_a_bad_phone_region_in_the_settings_is_refused(tmp_path: Path, bad: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"phone_region": bad}))
    with pytest.raises(StoreError, match="phone_region"):
        load_settings(path)


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["", "RU", "GB", "US", "DE"]),
)
def test_fuzzed_phones_are_ascii_e164_or_a_clear_refusal(text: str, region: str) -> None:
    try:
        result = normalise_phone(text, region)
    except InputError as exc:
        assert exc.message.endswith(".")  # a sentence, not a library's exception text
        return
    assert result.isascii() and E164.fullmatch(result)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "０１２３４５６７８９"]
    ),
    st.lists(st.integers(0, 9), min_size=10, max_size=10),
)
def test_any_one_script_gives_the_same_number(digits: str, national: list[int]) -> None:
    number = [7, 9, *national[:9]]
    ascii_number = "+" + "".join(str(d) for d in number)
    typed = "+" + "".join(digits[d] for d in number)
    try:
        expected = normalise_phone(ascii_number, "")
    except InputError:
        with pytest.raises(InputError):
            normalise_phone(typed, "")
        return
    assert normalise_phone(typed, "") == expected
