"""The Green-API autopilot flows on the real demo window (sandbox in-process, offscreen): the
phone reads the page's PNG with x2desk's decoder; 2FA with a wrong password first; already
logged in, then log out and re-pair, with the stale QR refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import run_demo_flows


def test_autopilot_runs_the_greenapi_flows(demo: tuple[Any, Any], tmp_path: Path) -> None:
    _, session = demo
    report, shots = tmp_path / "report.json", tmp_path / "shots"
    pilot = run_demo_flows(demo, "greenapi", shots, report)

    flows = json.loads(report.read_text())["flows"]
    assert [f["name"] for f in flows] == ["greenapi_2fa", "greenapi_code", "greenapi_repair"]
    for flow in flows:
        failed = [s for s in flow["steps"] if not s["ok"]]
        assert flow["ok"] and not failed, f"{flow['name']} failed: {failed}"
    assert pilot.exit_code == 0
    assert sum(f["seconds"] for f in flows) < 50
    steps = {f["name"]: " / ".join(s["name"] for s in f["steps"]) for f in flows}
    assert "wrong password is refused" in steps["greenapi_2fa"]
    assert "wrong code is refused" in steps["greenapi_code"]
    assert "stale QR is refused" in steps["greenapi_repair"]
    assert "log out and pair again" in steps["greenapi_repair"]
    states = session.phone.state()["instances"]
    assert [s["state"] for s in states.values()] == ["authorized", "authorized"]
    assert any(p.name.endswith("greenapi-repair-already-logged.png") for p in shots.iterdir())
