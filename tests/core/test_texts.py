"""One keyed error-text table per service (issue 10), shared by the window and the CLI."""

from __future__ import annotations

import gettext
import inspect

import pytest

from x2desk import i18n
from x2desk.core import errors
from x2desk.core.errors import (
    AlreadyAuthorised,
    CannotConnect,
    InvalidAuth,
    KeyringUnavailable,
    RateLimited,
    TokenSpent,
    X2DeskError,
)
from x2desk.core.texts import COMMON, GREENAPI, PROVIDER, TABLES, X2CHAT, error_text

ERROR_KEYS = {
    cls.key
    for _, cls in inspect.getmembers(errors, inspect.isclass)
    if issubclass(cls, X2DeskError)
}


def test_every_key_in_a_table_is_an_error_key() -> None:
    for name, table in TABLES.items():
        assert set(table) <= ERROR_KEYS, (name, set(table) - ERROR_KEYS)


def test_every_error_raised_as_is_has_a_text() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, X2DeskError)
    ]
    leaves = [c for c in classes if not c.__subclasses__() and c is not RateLimited]
    assert len(leaves) > 20
    for cls in leaves:
        assert cls.default_message != X2DeskError.default_message or any(
            cls.key in table for table in TABLES.values()
        ), cls.__name__


def test_each_service_words_the_same_key_its_own_way() -> None:
    exc = CannotConnect()
    assert "X2Chat" in error_text(exc, X2CHAT)
    assert "connections provider" in error_text(exc, PROVIDER)
    assert "Green-API" in error_text(exc, GREENAPI)
    assert error_text(exc, COMMON) == CannotConnect.default_message
    assert error_text(TokenSpent(), "unknown service") == TokenSpent.default_message


def test_a_specific_message_keeps_its_specifics() -> None:
    exc = InvalidAuth("Green-API refused instance 1101: the idInstance is wrong.")
    assert error_text(exc, GREENAPI) == exc.message
    assert error_text(KeyringUnavailable("no keyring on this kiosk"), X2CHAT).endswith("kiosk")


def test_rate_limits_say_the_wait_where_the_page_does_not() -> None:
    assert "42 seconds" in error_text(RateLimited(42), PROVIDER)
    assert "a moment" in error_text(RateLimited(None), PROVIDER)
    assert "waits 3 seconds" in error_text(RateLimited(3, "anything"), GREENAPI)
    assert "Try again in 7 seconds" in error_text(RateLimited(7), X2CHAT)
    assert "seconds" not in error_text(RateLimited(7), X2CHAT, say_wait=False)
    assert "Wait 1 second and" in error_text(RateLimited(0.2), COMMON)


def test_anything_else_is_unexpected_and_none_is_nothing() -> None:
    assert "unexpected" in error_text(ValueError("secret 123"), X2CHAT)
    assert "secret 123" not in error_text(ValueError("secret 123"), X2CHAT)
    assert error_text(None) == ""


def test_the_texts_come_through_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    class Shouting(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return message.upper()

    monkeypatch.setattr(i18n, "_translation", Shouting())
    assert error_text(CannotConnect(), PROVIDER).startswith("COULD NOT REACH THE CONNECTIONS")
    assert error_text(AlreadyAuthorised(), GREENAPI) == AlreadyAuthorised.default_message.upper()


def test_the_windows_three_functions_are_fronts_for_the_table() -> None:
    from x2desk.ui.accounts.common import provider_message
    from x2desk.ui.common.messages import message_for
    from x2desk.ui.greenapi.common import greenapi_message

    for exc in (CannotConnect(), InvalidAuth(), RateLimited(9), TokenSpent(), KeyError("x")):
        assert message_for(exc) == error_text(exc, X2CHAT, say_wait=False)
        assert provider_message(exc) == error_text(exc, PROVIDER)
        assert greenapi_message(exc) == error_text(exc, GREENAPI)
    assert provider_message(None) == greenapi_message(None) == ""
    # the provider's errors no longer speak of X2Chat (they did through the shared table)
    assert "X2Chat" not in provider_message(CannotConnect())
