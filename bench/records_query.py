"""The home list's queries on a few hundred saved connections, against reading them all.

    python bench/records_query.py [--rows 300] [--rounds 200] [--json]

A records file in a temporary folder gets ``--rows`` connections of every kind and status. Each
query the home view makes (search text, a kind filter, a status filter, sort by status) is timed
``--rounds`` times, interleaved with the baseline: ``records.list()`` (every row, oldest first),
the cheapest full read. Prints the median milliseconds and each query's ratio to the baseline;
then the same queries with the home's three indexes dropped, to show what they buy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from x2desk.core.status import Status  # noqa: E402
from x2desk.core.store.record_query import RecordQuery, Sort  # noqa: E402
from x2desk.core.store.records import RecordStore  # noqa: E402

KINDS = ("telegram", "whatsapp", "max_personal", "greenapi", "x2chat_bot", "telegram_bot")
INDEXES = ("connections_by_status", "connections_by_kind", "connections_by_label")


def fill(store: RecordStore, rows: int) -> None:
    statuses = list(Status)
    for i in range(rows):
        record = store.upsert(KINDS[i % len(KINDS)], 1000 + i, label=f"Shop {i:04d} Ltd")
        store.set_status(record.id, statuses[i % len(statuses)], "reason")


QUERIES: dict[str, RecordQuery] = {
    "search": RecordQuery(text="shop 12"),
    "kind": RecordQuery.of(kinds=["telegram"]),
    "status": RecordQuery.of(statuses=["needs_reauth", "unpaid"]),
    "sort_status": RecordQuery(sort=Sort.STATUS),
}


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(store: RecordStore, rounds: int) -> dict[str, float]:
    result = {"baseline_ms": median_ms(store.list, rounds)}
    for name, query in QUERIES.items():
        result[f"{name}_ms"] = median_ms(lambda q=query: store.query(q), rounds)
        result[f"{name}_ratio"] = result[f"{name}_ms"] / result["baseline_ms"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["X2DESK_HOME"] = folder
        with RecordStore.open(Path(folder) / "records.sqlite3") as store:
            fill(store, args.rows)
            indexed = measure(store, args.rounds)
            with store._transaction(write=True) as db:  # the benchmark reaches in on purpose
                for index in INDEXES:
                    db.execute(f"DROP INDEX {index}")
            bare = measure(store, args.rounds)
    report = {"rows": args.rows, "indexed": indexed, "without_indexes": bare}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.rows} connections, median of {args.rounds} runs; baseline: list() all rows")
    for label, data in (("with the indexes", indexed), ("without them", bare)):
        print(f"  {label}: baseline {data['baseline_ms']:.3f} ms")
        for name in QUERIES:
            print(
                f"    {name:12} {data[f'{name}_ms']:.3f} ms  "
                f"x{data[f'{name}_ratio']:.2f} of the baseline"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
