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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

HELP = "Check Python, Qt, decoders, cameras, keyring and the data folder"

Status = Literal["ok", "warn", "fail"]
MIN_PYTHON = (3, 11)
QT_PROBE_TIMEOUT_S = 20.0
EXIT_NOT_READY = 1


@dataclass
class Check:
    name: str
    status: Status
    detail: str
    essential: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--bundle",
        metavar="FILE",
        help="also write a support archive (logs, this report, versions; no secret) to FILE",
    )


# ---- the checks --------------------------------------------------------------------------------


def check_python() -> Check:
    version = ".".join(str(p) for p in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    detail = f"{version} ({sys.executable})"
    if not ok:
        detail += f": x2desk needs Python {'.'.join(map(str, MIN_PYTHON))} or newer"
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
        return Check("Qt", "fail", f"PySide6 cannot be imported ({exc.name or exc})", True)
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
            f"{base}; the platform plugin does not start: {said}. Install Qt's system libraries "
            "(see the README) or set QT_QPA_PLATFORM.",
            True,
            data,
        )
    if no_display:
        return Check(
            "Qt",
            "warn",
            f"{base}; no display here: the window needs one (Qt works offscreen: "
            f"platform {said!r})",
            True,
            data,
        )
    return Check("Qt", "ok", f"{base}, platform {said!r}", True, data)


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
            "Decoders",
            "fail",
            "no QR decoder can be loaded (OpenCV or zxing-cpp): reinstall x2desk",
            True,
            {"decoders": [], "source": source},
        )
    return Check("Decoders", "ok", ", ".join(names), True, {"decoders": names, "source": source})


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
        f"optional, not available: {said}. x2desk works without it (zxing-cpp and OpenCV "
        "decode); on Debian/Ubuntu 'sudo apt install libzbar0' adds it.",
    )


def check_cameras() -> Check:
    try:
        from x2desk.core.scan.cameras import list_cameras

        cameras = list_cameras()
    except (ImportError, AttributeError):
        return Check("Cameras", "warn", "camera support is not installed in this build")
    names = [camera.name for camera in cameras]
    if not names:
        return Check(
            "Cameras",
            "warn",
            "no camera found: connect a webcam, or paste the token or open an image instead",
            data={"cameras": []},
        )
    return Check("Cameras", "ok", "; ".join(names), data={"cameras": names})


def check_credentials() -> Check:
    """Whether secrets can be saved here, as the commands would save them (the same rule:
    :mod:`x2desk.commands.stores`). Nothing is written."""
    from x2desk.core.errors import X2DeskError
    from x2desk.core.store.credentials import default_credentials_file, keyring_status
    from x2desk.core.store.settings import load_settings

    ok, said = keyring_status()
    data: dict[str, Any] = {"keyring_ok": ok, "keyring": said}
    try:
        settings = load_settings()
    except X2DeskError:
        settings = None  # the data folder check reports a damaged file or a missing folder
    if settings is not None and settings.credential_store == "encrypted_file":
        path = Path(settings.credentials_file or default_credentials_file())
        data.update(chosen="encrypted_file", file=str(path))
        if path.is_file():
            return Check("Credentials", "ok", f"encrypted file {path} (chosen)", True, data)
        return Check(
            "Credentials",
            "fail",
            f"the chosen encrypted file {path} is missing (the secrets it held are gone): the "
            "next command given a passphrase (--passphrase-file, $X2DESK_PASSPHRASE_FILE, or "
            "typed in a terminal) makes a new one",
            True,
            data,
        )
    data["chosen"] = "keyring"
    if ok:
        return Check("Credentials", "ok", f"system keyring: {said}", True, data)
    return _without_keyring(said, data)


def _without_keyring(said: str, data: dict[str, Any]) -> Check:
    """No system keyring: storing works only through a usable passphrase file."""
    from x2desk.commands.secret_files import read_secret_file
    from x2desk.commands.stores import PASSPHRASE_ENV
    from x2desk.core.errors import InputError

    path = os.environ.get(PASSPHRASE_ENV, "").strip()
    data["passphrase_file"] = path or None
    if not path:
        return Check(
            "Credentials",
            "fail",
            f"{said} Until then nothing x2desk connects can be saved here: set "
            f"${PASSPHRASE_ENV} (or give --passphrase-file FILE) to use the encrypted file "
            "store, or run the command in a terminal and choose it.",
            True,
            data,
        )
    try:
        read_secret_file(path, "passphrase")
    except InputError as exc:
        return Check(
            "Credentials",
            "fail",
            f"no system keyring, and ${PASSPHRASE_ENV} cannot be used: {exc.message}",
            True,
            data,
        )
    return Check(
        "Credentials",
        "warn",
        f"no system keyring; secrets go to the encrypted file store, with the passphrase in "
        f"${PASSPHRASE_ENV} ({path})",
        True,
        data,
    )


def check_data_folder() -> Check:
    from x2desk.core.errors import X2DeskError
    from x2desk.core.paths import data_dir
    from x2desk.core.store.atomic import atomic_write
    from x2desk.core.store.records import RecordStore
    from x2desk.core.store.settings import load_settings

    try:
        folder = data_dir()
    except OSError as exc:
        where = os.environ.get("X2DESK_HOME") or "the data folder"
        return Check("Data folder", "fail", f"cannot create {where}: {exc.strerror or exc}", True)
    data: dict[str, Any] = {"path": str(folder)}
    probe = folder / ".doctor-probe"
    try:
        atomic_write(probe, b"ok")
        probe.unlink()
    except OSError as exc:
        return Check(
            "Data folder", "fail", f"{folder} is not writable: {exc.strerror or exc}", True, data
        )
    problems = []
    try:
        with RecordStore.open() as records:
            data.update(records=len(records.list()), schema=records.schema_version)
    except X2DeskError as exc:
        problems.append(exc.message)
    try:
        load_settings()
    except X2DeskError as exc:
        problems.append(exc.message)
    if problems:
        return Check("Data folder", "fail", f"{folder}: " + " ".join(problems), True, data)
    detail = f"{folder} ({data['records']} saved connection{'s' if data['records'] != 1 else ''})"
    return Check("Data folder", "ok", detail, True, data)


def check_journal() -> Check:
    """Requests that went out and never finished, secrets and records that lost each other."""
    from x2desk.core.store.audit import audit_data_folder
    from x2desk.i18n import _, ngettext

    result = audit_data_folder()
    counts = result.counts()
    data: dict[str, Any] = dict(counts, secrets_checked=result.secrets_checked)
    data["findings"] = [f.to_json() for f in result.findings]
    parts = [
        ngettext("{n} unfinished request", "{n} unfinished requests", counts["unfinished"]),
        ngettext(
            "{n} secret without a record",
            "{n} secrets without a record",
            counts["secret_without_record"],
        ),
        ngettext(
            "{n} record without its secret",
            "{n} records without their secret",
            counts["record_without_secret"],
        ),
    ]
    detail = ", ".join(part.format(n=n) for part, n in zip(parts, counts.values(), strict=True))
    if not result.secrets_checked:
        detail += " " + _("(secrets not compared: the credential store is locked)")
    if result.findings:
        detail += ". " + " ".join(f"{f.summary} {f.advice}" for f in result.findings)
    return Check("Journal", "warn" if result.findings else "ok", detail, data=data)


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
                    f"the check itself failed ({type(exc).__name__})",
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
        print(f"x2desk {__version__} doctor")
        width = max(len(c.name) for c in results)
        for c in results:
            print(f"  {c.status:<4}  {c.name:<{width}}  {c.detail}")
        if ready:
            warned = [c.name for c in results if c.status == "warn"]
            tail = f" (see the warnings: {', '.join(warned)})" if warned else ""
            print(f"Everything x2desk needs works{tail}.")
        else:
            failed = [c.name for c in results if c.essential and c.status == "fail"]
            print(f"x2desk cannot do its work here yet: fix {', '.join(failed)} (see above).")
            print(f"x2desk cannot run here yet: fix {', '.join(failed)} (see above).")
    if getattr(args, "bundle", None):
        from x2desk.core.support import write_bundle
        from x2desk.i18n import _

        written = write_bundle(Path(args.bundle), report)
        print(
            _("Support bundle written to {path}; it holds no secret.").format(path=written),
            file=sys.stderr,
        )
    return 0 if ready else EXIT_NOT_READY
