"""Checking saved connections against the sandbox over loopback: each kind's answers mapped to a
status with a reason, written to the record and its history; a bot's test message; check all,
paced by an injected clock and wait, cancellable, with progress."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import MemoryStore
from saved_connections import provider_key, saved_bot, saved_instance, saved_provider_connection

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError
from x2desk.core.home.check_all import CheckAll
from x2desk.core.home.checks import Checker
from x2desk.core.secret import Secret
from x2desk.core.status import Status
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


@pytest.fixture
def records(fake_clock: FakeClock) -> Iterator[RecordStore]:
    with RecordStore.open(clock=fake_clock) as store:
        yield store


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def checker(records: RecordStore, store: MemoryStore) -> Iterator[Checker]:
    with Checker(records, store) as made:
        yield made


def test_a_bot_that_answers_works_and_says_where_its_webhook_goes(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
    fake_clock: FakeClock,
) -> None:
    plain, _ = saved_bot(phone, sandbox.url, store, records)
    hooked, _ = saved_bot(phone, sandbox.url, store, records, webhook_url="https://hooks.ex/h")
    fake_clock.advance(30)
    first = checker.check(plain.id)
    assert first.status is Status.WORKS and first.error_key is None
    assert f"@{plain.username}" in (first.reason or "") and "no webhook" in (first.reason or "")
    assert first.checked_at == fake_clock.time()
    second = checker.check(hooked.id)
    assert second.status is Status.WORKS and "hooks.ex" in (second.reason or "")
    assert "/h" not in (second.reason or "")  # the webhook's path may be secret: host only
    saved = records.get(plain.id)
    assert (saved.status, saved.status_reason) == (Status.WORKS, first.reason)
    assert [(e.flow, e.outcome) for e in records.history(plain.id)][-1] == ("check", "works")


def test_a_bot_whose_token_was_rotated_needs_connecting_again(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
) -> None:
    record, issued = saved_bot(phone, sandbox.url, store, records)
    again = phone.issue_token(bot_id=issued["bot_id"])
    from x2desk.core.x2chat.client import X2ChatClient

    with X2ChatClient(f"{sandbox.url}/api/v1") as client:
        client.redeem(again["token"])  # elsewhere: the saved token stops working
    result = checker.check(record.id)
    assert result.status is Status.NEEDS_REAUTH and result.error_key == "invalid_auth"
    assert "X2Chat" in (result.reason or "")


def test_provider_connections_by_their_status_at_the_provider(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
) -> None:
    key = provider_key(phone, sandbox.url, store)
    record = saved_provider_connection(sandbox.url, key, records)
    assert checker.check(record.id).status is Status.WORKS
    phone.set_connection_status(int(record.external_id), "unauthorized")
    assert checker.check(record.id).status is Status.NEEDS_REAUTH
    phone.set_connection_status(int(record.external_id), "waiting")
    result = checker.check(record.id)
    assert result.status is Status.UNPAID and "subscription" in (result.reason or "")
    paths = [r["path"] for r in phone.requests() if r["method"] == "GET"]
    assert paths.count(f"/v2/companies/{record.company_id}/connections/{record.external_id}") == 3


def test_a_refused_provider_key_is_a_failed_check_not_the_connection_s_fault(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
) -> None:
    key = provider_key(phone, sandbox.url, store)
    record = saved_provider_connection(sandbox.url, key, records)
    for ref in list(store.items):
        store.items[ref] = Secret("revoked-key-0000000000")
    with Checker(records, store) as checker:
        result = checker.check(record.id)
    assert result.status is Status.CHECK_FAILED and result.error_key == "invalid_auth"
    assert "API key" in (result.reason or "")
    store.items.clear()
    with Checker(records, store) as checker:
        result = checker.check(record.id)
    assert result.status is Status.CHECK_FAILED and "No API key" in (result.reason or "")


@pytest.mark.parametrize(
    ("state", "status", "said"),
    [
        ("authorized", Status.WORKS, "Authorised"),
        ("notAuthorized", Status.NEEDS_REAUTH, "pair it again"),
        ("sleepMode", Status.CHECK_FAILED, "offline"),
        ("blocked", Status.CHECK_FAILED, "blocked"),
    ],
)
def test_green_api_instances_by_their_state(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
    state: str,
    status: Status,
    said: str,
) -> None:
    record, _ = saved_instance(phone, sandbox.url, store, records, state=state)
    result = checker.check(record.id)
    assert result.status is status and said in (result.reason or "")


def test_failures_are_results_with_a_reason(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
) -> None:
    record, _ = saved_bot(phone, sandbox.url, store, records)
    phone.fault("/api/v1/bot", "status", 500)
    result = checker.check(record.id)
    assert result.status is Status.CHECK_FAILED and result.error_key == "server_error"
    assert "X2Chat" in (result.reason or "")
    gone = records.upsert("greenapi", "1101000077", api_base="http://127.0.0.1:9")
    result = checker.check(gone.id)
    assert result.status is Status.CHECK_FAILED  # no secret saved for it
    assert "connect it again" in (result.reason or "")
    store.items.clear()
    assert "no longer in" in (checker.check(record.id).reason or "")
    token_was = [e for e in records.history(record.id) if e.flow == "check"]
    assert len(token_was) == 2 and all(e.note and "Secret" not in e.note for e in token_was)


def test_a_bot_s_test_message_arrives_and_is_in_the_history(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
) -> None:
    record, issued = saved_bot(phone, sandbox.url, store, records)
    sent = checker.send_test_message(record.id, "hello ✓")
    assert sent.chat_id == issued["chat_id"]
    assert [m["text"] for m in phone.messages(issued["chat_id"])] == ["hello ✓"]
    assert (records.history(record.id)[-1].flow, records.history(record.id)[-1].outcome) == (
        "test_message",
        "sent",
    )
    instance, _ = saved_instance(phone, sandbox.url, store, records)
    with pytest.raises(InputError, match="X2Chat bot"):
        checker.send_test_message(instance.id)


def test_check_all_is_paced_reports_progress_and_stops_when_cancelled(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
    fake_clock: FakeClock,
) -> None:
    made = [saved_instance(phone, sandbox.url, store, records)[0] for _ in range(4)]
    waits: list[float] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        fake_clock.advance(seconds)
        return False

    run = CheckAll.of(checker, interval_s=2.0, clock=fake_clock, wait=wait)
    assert run.total == 4
    seen = []
    for progress in run:
        seen.append((progress.done, progress.total, progress.record_id))
        if progress.done == 3:
            run.cancel()
    assert seen == [(i + 1, 4, made[i].id) for i in range(3)]
    assert waits == [2.0, 2.0]  # between two checks, not before the first
    assert run.counts() == {Status.WORKS: 3}
    assert not [e for e in records.history(made[3].id) if e.flow == "check"]  # never reached
    requests = [r for r in phone.requests() if "getStateInstance" in r["path"]]
    assert len(requests) == 3


def test_check_all_waits_longer_when_a_service_asks_and_skips_the_forgotten(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    records: RecordStore,
    store: MemoryStore,
    checker: Checker,
    fake_clock: FakeClock,
) -> None:
    first, _ = saved_instance(phone, sandbox.url, store, records)
    second, _ = saved_instance(phone, sandbox.url, store, records)
    third, _ = saved_instance(phone, sandbox.url, store, records)
    phone.fault(f"/waInstance{first.external_id}/", "status", 429, retry_after=30)
    waits: list[float] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        fake_clock.advance(seconds)
        return False

    run = CheckAll(
        checker, [first.id, second.id, third.id], interval_s=1.0, clock=fake_clock, wait=wait
    )
    results = []
    for progress in run:
        results.append(progress.result)
        if progress.done == 1:
            records.mark_forgotten(second.id)
    assert results[0] is not None and results[0].error_key == "rate_limited"
    assert results[1] is None and results[2] is not None
    assert waits[0] == 30.0 and waits[1] == 1.0
