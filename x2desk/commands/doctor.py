"""`x2desk doctor [--json] [--bundle FILE]`: check what x2desk needs on this computer and say
what is missing; ``--bundle`` also writes a support archive (:mod:`x2desk.core.support`).

Checks: Python, Qt (PySide6 and the platform plugin, probed in a child process because Qt aborts
the process when a platform plugin cannot load), QR decoders and their versions, pyzbar/libzbar
(optional), cameras, the credential store (whether secrets can be saved: the OS keyring, the
chosen encrypted file, or the file a passphrase file in ``$X2DESK_PASSPHRASE_FILE`` unlocks) and
the data folder (writable, records database, settings), and the journal's unfinished requests.
Every check is fenced: a missing or broken piece is reported, never a crash. Exit 0 when the
essentials (Python, Qt, a decoder, a place to save secrets, the data folder) work; 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from x2desk.commands.doctor_store import (
    Check,
    check_credentials,
    check_data_folder,
    check_journal,
)
from x2desk.i18n import N_, _

# What each status is called on the terminal (the JSON keeps ok/warn/fail and English names).
STATUS_WORDS = {"ok": N_("ok"), "warn": N_("warning"), "fail": N_("FAILED")}

MIN_PYTHON = (3, 11)
QT_PROBE_TIMEOUT_S = 20.0
EXIT_NOT_READY = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    parser.add_argument(
        "--bundle",
        metavar=_("FILE"),
        help=_("also write a support archive (logs, this report, versions; no secret) to FILE"),
    )


# ---- the checks --------------------------------------------------------------------------------


def check_python() -> Check:
    version = ".".join(str(p) for p in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    detail = f"{version} ({sys.executable})"
    if not ok:
        needed = ".".join(map(str, MIN_PYTHON))
        detail += ": " + _("x2desk needs Python {version} or newer").format(version=needed)
    return Check(
        "Python", "ok" if ok else "fail", detail, essential=True, data={"version": version}
    )


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


_QT_PROBE = (
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(['x2desk-doctor'])\n"
    "print(app.platformName())\n"
)


def probe_qt_platform(platform: str | None) -> tuple[bool, str]:
    """Start a QGuiApplication in a child process: (worked, platform name or the last error)."""
    env = dict(os.environ)
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    try:
        done = subprocess.run(
            [sys.executable, "-c", _QT_PROBE],
            env=env,
            capture_output=True,
            text=True,
            timeout=QT_PROBE_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"the Qt probe did not finish ({type(exc).__name__})"
    if done.returncode == 0 and done.stdout.strip():
        return True, done.stdout.strip().splitlines()[-1]
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    qpa = [line.removeprefix("qt.qpa.plugin:").strip() for line in lines if "qt.qpa" in line]
    if qpa:  # "xcb-cursor0 ... is needed", "Could not load the Qt platform plugin ..."
        return False, " ".join(qpa)
    return False, lines[-1] if lines else f"exit status {done.returncode}"


def check_qt(probe: Callable[[str | None], tuple[bool, str]] | None = None) -> Check:
    probe = probe or probe_qt_platform
    try:
        import PySide6
        from PySide6.QtCore import QLibraryInfo, qVersion
    except ImportError as exc:
        return Check(
            "Qt",
            "fail",
            _("PySide6 cannot be imported ({why})").format(why=exc.name or exc),
            True,
        )
    plugins_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugins = sorted(
        p.name.removeprefix("libq").removeprefix("q").split(".")[0]
        for p in (plugins_dir.iterdir() if plugins_dir.is_dir() else [])
    )
    data: dict[str, Any] = {"pyside6": PySide6.__version__, "qt": qVersion(), "plugins": plugins}
    base = f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    wanted = os.environ.get("QT_QPA_PLATFORM")
    no_display = not wanted and not _has_display()
    ok, said = probe("offscreen" if no_display else None)
    data["platform"] = said if ok else None
    if not ok:
        return Check(
            "Qt",
            "fail",
            _(
                "{base}; the platform plugin does not start: {said}. Install Qt's system libraries "
                "(see the README) or set QT_QPA_PLATFORM."
            ).format(base=base, said=said),
            True,
            data,
        )
    if no_display:
        return Check(
            "Qt",
            "warn",
            _(
                "{base}; no display here: the window needs one (Qt works offscreen: platform "
                "{said!r})"
            ).format(base=base, said=said),
            True,
            data,
        )
    return Check(
        "Qt", "ok", _("{base}, platform {said!r}").format(base=base, said=said), True, data
    )


def _describe_decoder(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, tuple | list):
        return " ".join(str(part) for part in item if part)
    name = getattr(item, "name", None)
    if name is not None:
        version = getattr(item, "version", None)
        return f"{name} {version}" if version else str(name)
    return str(item)


def _decoders_from_module() -> list[str] | None:
    """What x2desk.core.scan.decode says it can use, or None when that module cannot tell."""
    try:
        decode = importlib.import_module("x2desk.core.scan.decode")
        found = decode.available_decoders()
    except (ImportError, AttributeError):
        return None
    if isinstance(found, dict):  # name -> version, None when unusable here
        return [f"{name} {version}" for name, version in found.items() if version is not None]
    if isinstance(found, Iterable) and not isinstance(found, str | bytes):
        return [_describe_decoder(item) for item in found]
    return [_describe_decoder(found)]


def _decoders_from_libraries() -> list[str]:
    found = []
    try:
        import cv2

        found.append(f"OpenCV {cv2.__version__}")
    except Exception:
        pass
    try:
        import importlib.metadata

        import zxingcpp  # noqa: F401

        found.append(f"zxing-cpp {importlib.metadata.version('zxing-cpp')}")
    except Exception:
        pass
    return found


def check_decoders() -> Check:
    try:
        names = _decoders_from_module()
        source = "x2desk.core.scan.decode"
    except Exception as exc:  # the decode module itself broke: fall back to the libraries
        names, source = None, f"x2desk.core.scan.decode failed ({type(exc).__name__})"
    if names is None:
        names = _decoders_from_libraries()
        source = "libraries" if source == "x2desk.core.scan.decode" else source
    if not names:
        return Check(
            N_("Decoders"),
            "fail",
            _("no QR decoder can be loaded (OpenCV or zxing-cpp): reinstall x2desk"),
            True,
            {"decoders": [], "source": source},
        )
    return Check(
        N_("Decoders"), "ok", ", ".join(names), True, {"decoders": names, "source": source}
    )


def check_pyzbar() -> Check:
    try:
        from x2desk.core.scan.qr.engines import pyzbar_status

        ok, said = pyzbar_status()
    except ImportError:
        try:
            from pyzbar import pyzbar  # noqa: F401

            ok, said = True, "pyzbar with libzbar"
        except ImportError:
            ok, said = False, "pyzbar is not usable"
    if ok:
        return Check("pyzbar", "ok", said)
    return Check(
        "pyzbar",
        "warn",
        _(
            "optional, not available: {said}. x2desk works without it (zxing-cpp and OpenCV "
            "decode); on Debian/Ubuntu 'sudo apt install libzbar0' adds it."
        ).format(said=said),
    )


def check_cameras() -> Check:
    try:
        from x2desk.core.scan.cameras import list_cameras

        cameras = list_cameras()
    except (ImportError, AttributeError):
        return Check(N_("Cameras"), "warn", _("camera support is not installed in this build"))
    names = [camera.name for camera in cameras]
    if not names:
        return Check(
            N_("Cameras"),
            "warn",
            _("no camera found: connect a webcam, or paste the token or open an image instead"),
            data={"cameras": []},
        )
    return Check(N_("Cameras"), "ok", "; ".join(names), data={"cameras": names})


ESSENTIAL_CHECKS = (check_python, check_qt, check_decoders, check_credentials, check_data_folder)
CHECKS: list[Callable[[], Check]] = [
    check_python,
    check_qt,
    check_decoders,
    check_pyzbar,
    check_cameras,
    check_credentials,
    check_data_folder,
    check_journal,
]


def run_checks(checks: Iterable[Callable[[], Check]] | None = None) -> list[Check]:
    """Run every check; one that raises is reported as failed (or as a warning if optional)."""
    results = []
    for check in checks if checks is not None else CHECKS:
        try:
            results.append(check())
        except Exception as exc:
            name = check.__name__.removeprefix("check_").replace("_", " ").capitalize()
            essential = check in ESSENTIAL_CHECKS
            results.append(
                Check(
                    name,
                    "fail" if essential else "warn",
                    _("the check itself failed ({name})").format(name=type(exc).__name__),
                    essential,
                )
            )
    return results


def essentials_ok(results: Iterable[Check]) -> bool:
    return all(c.status != "fail" for c in results if c.essential)


def run(args: argparse.Namespace) -> int:
    from x2desk import __version__

    results = run_checks()
    ready = essentials_ok(results)
    report = {"version": __version__, "ok": ready, "checks": [asdict(c) for c in results]}
    if getattr(args, "json", False):
        print(json.dumps(report, indent=2))
    else:
        print_report(results, ready, __version__)
    if getattr(args, "bundle", None):
        from x2desk.core.support import write_bundle

        written = write_bundle(Path(args.bundle), report)
        print(
            _("Support bundle written to {path}; it holds no secret.").format(path=written),
            file=sys.stderr,
        )
    return 0 if ready else EXIT_NOT_READY


def print_report(results: list[Check], ready: bool, version: str) -> None:
    """The checks as a table in the current language, and what it means."""
    print(_("x2desk {version}: what this computer has").format(version=version))
    names = {id(c): _(c.name) for c in results}
    statuses = {key: _(word) for key, word in STATUS_WORDS.items()}
    name_width = max(len(n) for n in names.values())
    status_width = max(len(w) for w in statuses.values())
    for c in results:
        status = statuses.get(c.status, c.status)
        print(f"  {status:<{status_width}}  {names[id(c)]:<{name_width}}  {c.detail}")
    if ready:
        warned = [names[id(c)] for c in results if c.status == "warn"]
        if warned:
            print(
                _("Everything x2desk needs works (see the warnings: {names}).").format(
                    names=", ".join(warned)
                )
            )
        else:
            print(_("Everything x2desk needs works."))
    else:
        failed = [names[id(c)] for c in results if c.essential and c.status == "fail"]
        print(
            _("x2desk cannot do its work here yet: fix {names} (see above).").format(
                names=", ".join(failed)
            )
        )
