"""The sizes of the autopilot's screenshots, and whether each is within a screen.

    python tools/shot_sizes.py DIR                # prints each size and how many have it
    python tools/shot_sizes.py DIR 1024x600       # exit 1 if a screenshot is larger

Reads only the PNG header (no image library): what ``./run test`` checks after the autopilot's
run on a 1024x600 screen.
"""

from __future__ import annotations

import struct
import sys
from collections import Counter
from pathlib import Path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as f:
        head = f.read(24)
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    shots = sorted(Path(argv[0]).glob("*.png"))
    if not shots:
        print(f"no screenshots in {argv[0]}", file=sys.stderr)
        return 1
    sizes = {p: png_size(p) for p in shots}
    for (w, h), n in sorted(Counter(sizes.values()).items()):
        print(f"{w}x{h}: {n} screenshot{'s' if n != 1 else ''}")
    if len(argv) == 1:
        return 0
    max_w, _x, max_h = argv[1].partition("x")
    larger = [p.name for p, (w, h) in sizes.items() if w > int(max_w) or h > int(max_h)]
    for name in larger:
        print(f"larger than {argv[1]}: {name} {sizes[Path(argv[0]) / name]}", file=sys.stderr)
    return 1 if larger else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
