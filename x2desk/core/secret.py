"""A string type for secrets whose ``str``/``repr``/``format`` are masked by construction.

Every secret x2desk handles (bot tokens, API keys, apiTokenInstance, passwords, login codes) is
wrapped in :class:`Secret` as soon as it enters the program. Only :meth:`Secret.reveal` gives the
value back, and only code that must send or store it calls that. Each value is also registered with
:mod:`x2desk.core.redact`, so the logging filter can scrub it if it escapes some other way.
"""

from __future__ import annotations

from typing import Any, NoReturn

from x2desk.core import redact

_hide_completely = False


def hide_secrets_completely() -> None:
    """Kiosk mode: from now on :func:`mask` shows no character of any secret, only dots."""
    global _hide_completely
    _hide_completely = True


def mask(value: str) -> str:
    """Mask a secret for display: ``5282…a88`` (first 4, last 3); short values are all dots.
    After :func:`hide_secrets_completely` (kiosk), always dots."""
    if _hide_completely or len(value) < 12:
        return "•" * 6
    return f"{value[:4]}…{value[-3:]}"


class Secret:
    """An opaque secret string: ``str()`` and ``repr()`` show :func:`mask` of it, never it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value
        redact.register(value)

    def reveal(self) -> str:
        """The real value: only for sending it to its server or storing it in the keyring."""
        return self._value

    @property
    def masked(self) -> str:
        return mask(self._value)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Secret({self.masked!r})"

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled")

    def __getstate__(self) -> Any:
        raise TypeError("a Secret cannot be serialised")
