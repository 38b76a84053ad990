"""The sandbox's tunable limits and lifetimes (all injectable, so tests can shrink them)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    redeem_per_hour: int = 60  # per client IP (API.md section 1)
    issue_per_hour: int = 10  # per owner, in the X2Chat app
    token_ttl_s: float = 300.0  # integration token lifetime
    session_ttl_s: float = 600.0  # provider login sessions
    qr_rotation_s: float = 30.0  # Telegram login QR
    whatsapp_qr_rotation_s: float = 30.0
    whatsapp_loading_s: float = 2.0  # "loading" between the scan and "authorized"
    greenapi_qr_rotation_s: float = 20.0
    greenapi_per_second: int = 10  # requests per instance per second
    greenapi_starting_s: float = 3.0  # "starting" after a logout

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(
                f"unknown sandbox limit(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**kwargs)
