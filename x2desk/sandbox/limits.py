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
    greenapi_code_ttl_s: float = 300.0  # a phone-login code (startAuthorization) stays valid
    # What ``qr`` answers while an instance waits for its cloud password: "qrCode" (a QR, as the
    # seed allows: only getStateInstance tells) or "not_ready" (the sandbox's old behaviour).
    greenapi_qr_while_pending: str = "qrCode"
    provider_page_max: int = 100  # the most items one page of a provider list holds
    # Slower-server knobs (``x2desk sandbox --latency 0-1.2 --qr-rotate 10 --fail-after-scan 503``):
    latency_s: tuple[float, float] = (0.0, 0.0)  # every API answer waits a random time in this
    fail_after_scan: int | None = None  # after each scan, the next poll of it gets this status

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> Limits:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise TypeError(
                f"unknown sandbox limit(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        limits = cls(**kwargs)
        if limits.greenapi_qr_while_pending not in ("qrCode", "not_ready"):
            raise ValueError("greenapi_qr_while_pending is 'qrCode' or 'not_ready'")
        low, high = limits.latency_s
        if not 0 <= low <= high <= 60:
            raise ValueError("latency_s is (low, high) seconds with 0 <= low <= high <= 60")
        return limits
