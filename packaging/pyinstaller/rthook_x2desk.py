"""PyInstaller runtime hook: runs in the frozen app before x2desk is imported.

1. pyzbar looks for libzbar with ``ctypes.util.find_library('zbar')``, which only consults the
   system's library cache and so never sees the copy bundled by hook-pyzbar.py. Answer that one
   question with the bundled file; every other lookup goes to the original function.
2. A windowed build (Windows without a console) has ``sys.stdout``/``sys.stderr`` set to None;
   give them a sink so a print in the CLI path cannot crash the GUI.
"""

import ctypes.util
import glob
import os
import sys

_BUNDLE = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_ZBAR_PATTERNS = ("libzbar.so*", "libzbar*.dylib", "libzbar*.dll")
_original_find_library = ctypes.util.find_library


def _bundled(name):
    if name not in ("zbar", "libzbar"):
        return None
    for pattern in _ZBAR_PATTERNS:
        found = sorted(glob.glob(os.path.join(_BUNDLE, pattern)))
        if found:
            return found[0]
    return None


def _find_library(name):
    return _bundled(name) or _original_find_library(name)


ctypes.util.find_library = _find_library

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115
