"""The home list: rows a person can tell apart (label, status, kind, company, last check; an
icon beside each word), searched, filtered and sorted, read in a worker; 200 rows at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon

from x2desk.core.status import Status
from x2desk.core.store.records import RecordStore
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.home.model import CHECKED, COMPANY, DETAIL_ROLE, KIND, LABEL, STATUS
from x2desk.ui.main_window import MainWindow

KINDS = ["x2chat_bot", "telegram", "whatsapp", "max_personal", "telegram_bot", "greenapi"]


def fill(count: int) -> None:
    """``count`` connections of every kind, every status, some in a company."""
    statuses = list(Status)
    with RecordStore.open() as records:
        for i in range(count):
            kind = KINDS[i % len(KINDS)]
            bot = kind == "x2chat_bot"
            record = records.upsert(
                kind,
                1000 + i,
                label=f"Flower shop {i}" if i % 2 else f"Bakery {i}",
                username=f"shop{i}_bot" if bot else None,
                chat_id=500 + i if bot else None,
                details={} if bot or kind == "greenapi" else {"company_id": 12, "company": "Acme"},
            )
            status = statuses[i % len(statuses)]
            if status is not Status.NOT_CHECKED:
                records.set_status(record.id, status, f"reason {i}")


def window(qtbot: Any) -> MainWindow:
    ensure_app()
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(1300, 760)
    win.show()
    qtbot.waitUntil(lambda: not win.home.loading and win.home.total > 0, timeout=5000)
    return win


def test_each_row_says_what_it_is_and_how_it_is(qtbot: Any) -> None:
    with RecordStore.open() as records:
        bot = records.upsert("x2chat_bot", "77", username="shop_bot", chat_id=92)
        sales = records.upsert(
            "telegram", 3, name="Sales", details={"company_id": 12, "company": "Acme"}
        )
        records.set_status(sales.id, Status.NEEDS_REAUTH, "Logged out at the provider.")
    win = window(qtbot)
    model = win.home.table.model()
    texts = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    # needs attention first: the logged-out account, then the bot nobody checked yet
    assert texts[0][:4] == ["Sales", "needs re-authorisation", "Telegram account", "Acme #12"]
    assert texts[1][:4] == ["@shop_bot", "not checked", "X2Chat bot", "—"]
    assert texts[1][CHECKED] == "never"
    assert model.index(0, LABEL).data(DETAIL_ROLE) == "connection 3"
    assert model.index(1, LABEL).data(DETAIL_ROLE) == "chat 92"
    for row in (0, 1):  # never by colour alone: a sign beside the word, and the word
        for column in (KIND, STATUS):
            icon = model.index(row, column).data(Qt.ItemDataRole.DecorationRole)
            assert isinstance(icon, QIcon) and not icon.isNull()
    assert model.index(0, STATUS).data(Qt.ItemDataRole.ToolTipRole) == (
        "Logged out at the provider."
    )
    spoken = model.index(0, LABEL).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Sales" in spoken and "needs re-authorisation" in spoken and "Acme" in spoken
    assert win.home.body.count.text() == "2 connections"
    assert bot.id in {r.id for r in win.home.rows}
    win.close()


def test_two_hundred_rows_are_searched_filtered_and_sorted(qtbot: Any) -> None:
    fill(200)
    win = window(qtbot)
    home, body = win.home, win.home.body
    assert len(home.rows) == 200 and home.total == 200
    # what a reload costs the GUI thread (one reset, the model's own sort): bench/home_rows.py
    first = body.visible_rows()
    attention = [r.status.attention for r in first]
    assert attention == sorted(attention)  # needs attention first, by default

    header = home.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_mid(header, LABEL))
    labels = [r.label.casefold() for r in body.visible_rows()]
    assert labels == sorted(labels)

    body.filters.search.setText("FLOWER 117")  # every word, any case: 117, 1171, 1173...
    qtbot.waitUntil(lambda: not home.loading and len(home.rows) == 6, timeout=3000)
    assert {r.label for r in home.rows} == {
        f"Flower shop {n}" for n in (117, 171, 173, 175, 177, 179)
    }
    assert body.count.text() == "6 of 200 shown"
    body.filters.search.clear()
    body.filters.kind.setCurrentIndex(body.filters.kind.findData("greenapi"))
    qtbot.waitUntil(lambda: not home.loading and len(home.rows) < 200, timeout=3000)
    assert {r.kind for r in home.rows} == {"greenapi"} and len(home.rows) == 33
    body.filters.show_status(Status.UNPAID)
    qtbot.waitUntil(lambda: not home.loading and len(home.rows) < 33, timeout=3000)
    assert home.rows and {(r.kind, r.status) for r in home.rows} == {("greenapi", Status.UNPAID)}
    body.filters.search.setText("nothing like it")
    qtbot.waitUntil(lambda: not home.loading and not home.rows, timeout=3000)
    assert body.table_stack.currentWidget() is body.no_match  # not the "nothing yet" card
    assert not home.is_empty_state()
    win.close()


def _mid(header: Any, section: int) -> Any:
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_the_company_and_check_columns_fit_their_words(qtbot: Any) -> None:
    fill(12)
    win = window(qtbot)
    table = win.home.table
    metrics = table.fontMetrics()
    model = table.model()
    for column in (STATUS, KIND, COMPANY, CHECKED):
        widest = max(metrics.horizontalAdvance(model.index(r, column).data()) for r in range(12))
        assert table.columnWidth(column) >= widest, column
    assert table.columnWidth(LABEL) >= 230
    win.close()
