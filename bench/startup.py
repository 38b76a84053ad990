"""Time to the first shown window: x2desk vs a bare PySide6 QWizard app, alternating, medians.

    python bench/startup.py [--runs 5] [--json]

Each run is a fresh process (offscreen unless a display is set); the clock runs from just before
the process starts to the line it prints when its window is first shown.
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

ROOT = Path(__file__).resolve().parents[1]

BARE = r"""
import sys
from PySide6.QtCore import QTimer, QCoreApplication
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage
app = QApplication(sys.argv[:1])
w = QWizard(); w.addPage(QWizardPage()); w.setWindowTitle("bare")
class Probe(QWizard):
    pass
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["X2DESK_EXIT_AFTER_SHOW"] = "x2desk"
    env["X2DESK_HOME"] = tempfile.mkdtemp(prefix="x2desk-bench-")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    one(BARE, env)  # warm the file cache for both
    one(X2DESK, env)
    ours, bare = [], []
    for _ in range(args.runs):
        bare.append(one(BARE, env))
        ours.append(one(X2DESK, env))
    result = {
        "x2desk_s": round(statistics.median(ours), 4),
        "bare_s": round(statistics.median(bare), 4),
    }
    result["ratio"] = round(result["x2desk_s"] / result["bare_s"], 3)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"x2desk {result['x2desk_s']:.3f} s, bare QWizard {result['bare_s']:.3f} s, "
              f"ratio {result['ratio']:.2f} (target <= 1.3)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
