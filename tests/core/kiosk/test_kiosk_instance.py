"""One kiosk at a time: real processes take the lock; a second one is told who holds it; a
holder killed with SIGKILL leaves a file that blocks nobody."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from x2desk.core.errors import KioskAlreadyRunning, StoreError
from x2desk.core.kiosk.instance import LOCK_FILE, InstanceLock, default_lock_path, holder_pid

HOLDER = """
import sys
from pathlib import Path
from x2desk.core.errors import KioskAlreadyRunning
from x2desk.core.kiosk.instance import InstanceLock
try:
    lock = InstanceLock(Path(sys.argv[1])).acquire()
except KioskAlreadyRunning as exc:
    print("refused:", exc.message, flush=True)
    sys.exit(exc.exit_code)
print("locked", flush=True)
sys.stdin.readline()  # hold it until told (or killed)
lock.release()
print("released", flush=True)
"""


def start_holder(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    proc = start_holder(tmp_path / LOCK_FILE)
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_second_kiosk_is_told_one_is_running(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    path = tmp_path / LOCK_FILE
    assert holder_pid(path) == holder.pid
    with pytest.raises(KioskAlreadyRunning) as caught:
        InstanceLock(path).acquire()
    assert f"already running on this computer (process {holder.pid})" in caught.value.message
    other = start_holder(path)  # and another process, not only this one
    out, _ = other.communicate(timeout=60)
    assert other.returncode == KioskAlreadyRunning.exit_code
    assert out.startswith("refused: A kiosk is already running")


def test_the_lock_passes_on_after_release(tmp_path: Path, holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None and holder.stdout is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "released\n"
    with InstanceLock(tmp_path / LOCK_FILE) as lock:
        assert lock.held and holder_pid(lock.path) == os.getpid()
    assert not lock.held


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_kiosk_leaves_no_lock_behind(
    tmp_path: Path, holder: subprocess.Popen[str]
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=60)
    path = tmp_path / LOCK_FILE
    assert path.exists() and holder_pid(path) == holder.pid  # the stale file, its pid in it
    lock = InstanceLock(path).acquire()
    try:
        assert holder_pid(path) == os.getpid()
    finally:
        lock.release()


def test_a_leftover_file_with_any_content_blocks_nobody(tmp_path: Path) -> None:
    path = tmp_path / LOCK_FILE
    path.write_text(" 1\n")  # pid 1 is alive, but holds no lock on this file
    with InstanceLock(path):
        assert holder_pid(path) == os.getpid()


def test_acquire_twice_in_one_process_is_harmless(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path / LOCK_FILE)
    assert lock.acquire() is lock.acquire()
    lock.release()
    lock.release()
    assert not lock.held


def test_default_path_is_in_the_data_folder(x2desk_home: Path) -> None:
    assert default_lock_path() == x2desk_home / LOCK_FILE
    with InstanceLock():
        assert stat.S_IMODE((x2desk_home / LOCK_FILE).stat().st_mode) == 0o600


def test_an_unwritable_data_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="Cannot create the kiosk's lock file"):
        InstanceLock(tmp_path / "file" / LOCK_FILE).acquire()
