"""Mask the secrets that sit in request paths, for the requests log and the access log."""

from __future__ import annotations

import re

from x2desk.core.secret import mask

_BOT = re.compile(r"(/bot)([^/]+)")
_GREEN = re.compile(r"^(/waInstance[^/]*/[^/]+/)([^/]+)")


def mask_path(path: str) -> str:
    """``/api/v1/bot123:abc.../getMe`` -> ``/api/v1/bot1234…xyz/getMe``; and Green-API's
    token segment (``/waInstance1/qr/<token>``)."""
    path = _BOT.sub(lambda m: m.group(1) + mask(m.group(2)), path)
    return _GREEN.sub(lambda m: m.group(1) + mask(m.group(2)), path)
