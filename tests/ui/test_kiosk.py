"""A kiosk pairing station never shows a secret at all: not even its masked ends."""

from __future__ import annotations

import argparse

import pytest

import x2desk.core.secret as secret_module
from x2desk.core.secret import Secret
from x2desk.ui.app import build_context

BOT_TOKEN = "52829374815:Ju1X4yonUDb5MAFtgv8hfUoGNXJMo6CNhJb_wGSIa88"


def test_kiosk_mode_masks_every_secret_completely(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_module, "_hide_completely", False)
    assert str(Secret(BOT_TOKEN)) == "5282…a88"  # an operator's laptop shows the ends
    args = argparse.Namespace(
        demo=False, sandbox_url="http://127.0.0.1:9", camera=None, kiosk=True, autopilot=False
    )
    ctx, session = build_context(args)
    assert ctx.kiosk and session is None
    shown = f"{Secret(BOT_TOKEN)} {Secret(BOT_TOKEN)!r} {Secret(BOT_TOKEN).masked}"
    assert "5282" not in shown and "a88" not in shown
    assert set(str(Secret(BOT_TOKEN))) == {"•"}
