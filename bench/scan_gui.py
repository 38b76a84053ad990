"""The camera page: does the GUI thread stall at 30 fps, and does an idle camera spare the battery?

    python bench/scan_gui.py [--seconds 10] [--idle-seconds 5] [--json] [--video FILE]

Renders 1280x720 MJPG videos in a temporary folder (a phone with no code for a few seconds, then
the phone showing an X2Chat integration QR, looped; and the phone with no code only), runs the
real Get-the-token page offscreen on them (capture and decoding on their own threads, preview
painted on the GUI thread) with a :class:`~x2desk.ui.scan.stall_probe.StallProbe`, each twice:
as shipped (decoding every frame only while something QR-like is in view, see
``x2desk.core.scan.rate``) and with a baseline that decodes every frame. Prints

    {"max_stall_ms": x, "first_accept_ms": z, "idle_cpu_ratio": r, ...}

``first_accept_ms`` runs from the moment the capture read the first frame showing the QR to the
moment the page accepted the token (the median over the QR's appearances; after each accepted
token the scan resumes). ``idle_cpu_ratio`` is the process's CPU time per second of wall time on
the page with no QR in view, ours over the baseline's. Targets: ``max_stall_ms`` under 30,
``idle_cpu_ratio`` at most 0.5, ``first_accept_ms`` no worse than the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 1280, 720


def render_video(
    path: Path, payload: str, blank_s: float = 2.0, qr_s: float = 3.0, fps: float = 30.0
) -> int:
    """Write the test video; returns the index of the first frame that shows the QR."""
    import cv2

    from x2desk.demo.virtual_camera import VirtualCamera

    cam = VirtualCamera(None, width=WIDTH, height=HEIGHT, fps=fps, paced=False)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (WIDTH, HEIGHT))
    if not writer.isOpened():
        raise SystemExit("OpenCV cannot write an MJPG video here")
    blank = round(blank_s * fps)
    total = blank + round(qr_s * fps)
    for i in range(total):
        cam.show(payload if i >= blank else None)
        cam.frames = i
        writer.write(cam.render(i / fps))
    writer.release()
    return blank


class MarkedVideo:
    """A looping video file as a camera that notes when each appearance of the QR was read."""

    def __init__(self, path: Path, qr_index: int, fps: float, length: int = 0) -> None:
        from x2desk.core.scan.frames import FileCameraSource

        self._inner = FileCameraSource(path, fps=fps, loop=True)
        self.name = "Benchmark video"
        self.is_live = True
        self.qr_index = qr_index
        self.length = length  # frames per loop (0: the QR appears once)
        self.read_count = 0
        self.qr_shown_at: list[float] = []

    @property
    def first_qr_at(self) -> float | None:
        return self.qr_shown_at[0] if self.qr_shown_at else None

    def open(self) -> None:
        self._inner.open()

    def read(self) -> Any:
        frame = self._inner.read()
        if frame is not None:
            position = self.read_count % self.length if self.length else self.read_count
            if position == self.qr_index:
                self.qr_shown_at.append(time.perf_counter())
            self.read_count += 1
        return frame

    def close(self) -> None:
        self._inner.close()


def run(
    video: Path,
    qr_index: int,
    seconds: float,
    fps: float = 30.0,
    size: tuple[int, int] = (1040, 700),
    *,
    length: int = 0,
    baseline: bool = False,
) -> dict[str, Any]:
    """Run the token page on ``video`` (``length`` frames a loop) for ``seconds``; the numbers.
    ``baseline``: decode every frame, as before the decode rate backed off. Needs a QApplication."""
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer

    from x2desk.core.x2chat.tokens import Intake
    from x2desk.ui.context import AppContext
    from x2desk.ui.scan.stall_probe import StallProbe
    from x2desk.ui.x2chat.token import TokenPage

    source = MarkedVideo(video, qr_index, fps, length)
    accepts: list[float] = []
    pages: list[TokenPage] = []

    def submit(intake: Intake) -> Intake:  # the page classified what it read, once
        if intake.ok:
            accepts.append(time.perf_counter())
            # keep scanning: the bench measures the whole run, not one hit
            QTimer.singleShot(0, pages[0].camera.resume)
        return intake

    page = TokenPage(AppContext(camera_factory=lambda: source), submit)
    pages.append(page)
    if baseline:
        page.camera.idle_fps = None
    page.resize(*size)
    page.show()
    probe = StallProbe(interval_ms=5)
    probe.start()
    page.enter()
    elapsed_s, cpu_s = _spin(seconds)
    probe.stop()
    bridge = page.camera.bridge
    stats = bridge.last_stats() if bridge is not None else None
    if bridge is not None:
        bridge.shutdown(3.0)  # joins the capture threads (leave() only asks them to stop)
    page.leave()
    painted = page.camera.viewfinder.frames_painted
    page.close()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    decoded = stats.frames_decoded if stats is not None else 0
    return {
        "max_stall_ms": round(probe.max_stall_ms, 1),
        "long_stalls": probe.long_stalls,
        "decoded_fps": round(decoded / elapsed_s, 1) if elapsed_s else 0.0,
        "first_accept_ms": _first_accept_ms(source.qr_shown_at, accepts),
        "painted_fps": round(painted / elapsed_s, 1) if elapsed_s else 0.0,
        "frames_read": stats.frames_read if stats is not None else 0,
        "accepts": len(accepts),
        "cpu_per_s": round(cpu_s / elapsed_s, 3) if elapsed_s else 0.0,
        "seconds": round(elapsed_s, 2),
    }


def _spin(seconds: float) -> tuple[float, float]:
    """Run the event loop for ``seconds``: (wall seconds, process CPU seconds, every thread)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    loop = QEventLoop()
    end = QTimer()
    end.setSingleShot(True)
    end.setTimerType(Qt.TimerType.PreciseTimer)
    end.timeout.connect(loop.quit)
    wall, cpu = time.perf_counter(), time.process_time()
    end.start(int(seconds * 1000))
    loop.exec()
    return time.perf_counter() - wall, time.process_time() - cpu


def _first_accept_ms(shown: list[float], accepts: list[float]) -> float | None:
    """The median time from the QR's appearance to the first accept after it."""
    waits = []
    for at in shown:
        after = [a for a in accepts if a >= at]
        if after:
            waits.append(after[0] - at)
    return round(statistics.median(waits) * 1000.0, 1) if waits else None


def measure(seconds: float, idle_seconds: float, fps: float, blank: float) -> dict[str, Any]:
    """Every number, ours beside the baseline's, each on its own freshly rendered video."""
    with tempfile.TemporaryDirectory(prefix="x2desk-scan-") as tmp:
        payload = f"x2chat://bot/integrate?token={uuid.uuid4()}"
        video, idle_video = Path(tmp) / "phone.avi", Path(tmp) / "idle.avi"
        qr_index = render_video(video, payload, blank_s=blank, fps=fps)
        length = round((blank + 3.0) * fps)
        render_video(idle_video, payload, blank_s=2.0, qr_s=0.0, fps=fps)
        ours = run(video, qr_index, seconds, fps=fps, length=length)
        base = run(video, qr_index, seconds, fps=fps, length=length, baseline=True)
        idle = run(idle_video, -1, idle_seconds, fps=fps)
        idle_base = run(idle_video, -1, idle_seconds, fps=fps, baseline=True)
    ratio = idle["cpu_per_s"] / max(idle_base["cpu_per_s"], 1e-6)
    return {
        **ours,
        "first_accept_ms_baseline": base["first_accept_ms"],
        "idle_cpu_ratio": round(ratio, 3),
        "idle_cpu_per_s": idle["cpu_per_s"],
        "idle_cpu_per_s_baseline": idle_base["cpu_per_s"],
        "idle_decoded_fps": idle["decoded_fps"],
        "idle_decoded_fps_baseline": idle_base["decoded_fps"],
    }


def targets(result: dict[str, Any]) -> dict[str, bool]:
    ours, base = result["first_accept_ms"], result["first_accept_ms_baseline"]
    return {
        f"max stall {result['max_stall_ms']} ms < 30 at 30 fps": result["max_stall_ms"] < 30,
        f"idle_cpu_ratio {result['idle_cpu_ratio']} <= 0.5 (CPU per second with no QR in view, "
        f"ours {result['idle_cpu_per_s']} / every-frame baseline "
        f"{result['idle_cpu_per_s_baseline']})": result["idle_cpu_ratio"] <= 0.5,
        # no worse: within one frame-pair's jitter (two agreeing frames at 30 fps) of the baseline
        f"first_accept_ms {ours} no worse than the baseline's {base}": (
            ours is not None and base is not None and ours <= base + 67.0
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="each scanning run (10)")
    parser.add_argument("--idle-seconds", type=float, default=5.0, help="each idle run (5)")
    parser.add_argument("--fps", type=float, default=30.0, help="the videos' frame rate (30)")
    parser.add_argument("--blank", type=float, default=2.0, help="seconds with no QR first (2)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    if args.seconds <= 0 or args.idle_seconds <= 0:
        parser.error("--seconds and --idle-seconds must be positive")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("X2DESK_HOME", tempfile.mkdtemp(prefix="x2desk-bench-"))

    from x2desk.ui.app import ensure_app

    ensure_app()
    result = measure(args.seconds, args.idle_seconds, args.fps, args.blank)
    result["targets"] = targets(result)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"decoded {result['decoded_fps']} fps, painted {result['painted_fps']} fps; idle: "
            f"decoded {result['idle_decoded_fps']} fps (baseline "
            f"{result['idle_decoded_fps_baseline']})"
        )
        for name, ok in result["targets"].items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
    sys.stdout.flush()
    # PySide6 6.12 can abort while the interpreter finalizes after a run with many queued
    # cross-thread signals ("bool_dealloc"); the numbers are out, so leave without finalizing.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
