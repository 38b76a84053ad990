"""`x2desk doctor`: every piece reported, missing pieces reported instead of crashing."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from helpers import secret_file
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
        "Journal",
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


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_no_keyring_and_no_passphrase_file_says_nothing_can_be_saved(
    capsys: pytest.CaptureFixture[str], no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: doctor said "Everything x2desk needs works" while every command that saves
    exited 21."""
    monkeypatch.delenv("X2DESK_PASSPHRASE_FILE", raising=False)
    code, report = run_json(capsys)
    assert code == 1 and report["ok"] is False
    creds = by_name(report)["Credentials"]
    assert creds["status"] == "fail" and creds["essential"] is True
    assert "encrypted file" in creds["detail"] and "X2DESK_PASSPHRASE_FILE" in creds["detail"]
    assert cli.main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "Everything x2desk needs works" not in out
    assert "fix Credentials" in out


def test_no_keyring_with_a_passphrase_file_can_save(
    capsys: pytest.CaptureFixture[str],
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    passfile = secret_file(tmp_path / "pass", "a long passphrase\n")
    monkeypatch.setenv("X2DESK_PASSPHRASE_FILE", str(passfile))
    code, report = run_json(capsys)
    creds = by_name(report)["Credentials"]
    assert code == 0 and creds["status"] == "warn" and str(passfile) in creds["detail"]
    passfile.chmod(0o644)  # readable by others: the commands refuse it, so doctor does too
    code, report = run_json(capsys)
    creds = by_name(report)["Credentials"]
    assert code == 1 and creds["status"] == "fail" and "chmod 600" in creds["detail"]


def test_chosen_encrypted_file_missing_fails(capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(Settings(credential_store="encrypted_file"))
    code, report = run_json(capsys)
    creds = by_name(report)["Credentials"]
    assert code == 1 and creds["status"] == "fail" and "missing" in creds["detail"]


def test_chosen_encrypted_file_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import use_encrypted_file

    use_encrypted_file(Secret("a long passphrase"))
    code, report = run_json(capsys)
    creds = by_name(report)["Credentials"]
    assert code == 0 and creds["status"] == "ok" and "chosen" in creds["detail"]


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


def test_doctor_counts_the_journals_leftovers(capsys: pytest.CaptureFixture[str]) -> None:
    from x2desk.core.secret import Secret
    from x2desk.core.store import KeyringStore, open_records
    from x2desk.core.store.journal import open_journal

    code, report = run_json(capsys)
    assert by_name(report)["Journal"]["status"] == "ok"
    with open_journal() as journal, open_records() as records:
        journal.begin("x2chat_bot", "redeem", token="fc6e2368-b677-430d-9f2f-295ce705c9d0")
        half = journal.begin("whatsapp", "create")
        journal.answered(half, 12)
        KeyringStore().save("x2chat_bot:5", Secret("5:" + "s" * 35))
        records.upsert("x2chat_bot", 6, secret_ref="x2chat_bot:6")  # its secret is gone
    code, report = run_json(capsys)
    journal_check = by_name(report)["Journal"]
    assert code == 0  # not essential: x2desk runs, the warning says what to do
    assert journal_check["status"] == "warn"
    data = journal_check["data"]
    assert (data["unfinished"], data["record_without_secret"]) == (2, 1)
    assert data["secrets_checked"] is True
    assert "new integration QR" in journal_check["detail"]
    assert "connection 12" in journal_check["detail"]
    cli.main(["doctor"])
    assert "2 unfinished requests" in capsys.readouterr().out
