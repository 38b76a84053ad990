"""PyInstaller hook for the x2desk package (found through ``hookspath`` in build.spec).

- every x2desk submodule: the CLI imports its commands by name and the GUI's pages are loaded
  lazily, so static analysis alone would miss them; ``x2desk/ui`` is collected whatever it holds;
- x2desk's own data files (styles, strings) beside its modules;
- the distribution metadata read through ``importlib.metadata`` (versions in ``doctor`` and the
  self-test, keyring's backend discovery);
- keyring backends registered by *other* distributions through entry points (PyInstaller's own
  keyring hook only collects keyring's built-in ones; keyring issues #324, #468, #591).
"""

from __future__ import annotations

from importlib import metadata

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

# Distributions whose metadata the app (or a library it uses) reads at run time.
METADATA = (
    "x2desk",
    "keyring",
    "httpx",
    "httpcore",
    "qrcode",
    "zxing-cpp",
    "pyzbar",
    "opencv-python-headless",
    "numpy",
    "cryptography",
    "platformdirs",
    "filelock",
    "phonenumberslite",
    "PySide6-Essentials",
    "shiboken6",
    "SecretStorage",
    "jeepney",
    "jaraco.classes",
    "jaraco.context",
    "jaraco.functools",
    "pywin32-ctypes",
    "importlib-metadata",
)


def _metadata(names: tuple[str, ...]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in names:
        try:
            found += copy_metadata(name)
        except Exception:  # not installed on this platform (pywin32-ctypes off Windows, ...)
            continue
    return found


def _keyring_backends() -> tuple[list[str], list[str]]:
    """Modules and distributions of every installed keyring backend entry point."""
    modules: list[str] = []
    dists: list[str] = []
    for entry in metadata.entry_points(group="keyring.backends"):
        modules.append(entry.module)
        if entry.dist is not None and entry.dist.name not in dists:
            dists.append(entry.dist.name)
    return modules, dists


_backend_modules, _backend_dists = _keyring_backends()

hiddenimports = [
    *collect_submodules("x2desk", filter=lambda name: ".tests" not in name),
    *_backend_modules,
]
datas = [
    *collect_data_files("x2desk", excludes=["**/__pycache__", "**/*.pyc"]),
    *_metadata(METADATA + tuple(_backend_dists)),
]
