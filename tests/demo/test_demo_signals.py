"""SIGTERM and SIGINT end ``x2desk --demo`` like closing its window, and the kiosk too (whose
window refuses every close): the temporary data folder (``x2desk-demo-*``) is removed and the
exit code says which signal it was. A real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

START_S = 60.0  # the window, the in-process sandbox and the phone panel on a busy machine


def demo_folders(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("x2desk-demo-*"))


def up(folder: Path, mode: list[str]) -> bool:
    """The demo is running: its data folder is in use (the kiosk: its lock is taken before the
    application exists; the demo's profiles are written once its signal handling is on)."""
    if "--kiosk" in mode:
        return (folder / "profiles.json").exists()
    return any(folder.rglob("*"))


@pytest.mark.parametrize("mode", [["--demo"], ["--kiosk", "--demo"]], ids=["window", "kiosk"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_removes_the_demos_data_folder(
    tmp_path: Path, signum: int, mode: list[str]
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp))
    env.pop("X2DESK_HOME", None)  # the demo makes its own folder only when none is given
    proc = subprocess.Popen(
        [sys.executable, "-m", "x2desk", *mode],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_S
        while not demo_folders(tmp) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # polling a real process (it has no other way to tell)
        folders = demo_folders(tmp)
        assert folders and proc.poll() is None, "the demo did not start"
        # a signal before x2desk handles them ends Python the default way: wait for that
        while not up(folders[0], mode) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + signum, err[-2000:]
    assert demo_folders(tmp) == [], "the demo's data folder was left behind"
    assert "Traceback" not in err
