"""The Green-API autopilot flows on the real demo window (sandbox in-process, offscreen): the
phone reads the page's PNG with x2desk's decoder; 2FA with a wrong password first; already
logged in, then log out and re-pair, with the stale QR refused."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from x2desk.ui.app import build_context, ensure_app
from x2desk.ui.autopilot import Autopilot, load_flows
from x2desk.ui.workers import wait_all

SHOTS = Path("/tmp/x2desk-shots/greenapi/autopilot")


@pytest.fixture
def demo(qtbot: Any) -> Iterator[tuple[Any, Any]]:
    ensure_app()
    ns = argparse.Namespace(demo=True, sandbox_url=None, camera=None, autopilot=True, kiosk=False)
    ctx, session = build_context(ns)
    from x2desk.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        session.attach(window)
        window.show()
        yield window, session
    finally:
        window.close()
        wait_all(3000)
        session.stop()


def test_autopilot_runs_the_greenapi_flows(demo: tuple[Any, Any], tmp_path: Path) -> None:
    window, session = demo
    report = tmp_path / "report.json"
    pilot = Autopilot(
        window,
        session,
        screenshots=SHOTS,
        report=report,
        flows=load_flows(("greenapi",)),
        quit_when_done=False,
    )
    pilot.start()

    flows = json.loads(report.read_text())["flows"]
    assert [f["name"] for f in flows] == ["greenapi_2fa", "greenapi_repair"]
    for flow in flows:
        failed = [s for s in flow["steps"] if not s["ok"]]
        assert flow["ok"] and not failed, f"{flow['name']} failed: {failed}"
    assert pilot.exit_code == 0
    assert sum(f["seconds"] for f in flows) < 40
    steps = {f["name"]: " / ".join(s["name"] for s in f["steps"]) for f in flows}
    assert "wrong password is refused" in steps["greenapi_2fa"]
    assert "stale QR is refused" in steps["greenapi_repair"]
    assert "log out and pair again" in steps["greenapi_repair"]
    states = session.phone.state()["instances"]
    assert [s["state"] for s in states.values()] == ["authorized"]
    assert any(p.name.endswith("greenapi-repair-already-logged.png") for p in SHOTS.iterdir())
