"""The autopilot drives the real window of ``x2desk --demo`` (in-process sandbox, virtual camera)
through every X2Chat flow, and reports honestly when a flow fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import run_demo_flows
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from x2desk.ui.app import ensure_app
from x2desk.ui.autopilot import Autopilot, Flow, Pilot, load_flows


def test_autopilot_runs_the_x2chat_flows(demo: tuple[Any, Any], tmp_path: Path) -> None:
    shots, report = tmp_path / "shots", tmp_path / "out" / "report.json"
    shots.mkdir()
    (shots / "07-stale-from-last-run.png").write_bytes(b"old")
    pilot = run_demo_flows(demo, "x2chat", shots, report)

    data = json.loads(report.read_text())
    flows = data["flows"]
    assert [f["name"] for f in flows] == [
        "x2chat_bot_camera",
        "x2chat_bot_spent_qr",
        "x2chat_bot_paste",
    ]
    for flow in flows:
        failed = [s for s in flow["steps"] if not s["ok"]]
        assert flow["ok"], f"{flow['name']} failed: {failed}"
        assert flow["steps"] and all(s["ok"] for s in flow["steps"])
        assert 0 < flow["seconds"] < 60
    assert pilot.exit_code == 0
    # each flow shows an error and its recovery
    steps = " / ".join(s["name"] for f in flows for s in f["steps"])
    for error in ("rate limited", "used here, said at once", "answer was lost"):
        assert error in steps

    names = sorted(p.name for p in shots.glob("*.png"))
    assert "07-stale-from-last-run.png" not in names
    assert names[0] == "01-home.png"
    assert names[1] == "02-x2chat-choose.png"
    for wanted in ("redeem-rate-limited", "check-delivered", "saved", "token-used-here"):
        assert any(wanted in n for n in names), wanted
    assert [int(n.split("-")[0]) for n in names] == list(range(1, len(names) + 1))
    for name in names:
        image = QImage(str(shots / name))
        assert not image.isNull() and whole_on_screen(image), name


def test_a_failing_flow_is_reported_with_its_screenshot(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    window = QWidget()
    window.setObjectName("home")
    lay = QVBoxLayout(window)
    hidden = QPushButton("hidden")
    hidden.setObjectName("hiddenButton")
    hidden.hide()
    lay.addWidget(hidden)
    disabled = QPushButton("disabled")
    disabled.setObjectName("disabledButton")
    disabled.setEnabled(False)
    lay.addWidget(disabled)
    qtbot.addWidget(window)
    window.show()
    clicked: list[str] = []
    shown = QPushButton("shown")
    shown.setObjectName("shownButton")
    shown.clicked.connect(lambda: clicked.append("shown"))
    lay.addWidget(shown)

    def script(pilot: Pilot) -> None:
        with pilot.step("a visible, enabled control is clicked"):
            pilot.click("shownButton", timeout=1)
        with pilot.step("a hidden control is never clicked"):
            pilot.click("hiddenButton", timeout=0.2)

    def disabled_script(pilot: Pilot) -> None:
        with pilot.step("a disabled control is never clicked"):
            pilot.click("disabledButton", timeout=0.2)

    class Session:
        url = "http://127.0.0.1:9"

    report = tmp_path / "report.json"
    pilot = Autopilot(
        window,
        Session(),
        screenshots=tmp_path,
        report=report,
        flows=[Flow("broken", script, "broken"), Flow("disabled", disabled_script)],
        quit_when_done=False,
    )
    pilot.start()

    assert clicked == ["shown"]
    assert pilot.exit_code == 1
    flows = json.loads(report.read_text())["flows"]
    assert [(f["name"], f["ok"]) for f in flows] == [("broken", False), ("disabled", False)]
    first, second = flows[0]["steps"]
    assert first["ok"] and not second["ok"]
    assert "hiddenButton" in second["error"] and "visible and enabled" in second["error"]
    assert (tmp_path / second["screenshot"]).is_file()
    assert second["screenshot"] == "01-broken-failed-a-hidden-control-is-never-clicked.png"
    assert "disabledButton" in flows[1]["steps"][0]["error"]


def test_without_the_demo_the_autopilot_fails_clearly(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    pilot = Autopilot(window, None, report=tmp_path / "r.json", quit_when_done=False)
    pilot.start()
    assert pilot.exit_code == 1
    flows = json.loads((tmp_path / "r.json").read_text())["flows"]
    assert flows[0]["ok"] is False and "--demo" in flows[0]["steps"][0]["error"]


def test_every_flow_module_is_loaded_and_a_missing_one_is_an_error() -> None:
    flows = load_flows()
    assert {f.prefix.split("-")[0] for f in flows} == {"x2chat", "accounts", "greenapi", "home"}
    with pytest.raises(ModuleNotFoundError):
        load_flows(("x2chat", "not_written_yet"))  # a typo in FLOW_MODULES is not skipped


# ---- the accounts flows (issue 5) ------------------------------------------------------------


ACCOUNT_FLOWS = [
    "accounts_telegram_qr",
    "accounts_telegram_code",
    "accounts_max_code",
    "accounts_whatsapp",
    "accounts_telegram_bot",
    "accounts_odnoklassniki",
    "accounts_subscription_402",
    "accounts_reauthorise",
]


def test_autopilot_runs_the_accounts_flows(demo: tuple[Any, Any], tmp_path: Path) -> None:
    _, session = demo
    shots, report = tmp_path / "shots", tmp_path / "report.json"
    pilot = run_demo_flows(demo, "accounts", shots, report)

    flows = json.loads(report.read_text())["flows"]
    assert [f["name"] for f in flows] == ACCOUNT_FLOWS
    for flow in flows:
        failed = [s for s in flow["steps"] if not s["ok"]]
        assert flow["ok"] and not failed, f"{flow['name']} failed: {failed}"
        assert 0 < flow["seconds"] < 30
    assert pilot.exit_code == 0
    assert sum(f["seconds"] for f in flows) < 50
    # each flow shows an error and its recovery
    steps = {f["name"]: " / ".join(s["name"] for s in f["steps"]) for f in flows}
    assert "stale scan is refused" in steps["accounts_telegram_qr"]
    assert "wrong 2FA password" in steps["accounts_telegram_qr"]
    assert "wrong login code" in steps["accounts_telegram_code"]
    assert "too short" in steps["accounts_max_code"]
    assert "tries again" in steps["accounts_whatsapp"]
    assert "malformed token" in steps["accounts_telegram_bot"]
    assert "change the key" in steps["accounts_odnoklassniki"]
    assert "402" in steps["accounts_subscription_402"]
    assert "no new connection" in steps["accounts_reauthorise"]

    # what the provider ended with: each kind once (the WhatsApp twice: flow 4 and the 402's
    # recovery), the re-authorised account active, no connection from the unpaid key
    from x2desk.sandbox.phone import SandboxPhone

    with SandboxPhone(session.url) as phone:
        conns = list(phone.state()["connections"].values())
    kinds = sorted(c["type"] for c in conns)
    once = ["max_personal", "telegram_bot", "odnoklassniki"]
    assert kinds == sorted([*once, "telegram", "telegram", "whatsapp", "whatsapp"])
    assert all(c["status"] == "active" for c in conns if c["type"] in ("telegram", "whatsapp"))

    names = sorted(p.name for p in shots.glob("*.png"))
    for page in (
        "choose", "kind", "provider", "telegram-qr", "telegram-qr-rotated", "password-wrong",
        "code-wrong", "phone-bad", "whatsapp-retrying", "bot-token-bad", "group-change-key",
        "result-402", "home-reauthorise", "reauthorised",
    ):  # fmt: skip
        assert any(n.endswith(f"-accounts-{page}.png") for n in names), page
    for name in names:
        image = QImage(str(shots / name))
        assert not image.isNull() and whole_on_screen(image), name


def test_only_the_autopilot_gets_the_fast_sandbox() -> None:
    from x2desk.demo.session import DemoSession

    fast = DemoSession(autopilot=True).start()
    normal = DemoSession().start()
    try:
        assert fast.server.limits.qr_rotation_s < 30
        assert fast.context().account_poll_s == 1.0
        assert normal.server.limits.qr_rotation_s == 30
        assert normal.server.limits.whatsapp_qr_rotation_s == 30
        assert normal.context().account_poll_s == 5.0
    finally:
        fast.stop()
        normal.stop()


def whole_on_screen(image: QImage) -> bool:
    """A screenshot of the whole window, no larger than the screen it ran on."""
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen().availableGeometry()
    return 640 <= image.width() <= screen.width() and image.height() <= screen.height()
