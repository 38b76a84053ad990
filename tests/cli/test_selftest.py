"""``x2desk --self-test``: every check prints a line, failures are FAIL lines, never a crash."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from x2desk import selftest
from x2desk.cli import main


def test_self_test_passes_from_source(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--self-test"])
    out = capsys.readouterr().out
    assert code == 0, out
    lines = out.strip().splitlines()
    names = [name for name, _ in selftest.checks(Path("."))]
    for name in names:
        assert any(line.split()[1:2] == name.split()[:1] for line in lines), (name, out)
    assert lines[-1].startswith("self-test passed")
    assert "FAIL" not in out


def test_reports_the_keyring_backend_and_the_decoded_qr(capsys: pytest.CaptureFixture[str]) -> None:
    selftest.run_self_test()
    out = capsys.readouterr().out
    assert "backend " in out  # the keyring line names the backend class
    assert "QrDecoder read selftest-qr.png" in out
    assert "embedded sandbox started on http://127.0.0.1:" in out


def test_a_missing_module_is_a_fail_line_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        import x2desk.core.not_written_yet  # type: ignore[import-not-found]  # noqa: F401

        return "unreachable"

    monkeypatch.setattr(selftest, "checks", lambda temp: [("ghost", missing)])
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "FAIL ghost" in text
    assert "missing module 'x2desk.core.not_written_yet'" in text
    assert "self-test FAILED: ghost" in text


def test_any_exception_and_even_system_exit_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> str:
        raise RuntimeError("the decoder returned nonsense")

    def exits() -> str:
        raise SystemExit(3)  # a library that calls sys.exit must not end the self-test

    monkeypatch.setattr(
        selftest, "checks", lambda temp: [("broken", broken), ("exits", exits), ("fine", str)]
    )
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    text = out.getvalue()
    assert "FAIL broken        RuntimeError: the decoder returned nonsense" in text
    assert "FAIL exits" in text
    assert "ok   fine" in text


def test_an_absent_optional_part_does_not_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent() -> str:
        raise selftest.Absent("libzbar not installed, pyzbar is off (optional)")

    monkeypatch.setattr(selftest, "checks", lambda temp: [("pyzbar", absent)])
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0
    assert "--   pyzbar" in out.getvalue()


def test_pyzbar_without_libzbar_is_absent_but_fails_when_bundled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import ctypes.util

    for name in [n for n in sys.modules if n.startswith("pyzbar")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    result = selftest.run_check("pyzbar", selftest.check_pyzbar)
    assert result.status == selftest.ABSENT
    assert "libzbar not installed" in result.detail

    (tmp_path / "libzbar.so.0").write_bytes(b"")  # a bundle that ships it must load it
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for name in [n for n in sys.modules if n.startswith("pyzbar")]:
        monkeypatch.delitem(sys.modules, name)
    result = selftest.run_check("pyzbar", selftest.check_pyzbar)
    assert result.status == selftest.FAIL
    assert "bundled (libzbar.so.0) but did not load" in result.detail


def test_self_test_leaves_the_users_data_folder_alone(x2desk_home: Path) -> None:
    before = sorted(x2desk_home.rglob("*")) if x2desk_home.exists() else []
    assert selftest.run_self_test(io.StringIO()) == 0
    after = sorted(x2desk_home.rglob("*")) if x2desk_home.exists() else []
    assert after == before


def test_the_shipped_qr_holds_the_expected_text() -> None:
    import cv2
    import numpy as np
    import zxingcpp

    image = selftest.resources_dir() / "selftest-qr.png"
    frame = cv2.imdecode(np.frombuffer(image.read_bytes(), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert [r.text for r in zxingcpp.read_barcodes(frame)] == [selftest.SELFTEST_QR_TEXT]
