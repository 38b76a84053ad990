"""Profiles from the window: switching shows the other business's own list and names it in the
title; profiles are added, renamed and removed from a dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from x2desk.core import profiles
from x2desk.core.store.records import RecordStore
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.main_window import MainWindow


def top(qtbot: Any, name: str) -> Any:
    def found() -> QWidget | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()),
            None,
        )

    qtbot.waitUntil(lambda: found() is not None, timeout=3000)
    return found()


def window(qtbot: Any) -> MainWindow:
    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.home.loading and bool(win.home.profile), timeout=5000)
    return win


def test_one_profile_alone_is_not_named_in_the_title(qtbot: Any) -> None:
    win = window(qtbot)
    assert win.windowTitle() == "x2desk"
    assert win.home.body.profiles.combo.currentText() == "Default"
    win.close()


def test_switching_shows_the_other_profile_s_own_list(qtbot: Any) -> None:
    with RecordStore.open() as records:
        records.upsert("telegram", 1, label="Flower shop Telegram")
    profiles.add_profile("bakery", "Corner bakery")
    profiles.set_session_profile("bakery")
    with RecordStore.open() as records:
        records.upsert("whatsapp", 2, label="Bakery WhatsApp")
    profiles.set_session_profile(None)
    win = window(qtbot)
    home = win.home
    assert [r.label for r in home.rows] == ["Flower shop Telegram"]
    assert win.windowTitle() == "Default — x2desk"
    combo = home.body.profiles.combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Default", "Corner bakery"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the keyboard's way to the next profile
    qtbot.waitUntil(lambda: home.profile == "bakery" and not home.loading, timeout=5000)
    assert [r.label for r in home.rows] == ["Bakery WhatsApp"]
    assert win.windowTitle() == "Corner bakery — x2desk"
    assert profiles.active_profile() == "bakery"
    profiles.set_session_profile(None)
    assert profiles.active_profile() == "bakery"  # remembered for the next start
    win.close()


def test_profiles_are_added_renamed_and_removed(qtbot: Any) -> None:
    win = window(qtbot)
    qtbot.mouseClick(win.home.body.profiles.manage, Qt.MouseButton.LeftButton)
    dlg = top(qtbot, "profilesDialog")
    assert not dlg.remove_button.isEnabled()  # the default one stays
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    new = top(qtbot, "newProfileDialog")
    new.name.setText("Not a name!")
    qtbot.mouseClick(new.ok, Qt.MouseButton.LeftButton)
    assert new.isVisible() and "cannot be a profile's name" in new.banner.text()
    new.name.clear()
    new.name.setModified(False)
    qtbot.keyClicks(new.title, "Night shop")
    assert new.name.text() == "night-shop"  # suggested from the title
    qtbot.mouseClick(new.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "added" in dlg.banner.text(), timeout=3000)
    qtbot.waitUntil(lambda: dlg.list.count() == 2, timeout=3000)
    assert [p.name for p in profiles.list_profiles()] == ["default", "night-shop"]
    assert win.home.body.profiles.combo.count() == 2
    dlg.list.setCurrentRow(1)
    qtbot.mouseClick(dlg.rename_button, Qt.MouseButton.LeftButton)
    rename = top(qtbot, "renameDialog")
    rename.edit.setText("Night kiosk")
    qtbot.mouseClick(rename.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: profiles.get_profile("night-shop").title == "Night kiosk", timeout=3000)
    qtbot.waitUntil(lambda: "Night kiosk" in dlg.list.item(1).text(), timeout=3000)
    dlg.list.setCurrentRow(1)
    qtbot.mouseClick(dlg.remove_button, Qt.MouseButton.LeftButton)
    sure = top(qtbot, "removeProfileDialog")
    assert "stay at their services" in sure.findChild(QWidget, "removeProfileWarning").text()
    qtbot.mouseClick(sure.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "removed" in dlg.banner.text(), timeout=3000)
    assert [p.name for p in profiles.list_profiles()] == ["default"]
    dlg.close()
    win.close()
