"""Time to the first shown window: x2desk vs a bare PySide6 QWizard app, alternating, medians.

    python bench/startup.py [--rounds 60] [--budget 60] [--json]

Each run is a fresh process (offscreen unless a display is set); the clock runs from just before
the process starts to the line it prints when its window is first shown. The two apps alternate
in every round, in turn order (bare first, then x2desk first), so a change in the machine's load
hits both alike. Both run with a byte-code cache (in a temporary folder, filled by the warm-up
runs), as an installed app does: without one, each start would compile our modules again.

Prints medians and interquartile ranges: ``{"x2desk_s", "bare_s", "ratio", "x2desk_iqr_s",
"bare_iqr_s", "ratio_iqr", "rounds"}``. ``ratio`` is the ratio of the medians; ``ratio_iqr``
is the interquartile range of the per-round ratios (how much one round can be trusted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3

BARE = r"""
import sys
from PySide6.QtCore import QTimer, QCoreApplication
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage
app = QApplication(sys.argv[:1])
w = QWizard(); w.addPage(QWizardPage()); w.setWindowTitle("bare")
def shown():
    print("x2desk-shown bare", flush=True)
    QTimer.singleShot(0, QCoreApplication.quit)
w.show()
QTimer.singleShot(0, shown)
app.exec()
"""

X2DESK = r"""
import sys
from x2desk.cli import main
sys.exit(main([]))
"""


def one(code: str, env: dict[str, str]) -> float:
    """Seconds from starting a fresh process to its "shown" line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=env, cwd=ROOT, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("x2desk-shown"):
            elapsed = time.perf_counter() - start
            break
    else:
        proc.wait()
        raise SystemExit(f"the app never showed its window (exit {proc.returncode})")
    proc.wait(timeout=30)
    return elapsed


def quartiles(values: list[float]) -> tuple[float, float]:
    """The first and third quartiles (inclusive method; one value: that value twice)."""
    if len(values) < 2:
        return values[0], values[0]
    q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q3


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["X2DESK_EXIT_AFTER_SHOW"] = "x2desk"
    env["X2DESK_HOME"] = tempfile.mkdtemp(prefix="x2desk-bench-")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte code cached, for both apps
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="x2desk-bench-pyc-")
    return env


def run(rounds: int, budget_s: float, warmup: int = 2) -> dict[str, Any]:
    env = bench_env()
    for _ in range(warmup):  # fill the file and byte-code caches for both
        one(BARE, env)
        one(X2DESK, env)
    ours: list[float] = []
    bare: list[float] = []
    deadline = time.monotonic() + budget_s
    for i in range(rounds):
        if i >= 5 and time.monotonic() > deadline:  # at least five rounds, then the budget
            break
        if i % 2 == 0:
            bare.append(one(BARE, env))
            ours.append(one(X2DESK, env))
        else:
            ours.append(one(X2DESK, env))
            bare.append(one(BARE, env))
    ratios = [o / b for o, b in zip(ours, bare, strict=True)]
    ours_q, bare_q, ratio_q = quartiles(ours), quartiles(bare), quartiles(ratios)
    x2desk_s, bare_s = statistics.median(ours), statistics.median(bare)
    return {
        "x2desk_s": round(x2desk_s, 4),
        "bare_s": round(bare_s, 4),
        "ratio": round(x2desk_s / bare_s, 3),
        "x2desk_iqr_s": round(ours_q[1] - ours_q[0], 4),
        "bare_iqr_s": round(bare_q[1] - bare_q[0], 4),
        "ratio_iqr": [round(ratio_q[0], 3), round(ratio_q[1], 3)],
        "rounds": len(ours),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", "--runs", type=int, default=120, help="alternating rounds")
    parser.add_argument(
        "--budget", type=float, default=60.0, metavar="SECONDS",
        help="stop starting new rounds after this long (at least 5 rounds)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    result = run(args.rounds, args.budget)
    if args.json:
        print(json.dumps(result))
    else:
        q1, q3 = result["ratio_iqr"]
        print(
            f"x2desk {result['x2desk_s']:.3f} s (IQR {result['x2desk_iqr_s']:.3f}), "
            f"bare QWizard {result['bare_s']:.3f} s (IQR {result['bare_iqr_s']:.3f}), "
            f"ratio {result['ratio']:.3f} (per-round IQR {q1:.3f}-{q3:.3f}; "
            f"target <= {TARGET_RATIO}) over {result['rounds']} rounds"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
