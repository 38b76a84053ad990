"""The choices a Green-API pairing offers, made through its own methods (the GUI and the CLI
reach into nothing), against the sandbox over loopback: keep an already authorised instance, log
it out and pair again, and save the token again after the store failed (the same store fixed,
another one, or the encrypted file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import MemoryStore

from x2desk.core.clock import FakeClock
from x2desk.core.greenapi.client import GreenApiClient, read_qr_png
from x2desk.core.greenapi.pairing import (
    ACTION_KEEP,
    ACTION_LOG_OUT_AND_PAIR,
    ACTION_SAVE_AGAIN,
    GreenApiPairing,
)
from x2desk.core.secret import Secret
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.credentials import open_credential_store, secret_ref
from x2desk.core.store.records import open_records
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

PASSPHRASE = "a long enough passphrase"


class Instance:
    """A sandbox instance, its client and a scheduler run by hand on the sandbox's clock."""

    def __init__(self, sandbox: SandboxServer, clock: FakeClock) -> None:
        self.clock = clock
        self.phone = SandboxPhone(sandbox.url)
        info = self.phone.greenapi_instance()
        self.id = str(info["idInstance"])
        self.token = str(info["apiTokenInstance"])
        self.client = GreenApiClient(sandbox.url, self.id, Secret(self.token))
        self.scheduler = ManualScheduler(clock)
        self.pairings: list[GreenApiPairing] = []

    def pairing(self, **kwargs: Any) -> GreenApiPairing:
        pairing = GreenApiPairing(self.client, clock=self.clock, scheduler=self.scheduler, **kwargs)
        self.pairings.append(pairing)
        pairing.start()
        self.scheduler.run_due()
        return pairing

    def scan(self, pairing: GreenApiPairing) -> None:
        png = pairing.snapshot().qr_image
        assert png is not None, pairing.snapshot().text
        payload = read_qr_png(png)
        assert payload is not None
        self.phone.scan(payload)
        self.scheduler.advance(5)

    def record(self) -> Any:
        with open_records() as records:
            record = records.find("greenapi", self.id)
            assert record is not None
            return record, [(e.flow, e.outcome) for e in records.history(record.id)]

    def close(self) -> None:
        for pairing in self.pairings:
            pairing.cancel()
        self.client.close()
        self.phone.close()


@pytest.fixture
def instance(sandbox: SandboxServer, fake_clock: FakeClock) -> Iterator[Instance]:
    it = Instance(sandbox, fake_clock)
    yield it
    it.close()


def test_keep_an_already_authorised_instance(instance: Instance) -> None:
    first = instance.pairing()
    instance.scan(first)
    assert first.snapshot().state is State.CONNECTED
    again = instance.pairing()
    snap = again.snapshot()
    assert snap.state is State.FAILED and {ACTION_KEEP, ACTION_LOG_OUT_AND_PAIR} <= snap.actions
    assert not again.save_again()  # not what is on offer
    assert again.keep()
    instance.scheduler.run_due()
    snap = again.snapshot()
    assert snap.state is State.CONNECTED and snap.result.kept
    assert instance.phone.state()["instances"][instance.id]["state"] == "authorized"
    _record, events = instance.record()
    assert events == [("greenapi_qr", "connected"), ("greenapi_keep", "connected")]
    assert not again.keep()  # once connected, nothing more is offered


def test_log_out_and_pair_again_with_a_new_qr(instance: Instance) -> None:
    instance.scan(instance.pairing())
    again = instance.pairing()
    assert again.log_out_and_pair()
    instance.scheduler.run_due()
    assert again.snapshot().state is State.LOADING  # logged out: the instance restarts
    instance.scheduler.advance(5)
    assert again.snapshot().state is State.WAITING_FOR_QR
    instance.scan(again)
    assert again.snapshot().state is State.CONNECTED and not again.snapshot().result.kept


def test_the_store_fails_then_the_token_is_saved_again_elsewhere(instance: Instance) -> None:
    broken = MemoryStore(fail=True)
    pairing = instance.pairing(credentials=broken)
    instance.scan(pairing)
    snap = pairing.snapshot()
    assert snap.state is State.FAILED and snap.error_key == "store_error"
    assert pairing.store_failed and ACTION_SAVE_AGAIN in snap.actions
    assert ACTION_KEEP not in snap.actions
    fixed = MemoryStore()
    assert pairing.save_again(fixed)
    instance.scheduler.run_due()
    assert pairing.snapshot().state is State.CONNECTED
    assert fixed.items[secret_ref("greenapi", instance.id)].reveal() == instance.token
    assert broken.items == {} and not pairing.store_failed


def test_the_encrypted_file_takes_the_token_when_the_store_fails(instance: Instance) -> None:
    pairing = instance.pairing(credentials=MemoryStore(fail=True))
    instance.scan(pairing)
    assert pairing.store_failed
    store = pairing.use_file_store(Secret(PASSPHRASE))  # blocking: a worker's job in the GUI
    instance.scheduler.run_due()
    assert pairing.snapshot().state is State.CONNECTED
    reopened = open_credential_store(passphrase=Secret(PASSPHRASE))  # the file is the choice now
    assert reopened.load(secret_ref("greenapi", instance.id)) == Secret(instance.token)
    assert store.description == reopened.description
    record, _events = instance.record()
    assert record.secret_ref == secret_ref("greenapi", instance.id)


def test_an_instance_not_yet_paired_offers_no_choice(instance: Instance) -> None:
    pairing = instance.pairing()
    assert pairing.snapshot().state is State.WAITING_FOR_QR
    assert not pairing.keep() and not pairing.log_out_and_pair() and not pairing.save_again()
    assert not pairing.store_failed
