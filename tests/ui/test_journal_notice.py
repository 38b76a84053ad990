"""At start the window says what an earlier run left unfinished (the journal's findings, issue
17): once, from a worker, as a calm notice on the home view with what to do, never a secret."""

from __future__ import annotations

from typing import Any

from helpers import all_text

from x2desk.core.secret import Secret
from x2desk.core.store.audit import Audit, Finding
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.journal import open_journal
from x2desk.core.store.records import open_records
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.home.journal import SHOWN_AT_MOST, JournalNotice, notice_text


def started_window(qtbot: Any) -> tuple[Any, JournalNotice]:
    """The window as it starts (the records after the first paint), and its journal notice
    once the findings are in."""
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    win = MainWindow(AppContext(), load_now=False)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.first_painted, timeout=5000):
        win.show()
    notice = win.home.journal
    assert notice is not None
    qtbot.waitUntil(lambda: notice.count is not None, timeout=10000)
    return win, notice


TOKEN = "fc6e2368-b677-430d-9f2f-295ce705c9d0"
BOT_TOKEN = "5282937401:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_the_home_view_shows_what_an_earlier_run_left_unfinished(qtbot: Any) -> None:
    with open_journal() as journal:
        journal.begin("x2chat_bot", "redeem", token=TOKEN)  # killed before the answer
        half = journal.begin("x2chat_bot", "redeem", token=TOKEN)
        journal.answered(half, 88)
        KeyringStore().save("x2chat_bot:88", Secret(BOT_TOKEN))
        journal.saved(half, "x2chat_bot:88")  # saved, killed before the record
    win, notice = started_window(qtbot)
    assert notice.count == 2
    assert notice.isVisible() and notice.banner.tone == "info"  # calm: not an error
    text = notice.banner.text()
    assert "new integration QR" in text  # what to do
    assert "record was not written" in text and "Connect the X2Chat bot again" in text
    assert TOKEN not in all_text(win) and BOT_TOKEN not in all_text(win)
    notice.hide_button.click()
    assert not notice.isVisible()
    win.home.check_journal()  # once: not again
    qtbot.wait(50)
    assert not notice.isVisible()
    win.close()


def test_nothing_unfinished_shows_nothing(qtbot: Any) -> None:
    with open_records() as records:
        records.upsert("x2chat_bot", 5, name="shop_bot")  # no secret ref: nothing missing
    win, notice = started_window(qtbot)
    assert notice.count == 0 and not notice.isVisible()
    win.close()


def test_many_findings_are_counted_and_untrusted_text_is_escaped() -> None:
    finding = Finding("unfinished", "whatsapp", "Connection \x1b[2Jx was created.", "Attach it.")
    result = Audit(findings=[finding] * (SHOWN_AT_MOST + 2))
    lines = notice_text(result).splitlines()
    assert len(lines) == SHOWN_AT_MOST + 1
    assert "\x1b" not in lines[0] and lines[0].startswith("• Connection")
    assert "2 more" in lines[-1] and "x2desk doctor" in lines[-1]
    assert notice_text(Audit()) == ""
