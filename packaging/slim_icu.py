"""A smaller ICU data library for the bundle: Qt's copy without the parts Qt never reads.

PySide6 ships ICU's whole data set in libicudata.so.NN (32 MB). Qt uses ICU only for
collation (QCollator: coll/), text codecs (QStringConverter: the *.cnv converters), case
mapping (built into libicuuc) and time-zone names (zone/); it formats numbers, dates and
locale names from its own CLDR tables and finds text boundaries with its own Unicode tables.
So the display names of units, currencies, languages and regions, the spell-out rules, the
transliterators and the break-iterator dictionaries (about 22 MB) are dropped.

    python packaging/slim_icu.py LIBICUDATA OUT      (what build.spec calls)

Needs `icupkg` (Debian: icu-devtools), `as` and `ld` (binutils); without them the caller keeps
the full library. Only the package's table of contents is rewritten (icupkg understands the
format of any ICU version); the items themselves are copied byte for byte.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# ICU data trees that Qt never opens (see the module docstring).
UNUSED_TREES = ("unit", "curr", "lang", "region", "rbnf", "translit", "brkitr")
TOOLS = ("icupkg", "as", "ld")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def major_version(library: Path) -> str:
    """'73' for libicudata.so.73 (the data symbol is icudt73_dat)."""
    found = re.fullmatch(r"libicudata\.so\.(\d+)(?:\.[\d.]+)?", library.name)
    if not found:
        raise ValueError(f"{library.name} is not named libicudata.so.NN")
    return found.group(1)


def unused_items(names: list[str]) -> list[str]:
    """The item names (as `icupkg -l` lists them) that belong to an unused tree."""
    return [name for name in names if name.split("/", 1)[0] in UNUSED_TREES and "/" in name]


def _symbol_range(library: Path, symbol: str) -> tuple[int, int]:
    """File offset and size of `symbol` (the data blob) inside the library."""
    symbols = subprocess.run(
        ["readelf", "-Ws", str(library)], capture_output=True, text=True, check=True
    ).stdout
    sections = subprocess.run(
        ["readelf", "-SW", str(library)], capture_output=True, text=True, check=True
    ).stdout
    for line in symbols.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[7] == symbol:
            address, size, index = int(fields[1], 16), int(fields[2], 0), fields[6]
            break
    else:
        raise ValueError(f"{library.name} has no symbol {symbol}")
    for line in sections.splitlines():
        found = re.match(r"\s*\[\s*(\d+)\]\s+\S+\s+\S+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if found and found.group(1) == index:
            section_address, section_offset = int(found.group(2), 16), int(found.group(3), 16)
            return section_offset + address - section_address, size
    raise ValueError(f"{library.name}: section {index} of {symbol} not found")


def slim(library: Path, out: Path) -> tuple[int, int]:
    """Write the slimmed copy of `library` to `out`; return (old size, new size) in bytes."""
    missing = missing_tools()
    if missing or shutil.which("readelf") is None:
        raise FileNotFoundError(f"needs {', '.join(missing or ['readelf'])}")
    version = major_version(library)
    symbol = f"icudt{version}_dat"
    offset, size = _symbol_range(library, symbol)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # icupkg names the items after the output file: it must keep the package's name.
        (work / "out").mkdir()
        full, small = work / f"icudt{version}l.dat", work / "out" / f"icudt{version}l.dat"
        with library.open("rb") as handle:
            handle.seek(offset)
            full.write_bytes(handle.read(size))
        listing = subprocess.run(
            ["icupkg", "-l", str(full)], capture_output=True, text=True, check=True
        ).stdout.split()
        drop = unused_items(listing)
        if not drop:
            raise ValueError(f"{library.name}: no unused ICU items found (already slim?)")
        (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="utf-8")
        subprocess.run(
            ["icupkg", "-r", str(work / "drop.txt"), str(full), str(small)],
            capture_output=True,
            check=True,
        )
        kept = subprocess.run(
            ["icupkg", "-l", str(small)], capture_output=True, text=True, check=True
        ).stdout.split()
        if len(kept) != len(listing) - len(drop):
            raise ValueError("icupkg left an unexpected number of items")
        if small.read_bytes().count(f"icudt{version}l/".encode()) < len(kept):
            raise ValueError("icupkg renamed the package's items")
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "{small}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="utf-8",
        )
        subprocess.run(["as", "-o", str(work / "data.o"), str(work / "data.s")], check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["ld", "-shared", "-soname", library.name, "-o", str(out), str(work / "data.o")],
            check=True,
        )
    return library.stat().st_size, out.stat().st_size


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: slim_icu.py LIBICUDATA OUT", file=sys.stderr)
        return 2
    before, after = slim(Path(argv[0]), Path(argv[1]))
    print(f"ICU data: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
