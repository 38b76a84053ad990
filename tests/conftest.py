"""Shared fixtures. Tests run offscreen, in a private data folder, with an in-memory keyring
unless they ask for the real Secret Service (marker ``secret_service``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from x2desk.core.clock import FakeClock

if TYPE_CHECKING:
    from x2desk.core.session.poller import ManualScheduler
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

pytest_plugins = ("kiosk_helpers",)  # the kiosk window's fixture ("rig")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QR_SAMPLES = Path(os.environ.get("X2DESK_QR_SAMPLES", SHARED / "qr-samples"))


@pytest.fixture(autouse=True)
def x2desk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "x2desk-home"
    monkeypatch.setenv("X2DESK_HOME", str(home))
    monkeypatch.setenv("X2DESK_PHONE_REGION", "")  # not the machine's locale: international only
    monkeypatch.delenv("X2DESK_PROFILE", raising=False)
    from x2desk.core import profiles

    monkeypatch.setattr(profiles, "_session", None)  # --profile and the window's switch
    return home


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """An in-memory keyring, unless the test is marked ``secret_service`` (the real one)."""
    if request.node.get_closest_marker("secret_service"):
        if not os.environ.get("X2DESK_SECRET_SERVICE"):
            pytest.skip("needs the Secret Service: run the suite through ./run test")
        yield
        return
    import keyring
    from helpers import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """``cli.main`` lowers the root logger's level and adds the log file of the test's data
    folder: undo both, so one test's logging never reaches into the next."""
    import logging

    from x2desk.core.logfile import remove_log_file

    level = logging.getLogger().level
    yield
    remove_log_file()
    logging.getLogger().setLevel(level)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """A test that switched the language (``--lang ru``, the window's switch) leaves English
    behind for the next one."""
    yield
    from x2desk import i18n

    if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def russian() -> Iterator[None]:
    """The test runs in Russian (English again after it)."""
    from x2desk import i18n

    i18n.set_language("ru")
    yield


@pytest.fixture(autouse=True)
def quick_scrypt(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encrypted file store's scrypt cost at its least (2^14), unless the test is marked
    ``real_scrypt``: the production cost takes about a second a key, and many tests make keys."""
    if request.node.get_closest_marker("real_scrypt"):
        return
    from x2desk.core.store import encrypted_file

    monkeypatch.setattr(encrypted_file, "DEFAULT_SCRYPT_N", 2**14)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def qr_samples() -> Path:
    if not QR_SAMPLES.is_dir():
        pytest.skip(f"QR samples not found at {QR_SAMPLES}")
    return QR_SAMPLES


class QrMedia:
    """Renders QR frames (BGR numpy arrays) and writes them as an MJPG .avi or a PNG sequence, so
    tests feed the real capture code from files (there is no camera on the build machines)."""

    @staticmethod
    def frame(text: str | None, size: tuple[int, int] = (320, 240), code_px: int = 180) -> Any:
        import cv2
        import numpy as np
        import qrcode

        width, height = size
        frame = np.full((height, width, 3), 255, np.uint8)
        if text is None:
            return frame
        qr = qrcode.QRCode(border=4)
        qr.add_data(text)
        qr.make()
        modules = np.where(np.array(qr.get_matrix(), dtype=bool), 0, 255).astype(np.uint8)
        code = cv2.resize(modules, (code_px, code_px), interpolation=cv2.INTER_NEAREST)
        top, left = (height - code_px) // 2, (width - code_px) // 2
        frame[top : top + code_px, left : left + code_px] = code[:, :, None]
        return frame

    @staticmethod
    def avi(path: Path, frames: list[Any], fps: float = 30.0) -> Path:
        import cv2

        height, width = frames[0].shape[:2]
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
        assert writer.isOpened(), "OpenCV cannot write MJPG here"
        for frame in frames:
            writer.write(frame)
        writer.release()
        return path

    @staticmethod
    def sequence(folder: Path, frames: list[Any]) -> str:
        import cv2

        folder.mkdir(parents=True, exist_ok=True)
        for number, frame in enumerate(frames):
            cv2.imwrite(str(folder / f"{number:03d}.png"), frame)
        return str(folder / "%03d.png")


@pytest.fixture
def qr_media() -> QrMedia:
    return QrMedia()


@pytest.fixture
def sandbox(fake_clock: FakeClock) -> Iterator[SandboxServer]:
    """A started sandbox on 127.0.0.1 (a free port) on ``fake_clock``; stopped after the test."""
    from x2desk.sandbox.server import SandboxServer

    server = SandboxServer(clock=fake_clock).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def phone(sandbox: SandboxServer) -> Iterator[SandboxPhone]:
    """The sandbox's test phone (scans QRs, injects faults, reads the sandbox's state)."""
    from x2desk.sandbox.phone import SandboxPhone

    with SandboxPhone(sandbox.url) as p:
        yield p


@pytest.fixture
def manual(fake_clock: FakeClock) -> ManualScheduler:
    """A scheduler whose time only moves when the test advances it."""
    from x2desk.core.session.poller import ManualScheduler

    return ManualScheduler(fake_clock)


@pytest.fixture
def demo(qtbot: Any) -> Iterator[tuple[Any, Any]]:
    """The real window of ``x2desk --demo --autopilot`` (sandbox in-process, virtual camera) and
    its demo session; closed and stopped after the test."""
    import argparse

    from x2desk.ui.app import build_context, ensure_app
    from x2desk.ui.common.workers import wait_all
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    ns = argparse.Namespace(demo=True, sandbox_url=None, camera=None, autopilot=True, kiosk=False)
    ctx, session = build_context(ns)
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


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The fuzz tests' counts (tests/fuzz_counts.py), when any ran."""
    import sys

    counts = getattr(sys.modules.get("fuzz_counts"), "FUZZED", None)
    if not counts:
        return
    terminalreporter.write_sep("-", "fuzzed inputs (hypothesis)")
    for category, n in sorted(counts.items()):
        terminalreporter.write_line(f"{category:32} {n}")
