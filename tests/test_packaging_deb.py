"""The Debian package and the kiosk's system files, without a PyInstaller build: build-deb.sh
packs a stand-in app (a script that runs x2desk from this checkout) and check-deb.sh installs
it with a real `dpkg --root` and runs it, as .ci/build-check does with the frozen app."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from x2desk import APP_NAME
from x2desk.core.errors import KioskAlreadyRunning, KioskConfigError
from x2desk.core.kiosk.config import CONFIG_FILE

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
UNIT = LINUX / "x2desk-kiosk.service"
AUTOSTART = LINUX / "x2desk-kiosk.desktop"
has_dpkg = pytest.mark.skipif(
    not (shutil.which("dpkg-deb") and shutil.which("dpkg")), reason="needs dpkg-deb and dpkg"
)


def read_ini(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def stand_in_app(dist: Path) -> None:
    """dist/x2desk/x2desk: --self-test answers at once; everything else runs this checkout."""
    app = dist / "x2desk"
    (app / "_internal").mkdir(parents=True)
    (app / "_internal" / "lib.so").write_bytes(b"\0" * 64)
    script = app / "x2desk"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --self-test ]; then echo "self-test passed: stand-in"; exit 0; fi\n'
        f'PYTHONPATH="{ROOT}" exec "{sys.executable}" -m x2desk "$@"\n'
    )
    script.chmod(0o755)


def build(dist: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINUX / "build-deb.sh"), str(dist)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@has_dpkg
def test_the_deb_builds_installs_runs_and_removes_cleanly(tmp_path: Path) -> None:
    stand_in_app(tmp_path)
    made = build(tmp_path)
    assert made.returncode == 0, made.stderr
    deb = Path(made.stdout.split()[0])
    assert re.fullmatch(r"x2desk_\d+\.\d+\.\d+_[a-z0-9]+\.deb", deb.name)
    control = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Depends", "Installed-Size"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"Depends: libc6 \(>= \d+\.\d+\), libgl1, libegl1, libfontconfig1", control)
    checked = subprocess.run(
        [str(LINUX / "check-deb.sh"), str(deb)],
        env={**os.environ, "X2DESK_LINTIAN": "0"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "self-test passed: stand-in" in checked.stdout
    assert "is a valid kiosk config" in checked.stdout
    assert f"check-deb passed: {deb.name}" in checked.stdout


@has_dpkg
def test_check_deb_refuses_a_package_without_the_kiosk_files(tmp_path: Path) -> None:
    stand_in_app(tmp_path)
    deb = Path(build(tmp_path).stdout.split()[0])
    tree = tmp_path / "tree"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True)
    (tree / "usr" / "lib" / "systemd" / "user" / "x2desk-kiosk.service").unlink()
    broken = tmp_path / "broken.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(tree), str(broken)],
        check=True,
        capture_output=True,
    )
    checked = subprocess.run(
        [str(LINUX / "check-deb.sh"), str(broken)], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 1
    assert "x2desk-kiosk.service is not in the package" in checked.stderr


def test_build_deb_refuses_an_unknown_compression(tmp_path: Path) -> None:
    stand_in_app(tmp_path)
    done = build(tmp_path, X2DESK_DEB_COMPRESS="rar")
    assert done.returncode == 2 and "must be zstd, gzip or xz" in done.stderr
    assert not list(tmp_path.glob("*.deb"))


def test_depends_are_what_the_bare_debian_check_installs() -> None:
    bare = (ROOT / "packaging" / "check-bare-debian.sh").read_text()
    extra = re.search(r"^EXTRA=\(([^)]*)\)", bare, re.MULTILINE)
    assert extra is not None
    depends = re.search(r'^DEPENDS="([^"]*)"', (LINUX / "build-deb.sh").read_text(), re.M)
    assert depends is not None
    names = [d.split()[0] for d in depends.group(1).split(", ")]
    assert names == ["libc6", *extra.group(1).split()]


def test_the_unit_runs_the_kiosk_and_restarts_it_only_when_that_helps() -> None:
    unit = read_ini(UNIT)
    service = unit["Service"]
    assert service["ExecStart"] == f"/usr/bin/x2desk --kiosk --config %E/{APP_NAME}/{CONFIG_FILE}"
    assert service["Restart"] == "on-failure"  # exit 0 = the admin left with the PIN
    assert 1 <= int(service["RestartSec"]) <= 10
    assert set(service["RestartPreventExitStatus"].split()) == {
        str(KioskConfigError.exit_code),
        str(KioskAlreadyRunning.exit_code),
    }
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    assert unit["Unit"]["PartOf"] == "graphical-session.target"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    fake = tmp_path / "x2desk"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    unit = tmp_path / "x2desk-kiosk.service"
    unit.write_text(UNIT.read_text().replace("/usr/bin/x2desk", str(fake)))
    (tmp_path / "run").mkdir()
    done = subprocess.run(
        ["systemd-analyze", "verify", "--user", str(unit)],
        env={**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "run")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stderr


def test_the_autostart_entry_starts_the_same_unit_with_the_display() -> None:
    entry = read_ini(AUTOSTART)["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["NoDisplay"] == "true"
    exec_line = entry["Exec"]
    assert exec_line.startswith('sh -c "') and exec_line.endswith('"')
    assert "import-environment DISPLAY WAYLAND_DISPLAY XAUTHORITY" in exec_line
    assert exec_line.rstrip('"').endswith(f"systemctl --user start {UNIT.name}")
    assert not set("$`\\") & set(exec_line)  # nothing the Desktop Entry spec would need escaped
    assert "Hidden" not in entry  # opt-in by copying it; see packaging/README.md


@pytest.mark.parametrize("script", ["packaging/linux/build-deb.sh", "packaging/linux/check-deb.sh"])
def test_deb_scripts_parse_and_are_executable(script: str) -> None:
    path = ROOT / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    assert subprocess.run(["bash", "-n", str(path)], timeout=30).returncode == 0
