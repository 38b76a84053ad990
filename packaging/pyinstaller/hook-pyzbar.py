"""PyInstaller hook for pyzbar: bundle libzbar so the app reads QR codes on a machine without it.

pyzbar finds libzbar with ``ctypes.util.find_library('zbar')``, which only looks at the system's
library cache, so a bundled copy is invisible to it: ``rthook_x2desk.py`` points it at the
bundle. The bug hides on a build machine that has libzbar0 installed; the bare-Debian check
(packaging/check-bare-debian.sh) is what catches it. On Windows the pyzbar wheel ships the DLLs.
"""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
import sysconfig

from PyInstaller.utils.hooks import collect_dynamic_libs, logger


def _linux_libzbar() -> str | None:
    """The path of the libzbar the system's library cache knows, for this Python's architecture."""
    name = ctypes.util.find_library("zbar")  # 'libzbar.so.0': a name, not a path, on Linux
    if not name:
        return None
    try:
        cache = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    paths = [
        path
        for soname, _, path in (line.strip().partition(" => ") for line in cache.splitlines())
        if soname.split(" ", 1)[0] == name and os.path.exists(path)
    ]
    paths.sort(key=lambda path: multiarch not in path)  # this architecture's copy first
    return paths[0] if paths else None


binaries: list[tuple[str, str]] = []
if sys.platform == "win32":
    binaries = collect_dynamic_libs("pyzbar")
elif sys.platform == "darwin":
    found = ctypes.util.find_library("zbar")  # a full path from Homebrew/MacPorts
    if found:
        binaries = [(found, ".")]
else:
    found = _linux_libzbar()
    if found:
        binaries = [(found, ".")]

if not binaries:
    logger.warning(
        "x2desk: libzbar not found on the build machine: the bundle reads QR codes "
        "without pyzbar (zxing-cpp and OpenCV only)"
    )
