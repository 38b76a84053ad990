"""The provider's drivers built from a flow id (:func:`make_driver`, for the GUI and the CLI) and
the one recording of a finished login (:func:`record_login`), with its outcome, against the
sandbox over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from x2desk.core.accounts.client import ConnectionsClient
from x2desk.core.accounts.drivers import (
    MaxCodeDriver,
    OdnoklassnikiDriver,
    TelegramBotDriver,
    TelegramCodeDriver,
    TelegramQrDriver,
    WhatsAppDriver,
    make_driver,
    record_login,
)
from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError
from x2desk.core.kinds import FLOWS, KINDS, Service
from x2desk.core.saving import Outcome, record_connection
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession, State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.records import open_records
from x2desk.sandbox.phone import SandboxPhone

BOT_TOKEN = "123456789:" + "C" * 35


@pytest.fixture
def client(sandbox: Any, phone: SandboxPhone, fake_clock: FakeClock) -> Iterator[ConnectionsClient]:
    key = Secret(phone.provider_key())
    with ConnectionsClient(sandbox.url + "/v2", key, wall_time=fake_clock.time) as c:
        yield c


def run_code_login(
    client: ConnectionsClient, phone: SandboxPhone, fake_clock: FakeClock, **kw: Any
) -> LoginSession:
    driver = make_driver("telegram_code", client, phone="+44 20 7946 0958", **kw)
    scheduler = ManualScheduler(fake_clock)
    session = LoginSession(driver, clock=fake_clock, scheduler=scheduler)
    session.start()
    scheduler.run_due()
    session.submit_code(Secret(phone.code(driver.session_id)))  # type: ignore[attr-defined]
    scheduler.run_due()
    assert session.state is State.CONNECTED, session.snapshot().text
    return session


def test_make_driver_builds_each_provider_flow(client: ConnectionsClient) -> None:
    built = {
        "telegram_qr": make_driver("telegram_qr", client),
        "telegram_code": make_driver("telegram_code", client, phone="+442079460958"),
        "max_code": make_driver("max_code", client, phone="+79001234567"),
        "whatsapp": make_driver("whatsapp", client),
        "telegram_bot": make_driver("telegram_bot", client, secret=Secret(BOT_TOKEN)),
        "odnoklassniki": make_driver("odnoklassniki", client, secret=Secret("okkey-0001")),
    }
    kinds = {TelegramQrDriver, TelegramCodeDriver, MaxCodeDriver, WhatsAppDriver}
    kinds |= {TelegramBotDriver, OdnoklassnikiDriver}
    assert {type(d) for d in built.values()} == kinds
    provider_flows = [f.id for f in FLOWS.values() if KINDS[f.kind].service is Service.ACCOUNTS]
    assert sorted(built) == sorted(provider_flows)  # one driver per flow of the table
    assert all(d.flow == flow for flow, d in built.items())
    assert all(d.outcome is Outcome.CONNECTED for d in built.values())
    reauth = make_driver("telegram_qr", client, connection_id=7)
    assert reauth.outcome is Outcome.REAUTHORISED


def test_make_driver_refuses_before_sending(client: ConnectionsClient, phone: SandboxPhone) -> None:
    with pytest.raises(InputError):
        make_driver("telegram_bot", client)  # no token
    with pytest.raises(InputError, match=r"\+"):
        make_driver("max_code", client, phone="2079460958")
    with pytest.raises(InputError, match="Unknown"):
        make_driver("greenapi_qr", client)  # not the provider's
    assert phone.requests() == []


def test_a_login_is_recorded_connected_then_reauthorised(
    client: ConnectionsClient, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    first = run_code_login(client, phone, fake_clock, name="Sales")
    record = record_login(first)
    assert record is not None and record.kind == "telegram" and record.name == "Sales"
    assert record.outcome == "connected" and record.flow == "telegram_code"
    assert record.api_base == client.base_url
    conn_id = first.snapshot().result.id
    again = run_code_login(client, phone, fake_clock, connection_id=conn_id)
    same = record_login(again)
    assert same is not None and same.id == record.id and same.outcome == "reauthorised"
    with open_records() as records:
        events = [(e.flow, e.outcome) for e in records.history(record.id)]
    assert events == [("telegram_code", "connected"), ("telegram_code", "reauthorised")]


def test_nothing_is_recorded_before_the_end(
    client: ConnectionsClient, fake_clock: FakeClock
) -> None:
    scheduler = ManualScheduler(fake_clock)
    session = LoginSession(make_driver("telegram_qr", client), fake_clock, scheduler)
    session.start()
    scheduler.run_due()
    assert session.state is State.WAITING_FOR_QR
    assert record_login(session) is None
    with open_records() as records:
        assert records.list() == []


def test_record_connection_takes_only_the_vocabulary() -> None:
    with pytest.raises(TypeError, match="Outcome"):
        record_connection("telegram", 1, flow="telegram_qr", outcome="authorized")  # type: ignore[arg-type]
    record = record_connection("greenapi", "1101", flow="greenapi_qr", outcome=Outcome.REPAIRED)
    assert record.outcome == "repaired"
