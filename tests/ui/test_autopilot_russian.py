"""The autopilot in Russian: it drives the window by what the screen says in any language, and
after every step it fails on any English word left on screen (ui/autopilot/language_check.py).
Here the X2Chat and Green-API flows; ``./run test`` runs every flow in Russian
(``x2desk --demo --autopilot --lang ru``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from x2desk import i18n
from x2desk.ui.app import ensure_app
from x2desk.ui.autopilot import Autopilot, Flow, Pilot, load_flows
from x2desk.ui.autopilot.language_check import english_on_screen


@pytest.fixture
def russian_demo(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Any]]:
    """The demo window, built in Russian (the tests' keyring named as the demo's is: in the
    window's language, where the saved page says where the token is kept)."""
    from helpers import MemoryKeyring

    monkeypatch.setattr(MemoryKeyring, "name", "хранилище паролей теста", raising=False)
    i18n.set_language("ru")
    yield request.getfixturevalue("demo")


def test_the_x2chat_and_green_api_flows_run_in_russian_with_no_english_left(
    russian_demo: tuple[Any, Any], tmp_path: Path
) -> None:
    window, session = russian_demo
    report = tmp_path / "report.json"
    pilot = Autopilot(
        window,
        session,
        screenshots=tmp_path / "shots",
        report=report,
        flows=load_flows(("x2chat", "greenapi")),
        quit_when_done=False,
    )
    pilot.start()
    flows = json.loads(report.read_text())["flows"]
    english = [e for f in flows for s in f["steps"] for e in s.get("english", [])]
    assert english == []
    failed = [
        (f["name"], s["name"], s.get("error")) for f in flows for s in f["steps"] if not s["ok"]
    ]
    assert failed == [] and pilot.exit_code == 0
    assert len(flows) == 6 and len(list((tmp_path / "shots").glob("*.png"))) > 20


def test_english_left_on_screen_fails_the_step(qtbot: Any, tmp_path: Path) -> None:
    ensure_app()
    i18n.set_language("ru")
    window = QWidget()
    window.setObjectName("home")
    lay = QVBoxLayout(window)
    lay.addWidget(QLabel("Подключение к X2Chat через QR-код: https://x2chat.com"))
    left = QLabel("Что подключить")
    left.setToolTip("Next page (Alt+Right)")  # a tooltip nobody translated
    lay.addWidget(left)
    qtbot.addWidget(window)
    window.show()
    assert english_on_screen([window]) == [
        "QLabel#? tooltip: 'Next page (Alt+Right)' (Next, page, Right)"
    ]

    def script(pilot: Pilot) -> None:
        with pilot.step("look at the screen"):
            pilot.wait_visible("home")

    class Session:
        url = "http://127.0.0.1:9"

    report = tmp_path / "r.json"
    run = Autopilot(
        window, Session(), report=report, flows=[Flow("look", script)], quit_when_done=False
    )
    run.start()
    (step,) = json.loads(report.read_text())["flows"][0]["steps"]
    assert not step["ok"] and step["english"] and "English on screen" in step["error"]
    assert run.exit_code == 1
