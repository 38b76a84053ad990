"""Batch pairing in the window against the sandbox, on a fake clock: a CSV file of three
instances (and a bad line, said with its number), each paired in turn by its own QR, one
skipped and retried; the tokens go to the keyring, the file is not copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.core.greenapi.batch import RowState
from x2desk.core.greenapi.client import read_qr_png
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.status import Status
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.batch import BatchView


def write_csv(path: Path, infos: list[dict[str, Any]]) -> Path:
    lines = ["idInstance,apiTokenInstance,apiUrl,label"]
    for n, info in enumerate(infos, start=1):
        lines.append(f"{info['idInstance']},{info['apiTokenInstance']},,Shop {n}")
    lines.append("12345,too-short,,Broken")
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


class Batch:
    def __init__(self, qtbot: Any, view: BatchView, manual: ManualScheduler) -> None:
        self.qtbot, self.view, self.manual = qtbot, view, manual

    def until(self, condition: Any, step_s: float = 0.0, limit: int = 40) -> None:
        for _ in range(limit):
            if step_s:
                self.manual.advance(step_s)
            else:
                self.manual.run_due()
            self.qtbot.wait(1)
            try:
                self.qtbot.waitUntil(condition, timeout=200)
                return
            except self.qtbot.TimeoutError:
                continue
        raise AssertionError("never happened")

    def scan(self, phone: SandboxPhone) -> None:
        self.until(self.view.qr.has_qr, step_s=1)
        png = self.view.qr.shown_png
        assert png is not None
        phone.scan(read_qr_png(png) or "")


def test_a_batch_pairs_each_instance_in_turn_with_skip_and_retry(
    qtbot: Any,
    sandbox: Any,
    phone: SandboxPhone,
    fake_clock: FakeClock,
    manual: ManualScheduler,
    tmp_path: Path,
    x2desk_home: Path,
) -> None:
    ensure_app()
    infos = [phone.greenapi_instance() for _ in range(3)]
    csv = write_csv(tmp_path / "instances.csv", infos)
    view = BatchView(
        AppContext.for_sandbox(sandbox.url),
        clock=fake_clock,
        scheduler_factory=lambda: manual,
        interval_s=5.0,
        countdown_ms=3_600_000,
    )
    qtbot.addWidget(view)
    view.resize(1000, 760)
    view.show()
    view.start()
    b = Batch(qtbot, view, manual)
    view.load(csv)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=5000)
    assert "Line 5" in view.banner.text() and "too-short" not in view.banner.text()
    rows = view.table.rows
    assert [r.label for r in rows] == ["Shop 1", "Shop 2", "Shop 3"]
    assert rows[0].state is RowState.PAIRING and view.row is rows[0]
    assert view.table.item(0, 3).text() == "pairing now"

    b.scan(phone)  # the first: its QR, scanned
    b.until(lambda: rows[0].state is RowState.DONE, step_s=5)
    b.until(lambda: view.row is rows[1])
    assert view.table.item(0, 3).text() == "paired"
    qtbot.mouseClick(view.skip_button, Qt.MouseButton.LeftButton)  # the second: later
    assert rows[1].state is RowState.SKIPPED and view.row is rows[2]
    b.scan(phone)
    b.until(lambda: rows[2].state is RowState.DONE, step_s=5)
    assert view.pairing is None and "Done: 2 paired" in view.idle.text()
    assert "2 paired, 0 failed, 1 skipped, 0 waiting" in view.summary.text()

    view.table.selectRow(1)
    assert view.retry_button.isEnabled()
    qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    assert view.row is rows[1] and rows[1].state is RowState.PAIRING
    b.scan(phone)
    b.until(lambda: rows[1].state is RowState.DONE, step_s=5)
    assert "3 paired" in view.summary.text()

    with RecordStore.open() as records:
        saved = {r.external_id: r for r in records.list("greenapi")}
    for n, info in enumerate(infos, start=1):
        record = saved[str(info["idInstance"])]
        assert record.display_label == f"Shop {n}" and record.status is Status.WORKS
        token = KeyringStore().load(record.secret_ref or "")
        assert token is not None and token.reveal() == info["apiTokenInstance"]
    for path in x2desk_home.rglob("*"):  # the file was read, never copied
        if path.is_file():
            data = path.read_bytes()
            assert all(info["apiTokenInstance"].encode() not in data for info in infos), path
    with qtbot.waitSignal(view.closed):
        qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 0 and view.records is None


def test_a_file_others_can_read_is_refused_saying_how(
    qtbot: Any, sandbox: Any, phone: SandboxPhone, tmp_path: Path
) -> None:
    ensure_app()
    csv = write_csv(tmp_path / "open.csv", [phone.greenapi_instance()])
    csv.chmod(0o644)
    view = BatchView(AppContext.for_sandbox(sandbox.url))
    qtbot.addWidget(view)
    view.load(csv)
    qtbot.waitUntil(lambda: view.banner.tone == "error", timeout=5000)
    assert "chmod 600" in view.banner.text() and view.table.rowCount() == 0
    assert view.import_button.isEnabled()
