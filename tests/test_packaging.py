"""Fast checks of the packaging (no PyInstaller build): the spec's logic, the hooks, the icon,
the installers' inputs. The real build runs in .ci/build-check."""

from __future__ import annotations

import ctypes.util
import os
import plistlib
import runpy
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- build.spec, run with stand-ins for PyInstaller's build classes ---


class Recorder:
    made: ClassVar[list[Recorder]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        type(self).made.append(self)


def run_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> dict[str, Any]:
    binaries = [
        ("libzbar.so.0", "/lib/libzbar.so.0", "BINARY"),
        ("libgtk-3.so.0", "/lib/libgtk-3.so.0", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/x/libqgtk3.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/x/libqoffscreen.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY"),
        ("opencv_python_headless.libs/libpng16-529cb57a.so.16", "/x/libpng16.so", "BINARY"),
        ("libfontconfig.so.1", "/lib/libfontconfig.so.1", "BINARY"),
        ("libpython3.11.so.1.0", "/x/libpython3.11.so.1.0", "BINARY"),
    ]
    datas = [
        ("PySide6/Qt/translations/qtbase_ru.qm", "/x/qtbase_ru.qm", "DATA"),
        ("PySide6/Qt/translations/qtbase_ka.qm", "/x/qtbase_ka.qm", "DATA"),
        ("PySide6/Qt/translations/qtdeclarative_ru.qm", "/x/qtdeclarative_ru.qm", "DATA"),
        ("resources/x2desk.png", str(RESOURCES / "x2desk.png"), "DATA"),
    ]

    class Analysis(Recorder):
        made: ClassVar[list[Recorder]] = []

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.binaries, self.datas = list(binaries), list(datas)
            self.scripts: list[Any] = []
            self.pure: list[Any] = []

    class Made(Recorder):
        made: ClassVar[list[Recorder]] = []

    monkeypatch.setattr(sys, "argv", ["build.spec", *extra])
    namespace = {
        "SPECPATH": str(ROOT),
        "DISTPATH": str(tmp_path / "dist"),
        "Analysis": Analysis,
        "PYZ": Made,
        "EXE": Made,
        "COLLECT": Made,
        "BUNDLE": Made,
    }
    code = compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
    exec(code, namespace)
    namespace["_made"] = Made.made
    return namespace


def test_spec_drops_what_is_unused_and_keeps_what_is_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = run_spec(tmp_path, monkeypatch)
    analysis = spec["a"]
    kept = {entry[0] for entry in analysis.binaries + analysis.datas}
    assert "libzbar.so.0" in kept
    assert "PySide6/Qt/plugins/platforms/libqxcb.so" in kept
    assert "PySide6/Qt/plugins/platforms/libqoffscreen.so" in kept
    assert "opencv_python_headless.libs/libpng16-529cb57a.so.16" in kept
    assert "PySide6/Qt/translations/qtbase_ru.qm" in kept
    assert "resources/x2desk.png" in kept
    dropped = {
        "libgtk-3.so.0",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/translations/qtdeclarative_ru.qm",
        "PySide6/Qt/translations/qtbase_ka.qm",
    }
    if sys.platform.startswith("linux"):
        dropped.add("libfontconfig.so.1")
    assert not kept & dropped


def test_spec_analyses_the_app_with_our_hooks_and_excludes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = run_spec(tmp_path, monkeypatch)
    kwargs = spec["a"].kwargs
    assert kwargs["runtime_hooks"] == [str(PACKAGING / "pyinstaller" / "rthook_x2desk.py")]
    assert kwargs["hookspath"] == [str(PACKAGING / "pyinstaller")]
    assert "x2desk.selftest" in kwargs["hiddenimports"]
    excludes = kwargs["excludes"]
    assert "PySide6.QtQml" in excludes and "PySide6.QtQuick" in excludes
    assert "PySide6.QtWidgets" not in excludes and "PySide6.QtGui" not in excludes
    assert "tkinter" in excludes
    assert (str(RESOURCES), "resources") in kwargs["datas"]


def test_spec_is_one_folder_by_default_and_one_file_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = run_spec(tmp_path, monkeypatch)
    assert folder["ONEFILE"] is False
    assert "coll" in folder
    exe = next(m for m in folder["_made"] if m.kwargs.get("name") == "x2desk")
    assert exe.kwargs["exclude_binaries"] is True
    assert exe.kwargs["icon"].endswith(("x2desk.png", "x2desk.ico", "x2desk.icns"))

    onefile = run_spec(tmp_path, monkeypatch, "--onefile")
    assert onefile["ONEFILE"] is True
    exe = next(m for m in onefile["_made"] if m.kwargs.get("name") == "x2desk")
    assert "exclude_binaries" not in exe.kwargs


def test_spec_keeps_every_qt_module_the_source_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = run_spec(tmp_path, monkeypatch)
    for module in spec["used_qt"]:
        assert f"PySide6.{module}" not in spec["EXCLUDES"]
    assert {"QtCore", "QtGui", "QtWidgets"} <= spec["used_qt"]


def test_windows_version_info_builds_from_the_package_version() -> None:
    pytest.importorskip("pefile", reason="PyInstaller's version info needs pefile (Windows)")
    from PyInstaller.utils.win32 import versioninfo

    from x2desk import __version__

    text = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "VSVersionInfo" in text and "FileVersion" in text
    numbers = (*(int(p) for p in __version__.split(".")[:3]), 0)
    info = versioninfo.VSVersionInfo(
        ffi=versioninfo.FixedFileInfo(filevers=numbers, prodvers=numbers)
    )
    assert str(numbers[0]) in str(info)


# --- hooks ---


def test_pyzbar_hook_bundles_libzbar_when_the_build_machine_has_it() -> None:
    hook = runpy.run_path(str(PACKAGING / "pyinstaller" / "hook-pyzbar.py"))
    if sys.platform.startswith("linux") and ctypes.util.find_library("zbar"):
        [(source, dest)] = hook["binaries"]
        assert Path(source).name.startswith("libzbar.so")
        assert Path(source).exists()
        assert dest == "."
    else:
        assert isinstance(hook["binaries"], list)


def test_x2desk_hook_collects_every_module_and_the_keyring_backends() -> None:
    hook = runpy.run_path(str(PACKAGING / "pyinstaller" / "hook-x2desk.py"))
    hidden = hook["hiddenimports"]
    assert "x2desk.selftest" in hidden
    assert "x2desk.commands.doctor" in hidden  # imported by name at run time
    assert "keyring.backends.SecretService" in hidden
    names = {Path(src).name for src, _ in hook["datas"]}
    assert any(name.startswith("keyring-") and name.endswith(".dist-info") for name in names)


def test_runtime_hook_points_pyzbar_at_the_bundled_libzbar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ctypes.util.find_library
    (tmp_path / "libzbar.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", original)
    try:
        runpy.run_path(str(PACKAGING / "pyinstaller" / "rthook_x2desk.py"))
        assert ctypes.util.find_library("zbar") == str(tmp_path / "libzbar.so.0")
        assert ctypes.util.find_library("c") == original("c")  # everything else unchanged
    finally:
        ctypes.util.find_library = original


# --- the icon and the self-test QR ---


def test_icon_svg_is_valid_and_square() -> None:
    root = ET.parse(RESOURCES / "x2desk.svg").getroot()
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == "0 0 512 512"


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_icon_pngs_have_their_sizes(size: int) -> None:
    assert png_size(RESOURCES / "icons" / f"x2desk-{size}.png") == (size, size)


def test_app_icon_png_ico_and_icns() -> None:
    assert png_size(RESOURCES / "x2desk.png") == (256, 256)
    ico = (RESOURCES / "x2desk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count == 7
    icns = (RESOURCES / "x2desk.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns and b"icp4" in icns


def test_icon_is_not_blank() -> None:
    from PySide6.QtGui import QImage

    image = QImage(str(RESOURCES / "icons" / "x2desk-64.png"))
    colours = {image.pixel(x, y) for x in range(0, 64, 4) for y in range(0, 64, 4)}
    assert len(colours) > 8  # gradient, card, modules, badge: not a flat square
    assert (image.pixel(0, 0) >> 24) == 0  # transparent corner: a rounded tile


def test_selftest_qr_is_shipped() -> None:
    width, height = png_size(RESOURCES / "selftest-qr.png")
    assert width == height and width >= 100


# --- installers ---


def test_macos_info_plist_asks_for_the_camera() -> None:
    with (PACKAGING / "macos" / "Info.plist").open("rb") as handle:
        plist = plistlib.load(handle)
    assert "camera" in plist["NSCameraUsageDescription"].lower()
    assert plist["CFBundleIdentifier"]
    assert plist["NSHighResolutionCapable"] is True


def test_inno_setup_script_packs_the_one_folder_build() -> None:
    script = (PACKAGING / "windows" / "x2desk.iss").read_text(encoding="utf-8")
    assert r'Source: "{#Root}\dist\x2desk\*"' in script
    assert r"SetupIconFile={#Root}\resources\x2desk.ico" in script
    assert "AppId={{" in script


def test_desktop_file_has_the_keys_a_menu_needs() -> None:
    text = (PACKAGING / "linux" / "x2desk.desktop").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert text.startswith("[Desktop Entry]")
    assert lines["Type"] == "Application"
    assert lines["Icon"] == "x2desk"
    assert lines["Exec"].startswith("@EXEC@")
    assert lines["Terminal"] == "false"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux installer")
def test_linux_install_script_installs_and_uninstalls(tmp_path: Path) -> None:
    unpacked = tmp_path / "x2desk-0.1.0"
    (unpacked / "x2desk").mkdir(parents=True)
    app = unpacked / "x2desk" / "x2desk"
    app.write_text("#!/bin/sh\necho frozen\n")
    app.chmod(0o755)
    (unpacked / "icons").mkdir()
    for png in (RESOURCES / "icons").glob("*.png"):
        (unpacked / "icons" / png.name).write_bytes(png.read_bytes())
    (unpacked / "icons" / "x2desk.svg").write_bytes((RESOURCES / "x2desk.svg").read_bytes())
    for name in ("install.sh", "x2desk.desktop"):
        (unpacked / name).write_bytes((PACKAGING / "linux" / name).read_bytes())
    home = tmp_path / "home"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
    }
    install = ["sh", str(unpacked / "install.sh"), "--user"]  # per-user even as root
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    prefix = home / "share" / "x2desk" / "app"
    assert (prefix / "x2desk").read_text().endswith("echo frozen\n")
    desktop = (home / "share" / "applications" / "x2desk.desktop").read_text()
    assert f"Exec={prefix}/x2desk %U" in desktop
    assert (home / "share" / "icons" / "hicolor" / "48x48" / "apps" / "x2desk.png").exists()
    assert (home / ".local" / "bin" / "x2desk").resolve() == (prefix / "x2desk").resolve()
    gone = subprocess.run(
        [*install, "--uninstall"], env=env, capture_output=True, text=True, timeout=60
    )
    assert gone.returncode == 0, gone.stderr
    assert not prefix.exists()
    assert not (home / "share" / "applications" / "x2desk.desktop").exists()


@pytest.mark.parametrize(
    "script",
    [
        ".ci/build-check",
        "packaging/check-bare-debian.sh",
        "packaging/linux/build-tarball.sh",
        "packaging/macos/make-dmg.sh",
    ],
)
def test_shell_scripts_parse_and_are_executable(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    assert subprocess.run(["bash", "-n", str(path)], timeout=30).returncode == 0


def test_install_script_is_posix_sh() -> None:
    path = PACKAGING / "linux" / "install.sh"
    assert subprocess.run(["sh", "-n", str(path)], timeout=30).returncode == 0


# --- the slimmed ICU data library (packaging/slim_icu.py) ---

QT_ICU_PROBE = r"""
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone, QDateTime
sv = QCollator(QLocale("sv_SE"))
de = QCollator(QLocale("de_DE"))
print("sv", sv.compare("ä", "z") > 0)
print("de", de.compare("ä", "z") < 0)
print("sjis", QStringDecoder("Shift_JIS").isValid())
print("codecs", len(QStringDecoder.availableCodecs()) > 100)
print("upper", QLocale("tr_TR").toUpper("i") == "İ")
berlin = QTimeZone(b"Europe/Berlin")
print("zone", berlin.isValid() and bool(berlin.displayName(QDateTime.currentDateTime())))
print(len(QStringDecoder.availableCodecs()), berlin.displayName(QDateTime.currentDateTime()))
"""


def icu_probe(preload: Path | None) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if preload is not None:  # a preloaded libicudata.so.NN satisfies Qt's libicuuc by soname
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, "-c", QT_ICU_PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\n")


def qt_icu_data() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux: the wheel's ICU")
def test_slim_icu_keeps_what_qt_uses(tmp_path: Path) -> None:
    sys.path.insert(0, str(PACKAGING))
    import slim_icu

    full = qt_icu_data()
    if full is None or slim_icu.missing_tools():
        pytest.skip(f"no Qt ICU data or tools missing: {slim_icu.missing_tools()}")
    small = tmp_path / full.name
    before, after = slim_icu.slim(full, small)
    assert after < before - 10_000_000  # at least 10 MB less
    expected = icu_probe(None)
    names = ("sv", "de", "sjis", "codecs", "upper", "zone")
    assert expected[:6] == [f"{name} True" for name in names]
    assert icu_probe(small) == expected


def test_slim_icu_names_and_items() -> None:
    sys.path.insert(0, str(PACKAGING))
    import slim_icu

    assert slim_icu.major_version(Path("libicudata.so.73")) == "73"
    assert slim_icu.major_version(Path("libicudata.so.73.2")) == "73"
    with pytest.raises(ValueError):
        slim_icu.major_version(Path("libicuuc.so.73"))
    items = ["coll/de.res", "curr/de.res", "brkitr/word.brk", "de.res", "zone/de.res", "lang/x.res"]
    assert slim_icu.unused_items(items) == ["curr/de.res", "brkitr/word.brk", "lang/x.res"]


def test_spec_swaps_in_the_slim_icu_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(PACKAGING))
    import slim_icu

    calls: list[tuple[Path, Path]] = []

    def fake_slim(library: Path, out: Path) -> tuple[int, int]:
        calls.append((library, out))
        return 32_000_000, 17_000_000

    monkeypatch.setattr(slim_icu, "slim", fake_slim)
    namespace = {"binaries": [("PySide6/Qt/lib/libicudata.so.73", "/x/libicudata.so.73", "BINARY")]}
    spec = run_spec(tmp_path, monkeypatch)
    swapped = spec["slim_icu_data"](namespace["binaries"])
    if sys.platform.startswith("linux"):
        assert calls and calls[0][0] == Path("/x/libicudata.so.73")
        assert swapped[0][1] == str(calls[0][1]) and swapped[0][0].endswith("libicudata.so.73")
    else:
        assert swapped == namespace["binaries"]
    monkeypatch.setenv("X2DESK_FULL_ICU", "1")
    assert spec["slim_icu_data"](namespace["binaries"]) == namespace["binaries"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux archive")
@pytest.mark.parametrize(("kind", "suffix"), [("xz", ".tar.xz"), ("gz", ".tar.gz")])
def test_linux_archive_holds_app_and_installer(tmp_path: Path, kind: str, suffix: str) -> None:
    import tarfile

    app = tmp_path / "x2desk"
    app.mkdir()
    (app / "x2desk").write_text("#!/bin/sh\necho frozen\n")
    (app / "x2desk").chmod(0o755)
    env = {**os.environ, "X2DESK_ARCHIVE": kind}
    script = PACKAGING / "linux" / "build-tarball.sh"
    done = subprocess.run(
        [str(script), str(tmp_path)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    archive = Path(done.stdout.split()[0])
    assert archive.name.endswith(suffix) and archive.parent == tmp_path
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        top = archive.name.split("-linux-")[0]
        assert {f"{top}/install.sh", f"{top}/x2desk/x2desk", f"{top}/x2desk.desktop"} <= names
        assert f"{top}/icons/x2desk-48.png" in names
        assert tar.getmember(f"{top}/install.sh").mode & 0o111
    assert list(tmp_path.glob("*.tar.*")) == [archive]  # the other format's leftover is gone


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"X2DESK_ARCHIVE": "rar"}, "X2DESK_ARCHIVE must be xz or gz"),
        ({"X2DESK_XZ_LEVEL": "max"}, "X2DESK_XZ_LEVEL must be 0..9"),
    ],
)
def test_linux_archive_rejects_bad_settings(
    tmp_path: Path, setting: dict[str, str], message: str
) -> None:
    app = tmp_path / "x2desk"
    app.mkdir()
    (app / "x2desk").write_text("#!/bin/sh\n")
    (app / "x2desk").chmod(0o755)
    env = {**os.environ, **setting}
    done = subprocess.run(
        [str(PACKAGING / "linux" / "build-tarball.sh"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert message in done.stderr
