"""What showing the home list costs the GUI thread, against the plain list the home had before.

    python bench/home_rows.py [--rows 200 1000] [--rounds 20] [--json]

Each round shows ``--rows`` saved connections (read once from a records file in a temporary
folder, as the worker reads them) and paints the view once: the home view's model/view table
(``HomeView.set_rows``: one model reset, the columns fitted, the visible rows painted) against
the baseline, a ``QListWidget`` filled item by item (the home before issue 14). Prints the median
milliseconds of each and the ratio; the reading itself happens off the GUI thread either way.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["X2DESK_HOME"] = tempfile.mkdtemp(prefix="x2desk-bench-")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from x2desk.core.home.rows import Row, load_rows  # noqa: E402
from x2desk.core.status import Status  # noqa: E402
from x2desk.core.store.records import RecordStore  # noqa: E402

KINDS = ("telegram", "whatsapp", "max_personal", "greenapi", "x2chat_bot", "telegram_bot")


def fill(count: int) -> list[Row]:
    statuses = list(Status)
    with RecordStore.open() as store:
        for i in range(count):
            record = store.upsert(KINDS[i % len(KINDS)], 5000 + i, label=f"Shop {i:04d} Ltd")
            store.set_status(record.id, statuses[i % len(statuses)], "reason")
    return load_rows()[:count]


def median_ms(run: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    from x2desk.ui.app import ensure_app
    from x2desk.ui.home.view import HomeView

    ensure_app()
    home = HomeView()
    home.resize(1300, 720)
    home.show()
    plain = QListWidget()
    plain.resize(1300, 720)
    plain.show()
    rows = fill(max(args.rows))
    results = []
    for count in args.rows:
        shown = rows[:count]

        def table(shown: list[Row] = shown) -> None:
            home.set_rows(shown, len(shown))
            home.grab()

        def baseline(shown: list[Row] = shown) -> None:
            plain.clear()
            for row in shown:
                plain.addItem(QListWidgetItem(f"{row.label}\n{row.kind_name} · {row.where}"))
            plain.grab()

        base = median_ms(baseline, args.rounds)
        ours = median_ms(table, args.rounds)
        results.append({"rows": count, "table_ms": ours, "baseline_ms": base, "ratio": ours / base})
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            print(
                f"{r['rows']:>5} rows: table {r['table_ms']:.1f} ms, plain list "
                f"{r['baseline_ms']:.1f} ms, ratio {r['ratio']:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
