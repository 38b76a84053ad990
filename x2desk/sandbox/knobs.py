"""Knobs that make the sandbox behave like a slower, less reliable server (issue 11 item 7):

- ``--latency 0-1.2``: every API answer waits a random time in that range (seconds; one number is
  a fixed wait);
- ``--qr-rotate 10``: every QR (Telegram login, WhatsApp, Green-API) is replaced every N seconds;
- ``--fail-after-scan 503``: after each scan, the next poll of what was scanned gets that status.

The command line (``x2desk sandbox``), the demo and tests share them: :func:`limits_for` turns
them into :class:`~x2desk.sandbox.limits.Limits` fields for ``SandboxServer(**limits)``.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from x2desk.core.errors import InputError

MAX_LATENCY_S = 60.0
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$")


def parse_latency(text: str) -> tuple[float, float]:
    """``"0-1.2"`` -> (0.0, 1.2); ``"0.5"`` -> (0.5, 0.5). InputError with what to type."""
    match = _RANGE.match(text or "")
    if match is None:
        raise InputError(
            f"--latency takes seconds or a range of them, like 0-1.2 or 0.5 (not '{text[:40]}')."
        )
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) is not None else low
    if low > high or high > MAX_LATENCY_S:
        raise InputError(
            f"--latency: the range must go up, and at most to {MAX_LATENCY_S:g} s (like 0-1.2)."
        )
    return low, high


def limits_for(
    latency: str | tuple[float, float] | None = None,
    qr_rotate: float | None = None,
    fail_after_scan: int | None = None,
) -> dict[str, Any]:
    """The :class:`~x2desk.sandbox.limits.Limits` fields these knobs set (none: an empty dict)."""
    limits: dict[str, Any] = {}
    if latency is not None:
        limits["latency_s"] = parse_latency(latency) if isinstance(latency, str) else latency
    if qr_rotate is not None:
        if not 1 <= qr_rotate <= 3600:
            raise InputError("--qr-rotate takes seconds between 1 and 3600 (like 10).")
        for name in ("qr_rotation_s", "whatsapp_qr_rotation_s", "greenapi_qr_rotation_s"):
            limits[name] = float(qr_rotate)
    if fail_after_scan is not None:
        if not 400 <= fail_after_scan <= 599:
            raise InputError("--fail-after-scan takes an HTTP error status, 400-599 (like 503).")
        limits["fail_after_scan"] = fail_after_scan
    return limits


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--latency",
        metavar="SECONDS",
        help="answer every API request after a random wait in this range, e.g. 0-1.2",
    )
    parser.add_argument(
        "--qr-rotate", type=float, metavar="SECONDS", help="replace every QR this often, e.g. 10"
    )
    parser.add_argument(
        "--fail-after-scan",
        type=int,
        metavar="STATUS",
        help="after each scan, answer the next poll with this HTTP status, e.g. 503",
    )


def limits_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The knobs given on the command line (missing attributes count as not given)."""
    return limits_for(
        getattr(args, "latency", None),
        getattr(args, "qr_rotate", None),
        getattr(args, "fail_after_scan", None),
    )


def describe(limits: dict[str, Any]) -> str:
    """One line saying which knobs are on (empty when none is)."""
    parts = []
    if "latency_s" in limits:
        low, high = limits["latency_s"]
        parts.append(f"latency {low:g}-{high:g} s")
    if "qr_rotation_s" in limits:
        parts.append(f"QRs rotate every {limits['qr_rotation_s']:g} s")
    if "fail_after_scan" in limits:
        parts.append(f"one poll after each scan answers {limits['fail_after_scan']}")
    return ("Slower server: " + ", ".join(parts) + ".") if parts else ""
