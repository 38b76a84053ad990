"""Is any secret the demo's sandbox issued in these files? (issue 17: the leak check after the
source and the frozen autopilot)

    python tools/leakcheck.py --report out/autopilot/report.json DATA_FOLDER OUTPUT_DIR LOG...

The report's ``leak_check`` holds a salt and a salted SHA-256 of each secret (the autopilot writes
it; the secrets themselves are gone with its sandbox). Every file under the paths is read and
each stretch of token characters hashed: exit 1 and one line per leak (file and offset, never
the secret), else 0 with the counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from x2desk.sandbox.leaks import find_leaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", required=True, type=Path)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    prints = json.loads(args.report.read_text(encoding="utf-8")).get("leak_check")
    if not prints or not prints.get("secrets"):
        print("leakcheck: the report lists no secrets to look for", file=sys.stderr)
        return 2
    leaks, files = find_leaks(prints, args.paths)
    for leak in leaks:
        print(f"leakcheck: a secret ({leak.length} chars) is in {leak.path} at byte {leak.offset}")
    count = len(prints["secrets"])
    print(f"leakcheck: {count} issued secrets looked for in {files} files: {len(leaks)} found")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
