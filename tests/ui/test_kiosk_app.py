"""Starting the kiosk: one instance only, checked (like the config) before any window exists;
the demo's config made in memory with every flow and the station's secrets saved; the window
frameless and on top."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kiosk_helpers import Rig
from PySide6.QtCore import Qt

from x2desk.cli import main
from x2desk.core.kiosk.instance import InstanceLock
from x2desk.core.kiosk.pin import hash_pin
from x2desk.core.secret import Secret

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "packaging" / "kiosk" / "example.toml"


def config_file(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("[admin]\n", f'[admin]\npin_hash = "{hash_pin(Secret("12345678"))}"\n')
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_kiosk(config: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``x2desk --kiosk`` on a Qt platform that does not exist: it fails the moment it makes
    its application, so a clean exit code proves the check came before any window."""
    env = {**os.environ, "X2DESK_HOME": str(home), "QT_QPA_PLATFORM": "no-such-platform"}
    return subprocess.run(
        [sys.executable, "-m", "x2desk", "--kiosk", "--config", str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_a_second_kiosk_stops_before_any_window(tmp_path: Path, x2desk_home: Path) -> None:
    config = config_file(tmp_path)
    with InstanceLock():
        second = run_kiosk(config, x2desk_home)
    assert second.returncode == 61, second.stderr
    assert "already running" in second.stderr and "(process" in second.stderr
    free = run_kiosk(config, x2desk_home)  # the lock free: on to the application, which fails
    assert free.returncode not in (0, 60, 61)


def test_a_wrong_config_stops_before_any_window(tmp_path: Path, x2desk_home: Path) -> None:
    config = config_file(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace("idle_seconds = 120", "idle_seconds = -5"),
        encoding="utf-8",
    )
    result = run_kiosk(config, x2desk_home)
    assert result.returncode == 60
    assert "timeouts.idle_seconds" in result.stderr and "line" in result.stderr


def test_one_instance_in_process_too(tmp_path: Path, capsys: Any) -> None:
    config = config_file(tmp_path)
    with InstanceLock():
        assert main(["--kiosk", "--config", str(config)]) == 61
    assert "already running" in capsys.readouterr().err


def test_the_window_is_frameless_on_top_and_fullscreen_sized(rig: Rig) -> None:
    window = rig.window()
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    window.show_on_screen()
    screen = window.screen()
    assert screen is not None and window.geometry() == screen.geometry()


def test_the_demo_config_has_every_flow_and_the_stations_secrets(qtbot: Any) -> None:
    from x2desk.core.kinds import FLOWS
    from x2desk.core.saving import open_chosen_store
    from x2desk.core.store.credentials import secret_ref
    from x2desk.demo.session import DemoSession
    from x2desk.ui.kiosk.demo import DEMO_PIN, demo_config

    session = DemoSession().start()
    try:
        config = demo_config(session)
    finally:
        session.stop()
    assert config.flows == tuple(FLOWS)
    assert config.profile.provider_base == f"{session.url}/v2"
    store = open_chosen_store()
    assert store.load(config.profile.provider_key_ref) is not None
    assert store.load(secret_ref("greenapi", config.profile.greenapi_instance or "")) is not None
    assert config.admin.verify_pin(DEMO_PIN) and config.admin.exit_chord
