"""Batch pairing: a CSV of Green-API instances checked line by line (errors by line number,
never a token), tokens saved as they are read, then paired one after another against the
sandbox over HTTP (done / failed with the reason / skipped / retried)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import MemoryStore

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError
from x2desk.core.greenapi.batch import BatchQueue, RowState
from x2desk.core.greenapi.client import read_qr_png
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.status import Status
from x2desk.core.store.credentials import secret_ref
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

TOKEN_A = "a1" * 25
TOKEN_B = "b2" * 25


def write_csv(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.fixture
def records(fake_clock: FakeClock) -> Iterator[RecordStore]:
    with RecordStore.open(clock=fake_clock) as store:
        yield store


def test_lines_are_checked_with_their_numbers_and_tokens_saved_as_read(
    tmp_path: Path, records: RecordStore
) -> None:
    store = MemoryStore()
    short = "x" * 10
    text = (
        "idInstance;apiTokenInstance;apiUrl;label\n"
        f"1101000001;{TOKEN_A};https://1101.api.green-api.com;Flower shop\n"
        "\n"
        f"11010x;{TOKEN_B};;\n"
        f"1101000002;{short};;\n"
        f"1101000001;{TOKEN_B};;\n"
        f"1101000003;{TOKEN_B};{TOKEN_A};\n"
        f"1101000004;{TOKEN_B};;{TOKEN_B}\n"
        f"1101000005;{TOKEN_B};http://example.com;\n"
        f"1101000006;{TOKEN_B};;;extra\n"
        f"1101000007;{TOKEN_B}\n"
    )
    queue = BatchQueue.read(write_csv(tmp_path / "b.csv", text), store, records)
    assert [(r.line, r.id_instance, r.label) for r in queue.rows] == [
        (2, "1101000001", "Flower shop"),
        (11, "1101000007", "Green-API 1101000007"),
    ]
    assert [e.line for e in queue.errors] == [4, 5, 6, 7, 8, 9, 10]
    said = "\n".join(e.text for e in queue.errors)
    assert "Line 4:" in said and "already on line 2" in said and "holds no address" in said
    assert "label holds the token" in said and "http" in said
    for token in (TOKEN_A, TOKEN_B, short):
        assert token not in said
    assert set(store.items) == {
        secret_ref("greenapi", "1101000001"),
        secret_ref("greenapi", "1101000007"),
    }
    record = records.get(queue.rows[0].record_id)
    assert (
        record.status is Status.NEEDS_REAUTH and record.api_base == "https://1101.api.green-api.com"
    )
    assert [(e.flow, e.outcome) for e in records.history(record.id)] == [
        ("greenapi_batch", "imported")
    ]
    assert queue.counts() == {RowState.WAITING: 2}


def test_a_file_others_can_read_or_no_csv_at_all_is_refused(
    tmp_path: Path, records: RecordStore
) -> None:
    store = MemoryStore()
    shared = write_csv(tmp_path / "shared.csv", f"1101000001,{TOKEN_A}\n", 0o644)
    with pytest.raises(InputError, match="chmod 600"):
        BatchQueue.read(shared, store, records)
    assert store.items == {}
    assert len(BatchQueue.read(shared, store, records, refuse_shared=False).rows) == 1
    with pytest.raises(InputError, match="does not exist"):
        BatchQueue.read(tmp_path / "missing.csv", store, records)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("1101000001,é\n".encode("latin-1"))
    os.chmod(bad, 0o600)
    with pytest.raises(InputError, match="UTF-8"):
        BatchQueue.read(bad, store, records)


class Pairer:
    """Pairs a queue's rows against the sandbox; the phone scans each QR once (when told)."""

    def __init__(self, url: str, clock: FakeClock, records: RecordStore, store: MemoryStore):
        self.phone = SandboxPhone(url)
        self.clock = clock
        self.records = records
        self.store = store

    def pair(self, queue: BatchQueue, scan: bool) -> RowState:
        row = queue.next()
        assert row is not None
        scheduler = ManualScheduler(self.clock)
        pairing = queue.pairing(
            row, self.store, self.records, clock=self.clock, scheduler=scheduler
        )
        assert row.state is RowState.PAIRING
        try:
            pairing.start()
            scheduler.advance(0)
            if scan:
                image = pairing.snapshot().qr_image
                assert image is not None
                self.phone.scan(read_qr_png(image) or "")
                scheduler.advance(5)
            else:
                self.phone.greenapi_control(int(row.id_instance), state="blocked")
                scheduler.advance(5)
            queue.finish(row, pairing.snapshot(), self.records)
        finally:
            pairing.close()
            pairing.client.close()
        return row.state


def test_rows_are_paired_one_after_another(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    records: RecordStore,
    tmp_path: Path,
) -> None:
    made: list[dict[str, Any]] = [phone.greenapi_instance() for _ in range(3)]
    lines = [
        f"{m['idInstance']},{m['apiTokenInstance']},{sandbox.url},Shop {i}"
        for i, m in enumerate(made)
    ]
    store = MemoryStore()
    queue = BatchQueue.read(write_csv(tmp_path / "b.csv", "\n".join(lines)), store, records)
    pairer = Pairer(sandbox.url, fake_clock, records, store)
    assert pairer.pair(queue, scan=True) is RowState.DONE
    assert pairer.pair(queue, scan=False) is RowState.FAILED
    failed = queue.rows[1]
    assert "blocked" in failed.reason
    queue.skip(queue.rows[2])
    assert queue.next() is None
    assert queue.counts() == {RowState.DONE: 1, RowState.FAILED: 1, RowState.SKIPPED: 1}
    queue.retry(queue.rows[2])
    assert pairer.pair(queue, scan=True) is RowState.DONE and queue.rows[2].attempts == 1
    done = records.get(queue.rows[0].record_id)
    assert done.status is Status.WORKS and done.display_label == "Shop 0"
    history = [(e.flow, e.outcome) for e in records.history(failed.record_id)]
    assert history == [("greenapi_batch", "imported"), ("greenapi_batch", "failed")]
    assert records.get(failed.record_id).status is Status.NEEDS_REAUTH
    pairer.phone.close()
    assert pairing_states(queue) == ["done", "failed", "done"]


def pairing_states(queue: BatchQueue) -> list[str]:
    return [r.state.value for r in queue.rows]
