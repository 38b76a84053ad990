"""``x2desk --self-test``: prove that this installation (frozen or not) has everything it needs.

Each check imports or exercises one backend the app uses and prints one line,
``ok``, ``FAIL`` or ``--`` (optional and absent), with what it found. The exit code is 0 only
when no check failed. A check never crashes the run: a missing module is a ``FAIL`` line.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from x2desk import __version__
from x2desk.i18n import _

# The text encoded in resources/selftest-qr.png (made by packaging/make_icons.py): a deep link
# with a made-up UUIDv4, so the decoder and the token classifier both have something real.
SELFTEST_QR_TEXT = "x2chat://bot/integrate?token=3f6c1a52-8e4b-4d7a-9c21-5b0e7d9a4f13"

OK, FAIL, ABSENT = "ok", "FAIL", "--"

_qt_app: Any = None  # keeps the QApplication the Qt check made alive until the process ends


class Absent(Exception):
    """An optional part is missing; reported with ``--``, not a failure."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str
    detail: str
    ms: float


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_dir() -> Path | None:
    """The folder a PyInstaller build unpacked into (``sys._MEIPASS``), or None from source."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else None


def resources_dir() -> Path:
    """``resources/`` beside the package in a checkout, or inside the bundle when frozen."""
    base = bundle_dir()
    if base is not None:
        return base / "resources"
    return Path(__file__).resolve().parents[1] / "resources"


# --- the checks: each returns a detail string, raises Absent, or raises anything for FAIL ---


def check_python() -> str:
    where = f"frozen in {bundle_dir()}" if is_frozen() else sys.prefix
    python = f"Python {platform.python_version()} on {platform.platform()}"
    return f"x2desk {__version__}, {python}, {where}"


def check_qt() -> str:
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no display: a window-less check still counts
    import PySide6
    from PySide6.QtCore import QCoreApplication, qVersion
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    global _qt_app
    app = QCoreApplication.instance()
    if app is None:
        app = _qt_app = QApplication([sys.argv[0] if sys.argv else "x2desk"])
    platform_name = QGuiApplication.platformName() if isinstance(app, QGuiApplication) else "?"
    icon = QImage(str(resources_dir() / "x2desk.png"))
    if icon.isNull():
        raise RuntimeError(f"Qt could not load the app icon from {resources_dir()}")
    canvas = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(canvas)
    painter.drawImage(canvas.rect(), icon)
    painter.drawText(4, 40, "x2")  # needs a font from fontconfig
    painter.end()
    return f"PySide6 {PySide6.__version__}, Qt {qVersion()}, platform '{platform_name}', icon ok"


def check_numpy() -> str:
    import numpy

    return f"numpy {numpy.__version__}, sum check {int(numpy.arange(10).sum())}"


def check_opencv() -> str:
    import cv2
    import numpy

    data = numpy.frombuffer((resources_dir() / "selftest-qr.png").read_bytes(), numpy.uint8)
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise RuntimeError("OpenCV could not decode a PNG")
    return f"OpenCV {cv2.__version__}, PNG {image.shape[1]}x{image.shape[0]}"


def check_zxing() -> str:
    import zxingcpp

    return f"zxing-cpp {_dist_version('zxing-cpp')}, module {zxingcpp.__name__}"


def check_pyzbar() -> str:
    bundled = _bundled_libzbar()
    try:
        from pyzbar import pyzbar, zbar_library
    except ImportError as exc:  # pyzbar raises ImportError when libzbar cannot be found
        if bundled:
            raise RuntimeError(
                f"libzbar is bundled ({bundled.name}) but did not load: {exc}"
            ) from exc
        raise Absent(f"libzbar not installed, pyzbar is off (optional): {exc}") from exc
    del pyzbar
    source = "bundled" if bundled else "system"
    return f"pyzbar with {source} libzbar ({zbar_library.__name__} loaded)"


def _bundled_libzbar() -> Path | None:
    base = bundle_dir()
    if base is None:
        return None
    for pattern in ("libzbar*.so*", "libzbar*.dylib", "libzbar*.dll"):
        for found in sorted(base.rglob(pattern)):
            return found
    return None


def check_httpx() -> str:
    import httpx

    return f"httpx {httpx.__version__}"


NATIVE_KEYRING = {
    "linux": ("keyring.backends.SecretService", "secretstorage"),
    "win32": ("keyring.backends.Windows", "win32ctypes"),
    "darwin": ("keyring.backends.macOS", None),
}


def check_keyring() -> str:
    import keyring

    key = "linux" if sys.platform.startswith("linux") else sys.platform
    native, dependency = NATIVE_KEYRING.get(key, (None, None))
    if native:
        importlib.import_module(native)  # a frozen app missing it falls back to the fail backend
    if dependency:
        importlib.import_module(dependency)
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if "fail" in name.lower():
        return f"keyring {_dist_version('keyring')}, backend {name}: no usable OS keyring here"
    return f"keyring {_dist_version('keyring')}, backend {name}"


def _dist_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(no metadata)"


def check_qrcode() -> str:
    import qrcode

    qr = qrcode.QRCode()
    qr.add_data(SELFTEST_QR_TEXT)
    qr.make(fit=True)
    return f"qrcode {_dist_version('qrcode')}, made a version {qr.version} code"


def check_cryptography() -> str:
    import cryptography
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    aead = AESGCM(key)
    if aead.decrypt(nonce, aead.encrypt(nonce, b"x2desk", None), None) != b"x2desk":
        raise RuntimeError("AES-GCM round trip gave back different bytes")
    return f"cryptography {cryptography.__version__}, AES-GCM round trip"


def check_store(folder: Path) -> str:
    from x2desk.core.store.records import RecordStore

    path = folder / "records.sqlite3"
    store = RecordStore.open(path)
    try:
        count = len(store.list())
    finally:
        store.close()
    if not path.exists():
        raise RuntimeError(f"the store did not create {path.name}")
    return f"SQLite records store opened in a temporary folder ({count} records)"


def check_decoder() -> str:
    from x2desk.core.scan.decode import QrDecoder

    image = resources_dir() / "selftest-qr.png"
    texts = _decoded_texts(QrDecoder(), image)
    if SELFTEST_QR_TEXT not in texts:
        raise RuntimeError(f"decoded {texts!r} from {image.name}, expected the self-test link")
    return f"QrDecoder read {image.name}"


def _decoded_texts(decoder: Any, image: Path) -> list[str]:
    import cv2
    import numpy

    frame = cv2.imdecode(numpy.frombuffer(image.read_bytes(), numpy.uint8), cv2.IMREAD_COLOR)
    codes = decoder.decode(frame)
    return [getattr(code, "text", code) for code in codes]


def check_sandbox() -> str:
    from x2desk.core.net import make_http_client
    from x2desk.sandbox.server import SandboxServer

    server = SandboxServer(port=0)
    server.start()
    try:
        url = str(server.url).rstrip("/")
        with make_http_client() as client:
            answer = client.post(f"{url}/_sandbox/x2chat/issue", json={})
        if answer.status_code != 200 or "token" not in answer.json():
            raise RuntimeError(f"issuing a token answered HTTP {answer.status_code}")
    finally:
        server.stop()
    return f"embedded sandbox started on {url}, issued a token over HTTP, stopped"


# --- running them ---


def checks(temp: Path) -> list[tuple[str, Callable[[], str]]]:
    return [
        ("python", check_python),
        ("qt", check_qt),
        ("numpy", check_numpy),
        ("opencv", check_opencv),
        ("zxing-cpp", check_zxing),
        ("pyzbar", check_pyzbar),
        ("httpx", check_httpx),
        ("keyring", check_keyring),
        ("qrcode", check_qrcode),
        ("cryptography", check_cryptography),
        ("records store", lambda: check_store(temp)),
        ("qr decoder", check_decoder),
        ("sandbox", check_sandbox),
    ]


def run_check(name: str, check: Callable[[], str]) -> CheckResult:
    start = time.perf_counter()
    try:
        detail, status = check(), OK
    except Absent as exc:
        detail, status = str(exc), ABSENT
    except ModuleNotFoundError as exc:
        detail, status = f"missing module '{exc.name}'", FAIL
    except BaseException as exc:  # a self-test reports every failure, even SystemExit from a lib
        if isinstance(exc, KeyboardInterrupt):
            raise
        detail, status = f"{type(exc).__name__}: {exc}", FAIL
    return CheckResult(name, status, detail, (time.perf_counter() - start) * 1000)


@contextmanager
def _private_home(temp: Path) -> Iterator[None]:
    """Point X2DESK_HOME at the temporary folder: the self-test never touches the user's data."""
    previous = os.environ.get("X2DESK_HOME")
    os.environ["X2DESK_HOME"] = str(temp / "home")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("X2DESK_HOME", None)
        else:
            os.environ["X2DESK_HOME"] = previous


def run_self_test(out: TextIO | None = None) -> int:
    """Run every check, print one line each and a summary; 0 only if none failed."""
    stream = out or sys.stdout
    start = time.perf_counter()
    results: list[CheckResult] = []
    with tempfile.TemporaryDirectory(prefix="x2desk-selftest-") as temp, _private_home(Path(temp)):
        for name, check in checks(Path(temp)):
            result = run_check(name, check)
            results.append(result)
            print(
                f"{result.status:<4} {result.name:<13} {result.detail} ({result.ms:.0f} ms)",
                file=stream,
                flush=True,
            )
    failed = [r.name for r in results if r.status == FAIL]
    total_ms = (time.perf_counter() - start) * 1000
    if failed:
        print(
            _("self-test FAILED: {names} ({ms} ms)").format(
                names=", ".join(failed), ms=f"{total_ms:.0f}"
            ),
            file=stream,
        )
        return 1
    print(
        _("self-test passed: {n} checks ({ms} ms)").format(n=len(results), ms=f"{total_ms:.0f}"),
        file=stream,
    )
    return 0
