"""The kiosk's admin PIN: a salted scrypt hash in the config file, checked in constant time.

scrypt (``hashlib.scrypt``, OpenSSL) is memory-hard, so guessing a short numeric PIN from a copied
config costs real time and memory per guess; the parameters live in the stored string
(``scrypt$<n>$<r>$<p>$<salt>$<hash>``, base64), so later versions can raise them and still check
old hashes. The PIN itself is never stored, logged or echoed. :class:`PinAttempts` slows guessing
at the kiosk's own keypad (a pause that doubles after each run of wrong PINs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _

SCHEME = "scrypt"
SCRYPT_N = 2**14  # 16 MiB per guess, about 50 ms here: the "interactive login" setting
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MAX_N = 2**20  # refuse stored parameters that would make one check take seconds or a GiB

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 16
_PIN_RE = re.compile(r"^[0-9]+$")  # ASCII digits: \d would take ١٢٣٤٥٦ too
_HASH_RE = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def check_pin(pin: Secret) -> Secret:
    """The PIN if it can be used (6 to 16 digits: the kiosk's keypad has only digits)."""
    value = pin.reveal().strip()
    if not value:
        raise InputError(_("No PIN was typed. Nothing was changed."))
    if not _PIN_RE.match(value) or not PIN_MIN_DIGITS <= len(value) <= PIN_MAX_DIGITS:
        raise InputError(
            _(
                "The PIN must be {low} to {high} digits (0-9), nothing else. Nothing was changed."
            ).format(low=PIN_MIN_DIGITS, high=PIN_MAX_DIGITS)
        )
    return Secret(value)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=129 * n * r * p + 2**20, dklen=length
    )


def hash_pin(pin: Secret) -> str:
    """A new salted hash of ``pin`` (checked with :func:`check_pin` first), to store."""
    value = check_pin(pin).reveal()
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(value, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    b64 = base64.b64encode
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def is_pin_hash(text: str) -> bool:
    """Whether ``text`` is a hash :func:`verify_pin` can check (form and parameters)."""
    match = _HASH_RE.match(text)
    if not match:
        return False
    n, r, p = (int(match.group(i)) for i in (1, 2, 3))
    try:
        salt = base64.b64decode(match.group(4), validate=True)
        digest = base64.b64decode(match.group(5), validate=True)
    except ValueError:
        return False
    return (
        2 <= n <= MAX_N
        and n & (n - 1) == 0
        and 1 <= r <= 32
        and 1 <= p <= 4
        and len(salt) >= 8
        and len(digest) >= 16
    )


def verify_pin(pin: Secret | str, stored: str | None) -> bool:
    """Whether ``pin`` matches the ``stored`` hash; False for no hash or a malformed one.
    The comparison takes the same time wherever the digests differ."""
    if not stored or not is_pin_hash(stored):
        return False
    value = pin.reveal() if isinstance(pin, Secret) else pin
    _, n, r, p, salt_b64, digest_b64 = stored.split("$")
    expected = base64.b64decode(digest_b64)
    candidate = _scrypt(
        value.strip(), base64.b64decode(salt_b64), int(n), int(r), int(p), len(expected)
    )
    return hmac.compare_digest(candidate, expected)


class PinAttempts:
    """Counts wrong PINs at the keypad: after every ``free`` wrong ones in a row, the next try
    must wait ``pause_s`` seconds, doubled each time (capped at ``max_pause_s``). A right PIN
    resets it. ``clock`` is injectable (a FakeClock) so tests never sleep."""

    def __init__(
        self,
        stored: str | None,
        *,
        free: int = 3,
        pause_s: float = 30.0,
        max_pause_s: float = 600.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._stored = stored
        self._free, self._pause_s, self._max_pause_s = free, pause_s, max_pause_s
        self._clock = clock
        self._wrong = 0
        self._locked_until = 0.0

    def wait_s(self) -> float:
        """Seconds until the next PIN may be tried (0: now)."""
        return max(0.0, self._locked_until - self._clock.monotonic())

    def try_pin(self, pin: Secret | str) -> bool:
        """True when ``pin`` is right; False when wrong or tried during a pause (not checked)."""
        if self.wait_s() > 0:
            return False
        if verify_pin(pin, self._stored):
            self._wrong, self._locked_until = 0, 0.0
            return True
        self._wrong += 1
        if self._wrong % self._free == 0:
            runs = self._wrong // self._free
            pause = min(self._max_pause_s, self._pause_s * 2 ** (runs - 1))
            self._locked_until = self._clock.monotonic() + pause
        return False
