"""The home's actions on saved connections against the sandbox, through the keys, buttons and
dialogs a person uses: check now, check all (paced, cancellable, with progress), a bot's test
message, rename, forget (also when the keyring fails half way), export (the file's contents and
mode; never the clipboard), details with the history and its CSV."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from saved_connections import provider_key, saved_bot, saved_instance, saved_provider_connection

from x2desk.core.status import Status
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import Record, RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.main_window import MainWindow


@pytest.fixture
def win(qtbot: Any, sandbox: SandboxServer) -> Iterator[MainWindow]:
    ensure_app()
    window = MainWindow(AppContext.for_sandbox(sandbox.url, check_interval_s=0.0))
    qtbot.addWidget(window)
    window.resize(1300, 760)
    window.show()
    yield window
    window.close()


def shown(qtbot: Any, win: MainWindow, count: int) -> None:
    win.home.reload()
    qtbot.waitUntil(lambda: not win.home.loading and len(win.home.rows) == count, timeout=5000)


def key(qtbot: Any, win: MainWindow, record_id: int, key: Qt.Key, mod: Any = None) -> None:
    """Select the connection's row, then press ``key`` on the table (as a person would)."""
    body = win.home.body
    assert body.select(record_id)
    win.activateWindow()  # a dialog that closed gives the window back its keys
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    body.table.setFocus()
    modifier = Qt.KeyboardModifier.NoModifier if mod is None else mod
    qtbot.keyClick(body.table, key, modifier)


def dialog(qtbot: Any, name: str) -> Any:
    def found() -> QWidget | None:
        for w in QApplication.topLevelWidgets():
            if w.objectName() == name and w.isVisible():
                return w
        return None

    qtbot.waitUntil(lambda: found() is not None, timeout=5000)
    return found()


def choose_file(qtbot: Any, name: str, path: Path) -> None:
    dlg = dialog(qtbot, name)
    assert isinstance(dlg, QFileDialog)
    assert dlg.testOption(QFileDialog.Option.DontUseNativeDialog)  # offscreen: Qt's own
    dlg.selectFile(str(path))
    dlg.accept()


def banner(win: MainWindow) -> str:
    return win.home.banner.text()


def record(record_id: int) -> Record:
    with RecordStore.open() as records:
        return records.get(record_id)


def test_f5_checks_a_bot_and_ctrl_t_sends_its_test_message(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    with RecordStore.open() as records:
        bot, _issued = saved_bot(phone, sandbox.url, KeyringStore(), records)
    shown(qtbot, win, 1)
    assert win.home.rows[0].status is Status.NOT_CHECKED
    key(qtbot, win, bot.id, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "works" in banner(win), timeout=5000)
    assert f"@{bot.username}" in banner(win) and "no webhook" in banner(win)
    qtbot.waitUntil(lambda: win.home.rows[0].status is Status.WORKS, timeout=3000)
    assert record(bot.id).checked_at is not None
    assert win.home.body.buttons["testButton"].isEnabled()
    key(qtbot, win, bot.id, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "sent a test message" in banner(win), timeout=5000)
    assert any("x2desk" in m["text"] for m in phone.messages(int(bot.chat_id or 0)))


def test_check_all_goes_through_every_kind_with_progress(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    store = KeyringStore()
    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, store, records)
        conn = saved_provider_connection(
            sandbox.url, provider_key(phone, sandbox.url, store), records
        )
        instance, _made = saved_instance(phone, sandbox.url, store, records)
    phone.set_connection_status(int(conn.external_id), "unauthorized")
    shown(qtbot, win, 3)
    body = win.home.body
    seen: list[int] = []
    qtbot.mouseClick(body.buttons["checkAllButton"], Qt.MouseButton.LeftButton)
    assert body.check_run is not None
    body.check_run.progress.connect(lambda p: seen.append(p.done))
    assert body.progress.isVisible() and not body.buttons["checkAllButton"].isEnabled()
    qtbot.waitUntil(lambda: body.check_run is None, timeout=10000)
    assert not body.progress.isVisible()
    assert seen[-1] == 3
    assert "Checked 3 connections" in banner(win) and "needs re-authorisation: 1" in banner(win)
    qtbot.waitUntil(lambda: not win.home.loading, timeout=3000)
    statuses = {r.id: r.status for r in win.home.rows}
    assert statuses == {
        bot.id: Status.WORKS,
        conn.id: Status.NEEDS_REAUTH,
        instance.id: Status.WORKS,
    }
    assert body.visible_rows()[0].id == conn.id  # needs attention: first


def test_check_all_stops_when_asked(
    qtbot: Any, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    ensure_app()
    win = MainWindow(AppContext.for_sandbox(sandbox.url, check_interval_s=600.0))
    qtbot.addWidget(win)
    win.show()
    with RecordStore.open() as records:
        for _ in range(3):
            saved_bot(phone, sandbox.url, KeyringStore(), records)
    shown(qtbot, win, 3)
    body = win.home.body
    body.check_all()
    run = body.check_run
    assert run is not None
    qtbot.waitUntil(lambda: run.done == 1, timeout=5000)  # then a 10-minute pause
    assert "Checked 1 of 3" in body.progress.text.text()
    with qtbot.waitSignal(run.finished, timeout=3000) as ended:
        qtbot.mouseClick(body.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert ended.args[1] is True  # cancelled, without waiting the pause out
    assert "stopped after 1" in banner(win)
    qtbot.waitUntil(lambda: not win.home.loading, timeout=3000)
    assert len([r for r in win.home.rows if r.checked_at is not None]) == 1
    win.close()


def test_f2_renames_and_an_empty_label_is_refused(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, KeyringStore(), records)
    shown(qtbot, win, 1)
    key(qtbot, win, bot.id, Qt.Key.Key_F2)
    dlg = dialog(qtbot, "renameDialog")
    assert dlg.edit.text() == f"@{bot.username}"
    dlg.edit.setText("   ")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "Type a label" in dlg.banner.text()
    dlg.edit.setText("Flower shop  bot")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.home.rows[0].label == "Flower shop bot", timeout=5000)
    assert "is now Flower shop bot" in banner(win)
    with RecordStore.open() as records:
        assert records.history(bot.id)[-1].flow == "rename"


def test_delete_forgets_a_bot_after_saying_what_stays(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, KeyringStore(), records)
    assert KeyringStore().load(bot.secret_ref or "") is not None
    shown(qtbot, win, 1)
    key(qtbot, win, bot.id, Qt.Key.Key_Delete)
    dlg = dialog(qtbot, "forgetDialog")
    assert "stays at X2Chat" in dlg.findChild(QWidget, "forgetWarning").text()
    assert dlg.cancel.isDefault()  # Enter keeps it
    qtbot.mouseClick(dlg.cancel, Qt.MouseButton.LeftButton)
    assert not record(bot.id).forgotten
    key(qtbot, win, bot.id, Qt.Key.Key_Delete)
    dlg = dialog(qtbot, "forgetDialog")
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.home.rows and not win.home.loading, timeout=5000)
    assert "is forgotten" in banner(win)
    assert record(bot.id).forgotten and KeyringStore().load(bot.secret_ref or "") is None
    assert win.home.is_empty_state()


def test_a_provider_connection_s_forget_says_only_its_support_deletes_it(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    with RecordStore.open() as records:
        key_ = provider_key(phone, sandbox.url, KeyringStore())
        conn = saved_provider_connection(sandbox.url, key_, records)
    shown(qtbot, win, 1)
    key(qtbot, win, conn.id, Qt.Key.Key_Delete)
    text = dialog(qtbot, "forgetDialog").findChild(QWidget, "forgetWarning").text()
    assert "stays at the provider" in text and "only the provider's support" in text


def test_a_keyring_failing_half_way_leaves_keyring_and_records_agreeing(
    qtbot: Any,
    win: MainWindow,
    sandbox: SandboxServer,
    phone: SandboxPhone,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keyring.errors import KeyringLocked

    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, KeyringStore(), records)
    ref = bot.secret_ref or ""
    backend = keyring.get_keyring()

    def locked(service: str, username: str) -> None:
        raise KeyringLocked("locked")

    shown(qtbot, win, 1)
    with monkeypatch.context() as patch:
        patch.setattr(backend, "delete_password", locked)
        key(qtbot, win, bot.id, Qt.Key.Key_Delete)
        qtbot.mouseClick(dialog(qtbot, "forgetDialog").ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "not finished" in banner(win), timeout=5000)
    assert win.home.banner.tone == "error" and "keyring is locked" in banner(win)
    qtbot.waitUntil(lambda: not win.home.loading and win.home.rows[0].forgetting, timeout=3000)
    assert win.home.rows[0].status_text == "forget unfinished"
    half = record(bot.id)
    assert half.forget_left == (ref,) and not half.forgotten  # the record names what is left
    assert KeyringStore().load(ref) is not None  # ...and it is there: they agree

    # the keyring is unlocked again: forget once more to finish
    key(qtbot, win, bot.id, Qt.Key.Key_Delete)
    dlg = dialog(qtbot, "forgetDialog")
    assert dlg.findChild(QWidget, "forgetUnfinished") is not None
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: record(bot.id).forgotten, timeout=5000)
    assert KeyringStore().load(ref) is None and record(bot.id).forget_left == ()
    with RecordStore.open() as records:
        outcomes = [e.outcome for e in records.history(bot.id) if e.flow == "forget"]
    assert outcomes == ["unfinished", "forgotten"]


@pytest.mark.parametrize("fmt", ["env", "json"])
def test_export_writes_a_private_file_after_a_warning_never_the_clipboard(
    qtbot: Any,
    win: MainWindow,
    sandbox: SandboxServer,
    phone: SandboxPhone,
    tmp_path: Path,
    fmt: str,
) -> None:
    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, KeyringStore(), records)
    token = (KeyringStore().load(bot.secret_ref or "") or pytest.fail("no token")).reveal()
    QApplication.clipboard().setText("before")
    shown(qtbot, win, 1)
    key(qtbot, win, bot.id, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dlg = dialog(qtbot, "exportDialog")
    warning = dlg.warning.text()
    assert "BOT_TOKEN, CHAT_ID, API_BASE" in warning and "readable by you only" in warning
    assert "BOT_TOKEN" in dlg.banner.text()  # the secret named again, as a warning
    if fmt == "json":
        qtbot.mouseClick(dlg.json, Qt.MouseButton.LeftButton, pos=dlg.json.rect().topLeft())
        dlg.json.setChecked(True)
    qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
    target = tmp_path / f"shop.{fmt}"
    choose_file(qtbot, "exportFileDialog", target)
    qtbot.waitUntil(lambda: target.is_file() and "exported to" in banner(win), timeout=5000)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    if fmt == "json":
        data = json.loads(text)
        assert data == {"BOT_TOKEN": token, "CHAT_ID": bot.chat_id, "API_BASE": bot.api_base}
    else:
        assert text.splitlines() == [
            f"BOT_TOKEN={token}",
            f"CHAT_ID={bot.chat_id}",
            f"API_BASE={bot.api_base}",
        ]
    assert token not in banner(win)
    assert QApplication.clipboard().text() == "before"
    with RecordStore.open() as records:
        last = records.history(bot.id)[-1]
    assert last.flow == "export" and token not in (last.note or "")
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_enter_shows_details_and_the_history_exports_as_csv(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone, tmp_path: Path
) -> None:
    from x2desk.ui.home.details import DetailsDialog

    store = KeyringStore()
    with RecordStore.open() as records:
        bot, _ = saved_bot(phone, sandbox.url, store, records)
        records.rename(bot.id, "Front desk bot")
        records.set_status(bot.id, Status.WORKS, "Answers.")
    token = (store.load(bot.secret_ref or "") or pytest.fail("no token")).reveal()
    shown(qtbot, win, 1)
    key(qtbot, win, bot.id, Qt.Key.Key_Return)
    dlg = dialog(qtbot, "detailsDialog")
    assert isinstance(dlg, DetailsDialog)
    words = "\n".join(w.text() for w in dlg.findChildren(QWidget) if hasattr(w, "text"))
    assert "Front desk bot" in words and str(bot.chat_id) in words
    assert bot.secret_ref in words and token not in words  # where it is kept, never what
    table = dlg.history
    assert table.rowCount() == 3
    whats = [table.item(i, 1).text() for i in range(3)]
    assert whats[0] == "Checked: works" and whats[1] == "Renamed: renamed"
    assert whats[2] == "Connected by the X2Chat QR: connected"  # the redeem, oldest last
    target = tmp_path / "history.csv"
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    choose_file(qtbot, "historyFileDialog", target)
    qtbot.waitUntil(lambda: dlg.saved_to == target, timeout=5000)
    lines = target.read_text().splitlines()
    assert lines[0] == "time,event,outcome,what,note" and len(lines) == 4
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "3 events saved" in dlg.banner.text()
    dlg.close()


def test_the_fix_of_a_group_is_a_new_key_for_it(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer
) -> None:
    from x2desk.ui.accounts.wizard import AccountsWizard

    with RecordStore.open() as records:
        group = records.upsert(
            "odnoklassniki", 6, name="Our shop", api_base=f"{sandbox.url}/v2",
            details={"company_id": 3},
        )  # fmt: skip
    shown(qtbot, win, 1)
    fix = win.home.body.buttons["fixButton"]
    assert fix.text() == "Change the &key…" and fix.isEnabled()
    key(qtbot, win, group.id, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    accounts = win.router.wizard("accounts")
    assert isinstance(accounts, AccountsWizard) and win.views.currentWidget() is accounts
    assert accounts.kind == "odnoklassniki" and accounts.group.preferred == 6
    assert accounts.frame.current is accounts.provider and accounts.company_id == "3"
    accounts.group.set_groups([("Another (#5)", 5), ("Our shop (#6, active)", 6)])
    assert accounts.group.change_radio.isChecked()
    assert accounts.group.existing.currentData() == 6  # the one the home asked for
    assert accounts.group.target() == 6


def test_a_provider_connection_is_exported_without_the_company_key_unless_asked(
    qtbot: Any, win: MainWindow, sandbox: SandboxServer, phone: SandboxPhone, tmp_path: Path
) -> None:
    store = KeyringStore()
    with RecordStore.open() as records:
        api_key = provider_key(phone, sandbox.url, store)
        conn = saved_provider_connection(sandbox.url, api_key, records)
    shown(qtbot, win, 1)
    for with_key, target in ((False, tmp_path / "plain.env"), (True, tmp_path / "keyed.env")):
        qtbot.mouseClick(win.home.body.buttons["exportButton"], Qt.MouseButton.LeftButton)
        dlg = dialog(qtbot, "exportDialog")
        assert dlg.key_box is not None and not dlg.key_box.isChecked()
        assert "PROVIDER_API_KEY" not in dlg.warning.text() and not dlg.banner.text()
        if with_key:
            dlg.key_box.setChecked(True)
            assert "PROVIDER_API_KEY" in dlg.warning.text()
            assert "PROVIDER_API_KEY" in dlg.banner.text()  # named as a secret
        qtbot.mouseClick(dlg.ok, Qt.MouseButton.LeftButton)
        choose_file(qtbot, "exportFileDialog", target)
        qtbot.waitUntil(target.is_file, timeout=5000)
        values = dict(line.split("=", 1) for line in target.read_text().splitlines())
        assert values["CONNECTION_ID"] == conn.external_id
        assert values["CONNECTION_TYPE"] == "telegram_bot"
        assert values["COMPANY_ID"] == str(conn.company_id)
        assert ("PROVIDER_API_KEY" in values) is with_key
        if with_key:
            assert values["PROVIDER_API_KEY"] == api_key.reveal()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
