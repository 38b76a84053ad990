"""The settings in the window: language and look at once, the phone country, the rotation
warning, camera and mirror kept in settings.json, each profile's addresses checked (https only,
http for this computer), the folders, and "Check this computer" showing doctor's report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from x2desk import i18n
from x2desk.commands.doctor import Check
from x2desk.core import profiles
from x2desk.core.store.settings import load_settings
from x2desk.ui.app import ensure_app, make_settings
from x2desk.ui.common import theme
from x2desk.ui.context import AppContext
from x2desk.ui.settings.dialog import ADDRESSES, COMPUTER, SettingsDialog


def fake_checks() -> list[Check]:
    return [
        Check("Python", "ok", "3.12", essential=True),
        Check("Cameras", "warn", "no camera found"),
        Check("Credential store", "ok", "GNOME Keyring", essential=True),
    ]


@pytest.fixture
def dialog(qtbot: Any) -> Iterator[SettingsDialog]:
    ensure_app()
    dlg = SettingsDialog(AppContext(), checks=fake_checks)
    qtbot.addWidget(dlg)
    dlg.open_at_start()
    qtbot.waitUntil(lambda: dlg.general.region.count() > 100, timeout=5000)  # read in a worker
    yield dlg
    dlg.close()


def test_language_switches_at_once(qtbot: Any, dialog: SettingsDialog) -> None:
    combo = dialog.general.language
    try:
        combo.setCurrentIndex(combo.findData("ru"))
        combo.activated.emit(combo.currentIndex())
        assert i18n.current_language() == "ru"
    finally:
        i18n.set_language("en")


def test_the_look_applies_and_is_kept_for_the_next_start(
    qtbot: Any, dialog: SettingsDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from x2desk.ui.app import THEME_KEY, saved_theme

    monkeypatch.delenv(theme.THEME_ENV, raising=False)
    combo = dialog.general.theme
    assert combo.currentData() == "system"
    try:
        combo.setCurrentIndex(combo.findData("dark"))
        combo.activated.emit(combo.currentIndex())
        assert theme.colors() is theme.DARK
        assert make_settings().value(THEME_KEY) == "dark"
        assert saved_theme(make_settings()) is True
    finally:
        theme.apply(ensure_app(), dark=False)


def test_preferences_are_saved(qtbot: Any, dialog: SettingsDialog) -> None:
    general = dialog.general
    assert general.confirm.isChecked()  # the default: ask
    general.confirm.setChecked(False)
    qtbot.waitUntil(lambda: load_settings().confirm_rotation is False, timeout=3000)
    general.mirror.setChecked(True)
    qtbot.waitUntil(lambda: load_settings().camera_mirror is True, timeout=3000)
    assert dialog.general.ctx.camera_mirror is True  # the camera page's next start
    region = general.region
    region.setCurrentIndex(region.findData("RU"))
    region.activated.emit(region.currentIndex())
    qtbot.waitUntil(lambda: load_settings().phone_region == "RU", timeout=3000)


def test_addresses_are_checked_and_kept_per_profile(qtbot: Any, dialog: SettingsDialog) -> None:
    profiles.add_profile("bakery", "Corner bakery")
    dialog.open_at_start(ADDRESSES)
    page = dialog.addresses
    qtbot.waitUntil(lambda: page.profile.count() == 2, timeout=3000)
    assert page.profile.currentData() == "default"
    edit = page.edits["provider"]
    edit.setText("http://provider.example.com/v2")
    assert not page.save_button.isEnabled()
    assert "only https://" in page.hints["provider"].text()
    edit.setText("http://127.0.0.1:8080/v2")  # this computer: allowed
    assert page.save_button.isEnabled()
    edit.setText("https://provider.example.com/v2/")
    assert page.save_button.isEnabled() and "OK" in page.hints["provider"].text()
    page.profile.setCurrentIndex(page.profile.findData("bakery"))
    page.profile.activated.emit(page.profile.currentIndex())
    qtbot.waitUntil(lambda: edit.text() == "", timeout=3000)  # its own, none yet
    edit.setText("https://bakery.example.com/v2")
    with qtbot.waitSignal(dialog.addresses_changed, timeout=3000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert profiles.profile_addresses("bakery") == {"provider": "https://bakery.example.com/v2"}
    assert profiles.profile_addresses("default") == {}  # the other profile's are its own


def test_check_this_computer_shows_doctor_s_report(qtbot: Any, dialog: SettingsDialog) -> None:
    dialog.open_at_start(COMPUTER)
    page = dialog.computer
    qtbot.waitUntil(lambda: page.data_path.text() != "", timeout=3000)
    assert page.logs_path.text().endswith("logs")
    assert "keyring" in page.secrets.text()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.results is not None, timeout=5000)
    table = page.table
    assert table.rowCount() == 3 and table.isVisible()
    assert [table.item(i, 0).text() for i in range(3)] == ["works", "warning", "works"]
    assert table.item(1, 2).text() == "no camera found"
    assert "Everything x2desk needs works" in page.summary.text()
    assert "Cameras" in page.summary.text()


def test_the_real_doctor_runs_in_a_worker(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from x2desk.commands import doctor
    from x2desk.ui.settings.computer import ComputerPage

    # doctor's own checks, but not the slow ones (the Qt probe starts a process; cameras)
    monkeypatch.setattr(doctor, "CHECKS", [doctor.check_python, doctor.check_data_folder])
    ensure_app()
    page = ComputerPage()
    qtbot.addWidget(page)
    page.show()
    page.check()
    assert page.busy.isVisible()  # the window goes on meanwhile
    qtbot.waitUntil(lambda: page.results is not None, timeout=10000)
    names = {c.name for c in page.results or []}
    assert {"Python", "Data folder"} <= names
