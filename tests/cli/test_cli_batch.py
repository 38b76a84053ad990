"""``x2desk connect green-api --batch FILE``: a CSV of instances paired one after another against
the sandbox over HTTP; each QR drawn in turn and scanned by a fake phone; a failure retried."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from x2desk import cli
from x2desk.commands import connect_greenapi
from x2desk.commands.connect_batch import BatchTerminal
from x2desk.commands.session_loop import Runtime
from x2desk.core.clock import FakeClock
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.status import Status
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


class PhoneTerminal(BatchTerminal):
    """Scans each QR drawn, but not for the instances in ``refuse`` (their phone is off)."""

    def __init__(self, phone: SandboxPhone) -> None:
        super().__init__(out=io.StringIO(), err=io.StringIO())
        self.phone = phone
        self.drawn: list[str] = []
        self.refuse: set[str] = set()
        self.choices: list[str] = []
        self.phone_ids: list[str] = []
        self.limited = ""

    @property
    def interactive(self) -> bool:
        return True

    def show_qr(self, payload: str | None) -> None:
        super().show_qr(payload)
        assert payload is not None
        self.drawn.append(payload)
        instance = next(i for i in self.phone_ids if payload.endswith(i))
        if instance in self.refuse:
            self.refuse.discard(instance)
            self.limited = instance
            self.phone.greenapi_control(int(instance), state="yellowCard")
            return
        self.phone.scan(payload)

    def after_failure(self) -> str:
        assert self.limited, self.said
        self.phone.greenapi_control(int(self.limited), state="notAuthorized")  # the limit lifted
        return self.choices.pop(0)

    @property
    def said(self) -> str:
        assert isinstance(self.err, io.StringIO)
        return self.err.getvalue()


def test_a_batch_pairs_each_instance_in_turn_and_retries_a_failure(
    sandbox: SandboxServer,
    fake_clock: FakeClock,
    phone: SandboxPhone,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made: list[dict[str, Any]] = [phone.greenapi_instance() for _ in range(3)]
    ids = [str(m["idInstance"]) for m in made]
    csv_file = tmp_path / "instances.csv"
    csv_file.write_text(
        "idInstance,apiTokenInstance,apiUrl,label\n"
        + "".join(
            f"{m['idInstance']},{m['apiTokenInstance']},,Shop {i}\n" for i, m in enumerate(made)
        )
        + "12x,short,,\n"
    )
    os.chmod(csv_file, 0o600)
    term = PhoneTerminal(phone)
    term.phone_ids = ids
    term.refuse = {ids[1]}
    term.choices = ["retry"]
    args = cli.build_parser().parse_args(
        ["connect", "green-api", "--sandbox-url", sandbox.url, "--batch", str(csv_file)]
    )
    scheduler = ManualScheduler(fake_clock)

    def wait(_changed: threading.Event) -> None:
        scheduler.advance(1.0)

    code = connect_greenapi.run(args, term=term, runtime=Runtime(fake_clock, scheduler, wait))
    out = capsys.readouterr().out
    assert code == 0, term.said
    assert "Line 5:" in term.said and "3 instances read" in term.said
    assert "[2/3] Green-API instance" in term.said and "yellow card" in term.said
    assert term.drawn[0].endswith(ids[0])  # in the file's order, each QR in turn
    assert [next(i for i in ids if d.endswith(i)) for d in term.drawn] == [
        ids[0],
        ids[1],
        ids[1],
        ids[2],
    ]
    assert out.count("done") == 3
    with RecordStore.open() as records:
        saved = {r.external_id: r for r in records.list()}
    assert {saved[i].status for i in ids} == {Status.WORKS}
    assert saved[ids[1]].display_label == "Shop 1"
    for m in made:
        assert m["apiTokenInstance"] not in out + term.said


def test_batch_and_instance_do_not_go_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["connect", "green-api", "--batch", "x.csv", "--instance", "1101"])
    assert code == 2 and "--batch reads the instances" in capsys.readouterr().err
    code = cli.main(["connect", "green-api"])
    assert code == 2 and "--batch FILE" in capsys.readouterr().err
