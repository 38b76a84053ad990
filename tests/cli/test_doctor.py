"""`x2desk doctor`: every piece reported, missing pieces reported instead of crashing."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from x2desk import cli
from x2desk.commands import doctor
from x2desk.core.store import Settings, save_settings

REAL_QT_PROBE = doctor.probe_qt_platform


@pytest.fixture(autouse=True)
def quick_qt_probe(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Most tests stub the child-process Qt probe; test_real_qt_probe runs the real one."""
    asked: list[str | None] = []

    def probe(platform: str | None) -> tuple[bool, str]:
        asked.append(platform)
        return True, platform or "offscreen"

    monkeypatch.setattr(doctor, "probe_qt_platform", probe)
    return asked


def run_json(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = cli.main(["doctor", "--json"])
    return code, json.loads(capsys.readouterr().out)


def by_name(report: dict) -> dict:  # type: ignore[type-arg]
    return {c["name"]: c for c in report["checks"]}


def test_everything_reported_and_essentials_ok(
    capsys: pytest.CaptureFixture[str], x2desk_home: Path
) -> None:
    code, report = run_json(capsys)
    assert code == 0 and report["ok"] is True
    checks = by_name(report)
    assert set(checks) == {
        "Python",
        "Qt",
        "Decoders",
        "pyzbar",
        "Cameras",
        "Credentials",
        "Data folder",
    }
    assert checks["Python"]["status"] == "ok"
    assert checks["Qt"]["data"]["pyside6"]
    assert "offscreen" in checks["Qt"]["data"]["plugins"]
    assert checks["Decoders"]["status"] == "ok"
    assert any("zxing" in d for d in checks["Decoders"]["data"]["decoders"])
    assert checks["Data folder"]["data"]["path"] == str(x2desk_home)
    assert checks["Data folder"]["data"]["records"] == 0
    assert checks["Credentials"]["status"] == "ok"  # the in-memory keyring


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "Everything x2desk needs works" in out
    for name in ("Python", "Qt", "Decoders", "pyzbar", "Cameras", "Credentials", "Data folder"):
        assert f"  {name}" in out


def test_no_keyring_is_a_warning_that_offers_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code, report = run_json(capsys)
    finally:
        keyring.set_keyring(previous)
    assert code == 0
    creds = by_name(report)["Credentials"]
    assert creds["status"] == "warn"
    assert "encrypted file" in creds["detail"]


def test_chosen_encrypted_file_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(Settings(credential_store="encrypted_file"))
    _, report = run_json(capsys)
    creds = by_name(report)["Credentials"]
    assert creds["status"] == "warn" and "missing" in creds["detail"]


def test_missing_decode_module_falls_back_to_the_libraries(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "x2desk.core.scan.decode", None)  # import fails
    code, report = run_json(capsys)
    decoders = by_name(report)["Decoders"]
    assert code == 0 and decoders["status"] == "ok"
    assert decoders["data"]["source"] == "libraries"


def test_broken_decode_module_does_not_crash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom() -> None:
        raise RuntimeError("decoder exploded")

    fake = types.ModuleType("x2desk.core.scan.decode")
    fake.available_decoders = boom  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "x2desk.core.scan.decode", fake)
    code, report = run_json(capsys)
    decoders = by_name(report)["Decoders"]
    assert code == 0
    assert "RuntimeError" in decoders["data"]["source"]
    assert decoders["data"]["decoders"]  # the libraries themselves still answered


def test_unusable_decoder_is_not_listed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("x2desk.core.scan.decode")
    fake.available_decoders = lambda: {"zxing-cpp": "3.0", "pyzbar": None}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "x2desk.core.scan.decode", fake)
    _, report = run_json(capsys)
    assert by_name(report)["Decoders"]["data"]["decoders"] == ["zxing-cpp 3.0"]


def test_no_decoder_at_all_fails(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.ModuleType("x2desk.core.scan.decode")
    fake.available_decoders = lambda: {}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "x2desk.core.scan.decode", fake)
    code, report = run_json(capsys)
    assert code == doctor.EXIT_NOT_READY and report["ok"] is False
    assert by_name(report)["Decoders"]["status"] == "fail"


def test_missing_pyzbar_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    from x2desk.core.scan.qr import engines

    monkeypatch.setattr(
        engines, "pyzbar_status", lambda: (False, "Unable to find zbar shared library")
    )
    check = doctor.check_pyzbar()
    assert check.status == "warn" and not check.essential
    assert "optional" in check.detail and "libzbar0" in check.detail


def test_cameras_listed_or_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from x2desk.core.scan import cameras

    listed = [cameras.CameraInfo(0, "USB Camera"), cameras.CameraInfo(2, "HD Webcam")]
    monkeypatch.setattr(cameras, "list_cameras", lambda: listed)
    check = doctor.check_cameras()
    assert check.status == "ok" and check.detail == "USB Camera; HD Webcam"
    monkeypatch.setattr(cameras, "list_cameras", lambda: [])
    assert doctor.check_cameras().status == "warn"
    monkeypatch.delattr(cameras, "list_cameras")
    assert "not installed" in doctor.check_cameras().detail


def test_a_check_that_raises_is_reported(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from x2desk.core.scan import cameras

    def boom() -> list[object]:
        raise OSError("v4l2 went away")

    monkeypatch.setattr(cameras, "list_cameras", boom)
    code, report = run_json(capsys)
    assert code == 0  # cameras are not essential
    assert by_name(report)["Cameras"]["status"] == "warn"
    assert "OSError" in by_name(report)["Cameras"]["detail"]


def test_unusable_data_folder_fails(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("X2DESK_HOME", str(blocker))
    code, report = run_json(capsys)
    assert code == doctor.EXIT_NOT_READY
    folder = by_name(report)["Data folder"]
    assert folder["status"] == "fail" and str(blocker) in folder["detail"]
    assert by_name(report)["Python"]["status"] == "ok"  # the rest still ran
    assert "check itself failed" not in by_name(report)["Credentials"]["detail"]


def test_damaged_settings_fail_the_data_folder(
    capsys: pytest.CaptureFixture[str], x2desk_home: Path
) -> None:
    x2desk_home.mkdir(parents=True, exist_ok=True)
    (x2desk_home / "settings.json").write_text("{oops")
    code, report = run_json(capsys)
    assert code == doctor.EXIT_NOT_READY
    assert "settings file" in by_name(report)["Data folder"]["detail"]


def test_no_display_probes_offscreen_and_warns(
    monkeypatch: pytest.MonkeyPatch, quick_qt_probe: list[str | None]
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    check = doctor.check_qt()
    assert quick_qt_probe == ["offscreen"]
    assert check.status == "warn" and "no display" in check.detail


def test_qt_plugin_that_does_not_start_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        doctor,
        "probe_qt_platform",
        lambda p: (False, 'Could not load the Qt platform plugin "xcb"'),
    )
    check = doctor.check_qt()
    assert check.status == "fail" and check.essential and "xcb" in check.detail


def test_real_qt_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert REAL_QT_PROBE(None) == (True, "offscreen")
    ok, said = REAL_QT_PROBE("no-such-plugin")
    assert not ok
    assert 'Could not find the Qt platform plugin "no-such-plugin"' in said
