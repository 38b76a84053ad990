"""The autopilot's home flow (issue 14), after the flows that connected one of everything: a batch
of three Green-API instances fills the list to a dozen connections of every kind; then check
all, the one that needs re-authorising found and fixed, a rename, an export (the file's mode and
contents checked, then deleted), a forget, and a switch to the other profile and back. Driven
like a person: clicks, keys, the file dialogs typed into.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from x2desk.core.kinds import KINDS, Fix
from x2desk.core.status import Status
from x2desk.i18n import _
from x2desk.ui.autopilot.greenapi import read_page_qr
from x2desk.ui.autopilot.moves import (
    choose_item,
    click_home_row,
    finish,
    fix_words,
    home_rows,
    provider_connections,
    provider_next,
    scan_desktop,
    set_phone_2fa,
    wait_connected,
)
from x2desk.ui.autopilot.runner import Flow, Pilot, StepFailed
from x2desk.ui.autopilot.words import fields, says

PAIR_S = 25.0
_work: dict[str, Any] = {}  # the flow's scratch folder (the CSV, the export), removed at the end


def scratch() -> Path:
    if "dir" not in _work:
        _work["dir"] = Path(tempfile.mkdtemp(prefix="x2desk-autopilot-"))
    return Path(_work["dir"])


def type_file_name(pilot: Pilot, dialog: str, path: Path) -> None:
    """In the file dialog ``dialog``: type the whole path into its name field, Enter (once its
    folder has been read: a list that fills in meanwhile may take the field's text)."""
    pilot.wait_visible(dialog)
    for _attempt in range(3):
        pilot.idle(300)
        pilot.type_text("fileNameEdit", str(path))
        pilot.wait_text("fileNameEdit", lambda t: t == str(path), "the path typed", 3)
        pilot.press("fileNameEdit", Qt.Key.Key_Return)
        try:
            pilot.wait_hidden(dialog, 3)
            return
        except StepFailed:
            continue
    raise StepFailed(f"the file dialog did not take {path.name}")


def dialog_shot(pilot: Pilot, name: str, shot: str) -> None:
    """A screenshot of the dialog ``name`` itself (it is a window of its own)."""
    pilot.idle(30)
    dialog = pilot.wait_visible(name)
    full = f"{pilot.prefix}-{shot}" if pilot.prefix else shot
    pilot.shots.save(dialog, full)


def batch_file(pilot: Pilot) -> Path:
    """Three new instances from the sandbox's console, in a CSV only its owner may read."""
    made = [pilot.phone("make an instance", lambda p: p.greenapi_instance()) for _ in range(3)]
    lines = ["idInstance,apiTokenInstance,apiUrl,label"]
    lines += [
        f"{m['idInstance']},{m['apiTokenInstance']},,Batch shop {n}" for n, m in enumerate(made, 1)
    ]
    path = scratch() / "instances.csv"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    return path


def batch_row(pilot: Pilot, line: int) -> str:
    """The state of the batch's line (0: the first) that its table shows, in any language
    (``pairing``, ``done``, ``skipped``...: a RowState's value; "" when none)."""
    from PySide6.QtWidgets import QTableWidget

    from x2desk.ui.greenapi.batch_table import STATE_WORDS

    table = pilot.visible("batchTable")
    item = table.item(line, 3) if isinstance(table, QTableWidget) else None
    said = item.text() if item is not None else ""
    return next((state.value for state, (word, _s) in STATE_WORDS.items() if _(word) == said), "")


def select_batch_row(pilot: Pilot, line: int) -> None:
    """Click a row of the batch's table."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTableWidget

    table = pilot.control("batchTable")
    if not isinstance(table, QTableWidget):
        raise StepFailed("the batch's list is not a table")
    item = table.item(line, 0)
    if item is None:
        raise StepFailed(f"the batch has no line {line + 1}")
    rect = table.visualItemRect(item)
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    pilot.wait_until(lambda: table.currentRow() == line, f"line {line + 1} selected")


def pair_shown_instance(pilot: Pilot, line: int) -> None:
    """The phone reads the batch's QR off the screen and scans it; the row says paired."""
    scan_desktop(pilot, read_page_qr)  # the phone's camera reads it off the screen
    pilot.wait_until(lambda: batch_row(pilot, line) == "done", f"line {line + 1} paired", PAIR_S)


CHECKED = ("Checked {done} connection: {summary}.", "Checked {done} connections: {summary}.")
EXPORTED = (
    "{label} exported to {path}: {names}. Only you can read the file; hand it over safely and "
    "delete it when it is no longer needed."
)
FORGET_INSTANCE = (
    "x2desk deletes the apiTokenInstance from {store} and takes {label} off the list (its history "
    "stays). The instance stays authorised at Green-API: log it out in the Green-API console if "
    "it should stop."
)
BATCH_SUMMARY = "{done} paired, {failed} failed, {skipped} skipped, {waiting} waiting"


def three_paired(text: str) -> bool:
    """The batch's summary says three paired (whatever comes before it)."""
    said = fields(text, BATCH_SUMMARY)
    return said is not None and said["done"].split()[-1] == "3"


# ---- the steps ------------------------------------------------------------------------------


def batch_of_three(pilot: Pilot) -> None:
    with pilot.step("open batch pairing from the Green-API wizard"):
        path = batch_file(pilot)
        pilot.wait_visible("home")
        pilot.click("connectButton")
        pilot.page("choose")
        pilot.click("choice_greenapi")
        pilot.click("wizardNext")
        pilot.page("greenapi_instance")
        pilot.click("greenapiBatch")
        pilot.wait_visible("greenapiBatch")
    with pilot.step("import the CSV file of three instances"):
        pilot.click("batchImport")
        type_file_name(pilot, "batchFileDialog", path)
        pilot.wait_until(lambda: batch_row(pilot, 0) == "pairing", "the first one pairing")
        path.unlink()  # read once, its tokens in the keyring: the file is no longer needed
    with pilot.step("pair the first, skip the second, pair the third, retry the second"):
        set_phone_2fa(pilot, False)
        read_page_qr(pilot)
        pilot.shot("batch-qr")
        pair_shown_instance(pilot, 0)
        pilot.wait_until(lambda: batch_row(pilot, 1) == "pairing", "the second one pairing")
        pilot.click("batchSkip")
        pilot.wait_until(lambda: batch_row(pilot, 1) == "skipped", "the second one skipped")
        pair_shown_instance(pilot, 2)
        select_batch_row(pilot, 1)
        pilot.click("batchRetry")
        pair_shown_instance(pilot, 1)
        pilot.wait_text("batchSummary", three_paired, "three paired")
        pilot.shot("batch")
        pilot.click("batchClose")
        pilot.wait_visible("home")


def a_dozen_of_every_kind(pilot: Pilot) -> None:
    with pilot.step("a dozen connections of every kind on the list"):
        pilot.wait_until(lambda: len(home_rows(pilot)) >= 12, "a dozen connections")
        rows = home_rows(pilot)
        missing = set(KINDS) - {r.kind for r in rows}
        if missing:
            raise StepFailed(f"no {', '.join(sorted(missing))} on the list")
        pilot.shot("home-full")


def check_all_then_fix(pilot: Pilot) -> None:
    with pilot.step("the provider logs a Telegram account out; check all"):
        accounts = [c for c in provider_connections(pilot).values() if c["type"] == "telegram"]
        if not accounts:
            raise StepFailed("there is no Telegram account to log out")
        conn_id = int(accounts[0]["id"])
        _work["conn"] = conn_id
        pilot.phone(
            "log the account out", lambda p: p.set_connection_status(conn_id, "unauthorized")
        )
        pilot.click("checkAllButton")
        pilot.wait_text("homeBanner", lambda t: says(t, *CHECKED), "check all to end", 60)
        pilot.shot("checked-all")
    with pilot.step("show only what needs re-authorising; fix it"):
        choose_item(pilot, "homeStatusFilter", Status.NEEDS_REAUTH.text)
        row = click_home_row(
            pilot, lambda r: r.kind == "telegram" and r.external_id == str(conn_id), "it"
        )
        if row.status.value != "needs_reauth":
            raise StepFailed(f"the logged-out account says {row.status_text}")
        pilot.shot("needs-reauth")
        pilot.wait_text("fixButton", fix_words(Fix.REAUTHORISE), "Re-authorise…")
        pilot.click("fixButton")
        provider_next(pilot)
        scan_desktop(pilot)
        wait_connected(pilot, "the Telegram account")
        finish(pilot)
    with pilot.step("it works again"):
        choose_item(pilot, "homeStatusFilter", _("All statuses"))
        fixed = click_home_row(
            pilot, lambda r: r.external_id == str(conn_id) and r.kind == "telegram", "it"
        )
        if fixed.status.value != "works":
            raise StepFailed(f"after re-authorising it says {fixed.status_text}")


def rename_export_forget(pilot: Pilot) -> None:
    with pilot.step("rename the WhatsApp account (F2)"):
        click_home_row(pilot, lambda r: r.kind == "whatsapp", "the WhatsApp account")
        pilot.press("connectionsTable", Qt.Key.Key_F2)
        pilot.type_text("renameEdit", "Flower shop WhatsApp")
        pilot.click("renameDialogOk")
        pilot.wait_until(
            lambda: any(r.label == "Flower shop WhatsApp" for r in home_rows(pilot)),
            "the new label",
        )
    with pilot.step("export an X2Chat bot as JSON: a private file with its token"):
        bot = click_home_row(pilot, lambda r: r.kind == "x2chat_bot", "an X2Chat bot")
        pilot.click("exportButton")
        pilot.wait_visible("exportDialog")
        pilot.wait_text("exportWarning", lambda t: "BOT_TOKEN" in t, "what the file holds")
        pilot.click("exportJson")
        dialog_shot(pilot, "exportDialog", "export")
        pilot.click("exportDialogOk")
        target = scratch() / "bot.json"
        type_file_name(pilot, "exportFileDialog", target)
        pilot.wait_text("homeBanner", lambda t: says(t, EXPORTED), "the export written")
        check_export(pilot, target, bot.external_id)
    with pilot.step("forget a batch instance (Delete), after the warning"):
        click_home_row(pilot, lambda r: r.label == "Batch shop 3", "Batch shop 3")
        pilot.press("connectionsTable", Qt.Key.Key_Delete)
        pilot.wait_text("forgetWarning", lambda t: says(t, FORGET_INSTANCE), "what stays")
        dialog_shot(pilot, "forgetDialog", "forget")
        pilot.click("forgetDialogOk")
        pilot.wait_until(
            lambda: all(r.label != "Batch shop 3" for r in home_rows(pilot)), "it off the list"
        )


def check_export(pilot: Pilot, path: Path, bot_id: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o600:
        raise StepFailed(f"the export file's mode is {mode:o}, not 600")
    data = json.loads(path.read_text(encoding="utf-8"))
    if sorted(data) != ["API_BASE", "BOT_TOKEN", "CHAT_ID"]:
        raise StepFailed(f"the export holds {sorted(data)}")
    token = pilot.phone("read the bot's token", lambda p: p.bot_token(bot_id))
    if data["BOT_TOKEN"] != token:
        raise StepFailed("the exported BOT_TOKEN is not the bot's token")
    path.unlink()  # a secret: not left behind


def switch_profiles(pilot: Pilot) -> None:
    with pilot.step("switch to the bakery's profile: its own, empty list"):
        choose_item(pilot, "profileSwitch", _("Corner bakery"))
        pilot.wait_until(lambda: _("Corner bakery") in pilot.window.windowTitle(), "the title")
        pilot.wait_visible("emptyState")
        pilot.shot("other-profile")
    with pilot.step("and back to the flower shop's"):
        choose_item(pilot, "profileSwitch", _("Flower shop"))
        pilot.wait_until(lambda: len(home_rows(pilot)) >= 12, "the flower shop's list")
        pilot.shot("home-end")


def home(pilot: Pilot) -> None:
    try:
        batch_of_three(pilot)
        a_dozen_of_every_kind(pilot)
        check_all_then_fix(pilot)
        rename_export_forget(pilot)
        switch_profiles(pilot)
    finally:
        folder = _work.pop("dir", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


FLOWS = [Flow("home", home, prefix="home")]
