"""A redeem that answers 200 with some fields missing or malformed: the handed-over bot token is
kept and saved (the integration token is spent and the old bot token dead), the user is told what
was missing; only an answer without a usable bot token is BadAnswer. Real HTTP to the sandbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import keyring
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import BadAnswer, InputError
from x2desk.core.store.records import RecordStore
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import RedeemFlow, Step, describe_missing
from x2desk.sandbox.faults import FaultBook, FaultError
from x2desk.sandbox.phone import SandboxPhone

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def make_flow(client: X2ChatClient, fake_clock: FakeClock) -> Callable[[], RedeemFlow]:
    return lambda: RedeemFlow(client, clock=fake_clock, confirm_rotation=False)


def partial(phone: SandboxPhone, fields: dict[str, Any] | None = None) -> None:
    body: dict[str, Any] = {"path_prefix": REDEEM, "kind": "partial", "times": 1}
    if fields is not None:
        body["fields"] = fields
    phone._call("POST", "/faults", body)


def redeem(flow: RedeemFlow, phone: SandboxPhone) -> dict[str, Any]:
    issued = phone.issue_token()
    flow.submit(issued["token"])
    flow.redeem()
    return issued


def record_for(bot_id: str) -> Any:
    with RecordStore.open() as records:
        return next(r for r in records.list() if r.external_id == bot_id)


def test_missing_urls_and_bad_username_keep_the_token(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    flow = make_flow()
    partial(phone)  # default: no send_message_url, no getUpdates_url, bot_username = 42
    issued = redeem(flow, phone)
    state = flow.state
    bot_token = phone.bot_token(issued["bot_id"])
    assert state.step is Step.CHECKING and state.stored and state.failure is None
    assert state.bot is not None and state.bot.incomplete
    assert set(state.bot.missing) == {"bot_username", "send_message_url", "getUpdates_url"}
    assert state.bot.chat_id == issued["chat_id"] and state.bot.bot_username == ""
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") == bot_token
    record = record_for(issued["bot_id"])
    assert record.outcome == "connected" and record.chat_id == issued["chat_id"]
    assert set(record.details["incomplete_answer"]) == set(state.bot.missing)
    # the check fills in the username the answer lacked, in the state and in the record
    state = flow.check()
    assert state.step is Step.CHECKED and state.bot is not None
    assert state.bot.bot_username == state.bot_user.username if state.bot_user else False
    assert "bot_username" not in state.bot.missing and state.bot.incomplete
    assert record_for(issued["bot_id"]).username == state.bot.bot_username
    sent = flow.send_test_message("still works")
    assert sent is not None and sent.chat_id == issued["chat_id"]
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("x2desk.core")]
    assert not any(bot_token in m for m in ours)
    assert any("incomplete" in m and "bot_username" in m for m in ours)


def test_missing_chat_id_saves_and_explains_no_test_message(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow()
    partial(phone, {"chat_id": "not-a-number", "send_message_url": None})
    issued = redeem(flow, phone)
    state = flow.state
    assert state.step is Step.CHECKING and state.stored
    assert state.bot is not None and state.bot.chat_id is None
    assert state.bot.missing == ("chat_id", "send_message_url")
    text = describe_missing(state.bot.missing)
    assert "chat_id" in text and "send_message_url" in text and "saved anyway" in text
    assert phone.bot_token(issued["bot_id"]) not in text
    assert flow.check().step is Step.CHECKED
    assert flow.send_test_message() is None
    assert isinstance(flow.state.test_error, InputError)
    assert "chat" in flow.state.test_error.message
    assert phone.messages(issued["chat_id"]) == []
    flow.finish()
    assert flow.state.step is Step.SAVED


def test_missing_bot_id_files_it_under_the_token_number(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow()
    partial(phone, {"bot_id": None, "api_base": "http://example.com/api"})
    issued = redeem(flow, phone)
    state = flow.state
    bot_token = phone.bot_token(issued["bot_id"])
    number = bot_token.split(":")[0]
    assert state.step is Step.CHECKING and state.bot is not None
    assert state.bot.bot_id == number
    assert set(state.bot.missing) == {"bot_id"}
    assert state.bot.api_base == flow.api_base  # never the insecure one handed over
    assert state.bot.api_base_source == "redeem" and "example.com" in state.bot.notes[0]
    assert keyring.get_password("x2desk", f"x2chat_bot:{number}") == bot_token


@pytest.mark.parametrize(
    "fields",
    [{"bot_token": None}, {"bot_token": ""}, {"bot_token": 12345}],
)
def test_no_usable_bot_token_is_bad_answer(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone, fields: dict[str, Any]
) -> None:
    flow = make_flow()
    partial(phone, fields)
    redeem(flow, phone)
    state = flow.state
    assert state.step is Step.FAILED and state.failure is not None
    assert isinstance(state.failure.error, BadAnswer)
    assert "probably spent" in state.failure.message and "new QR" in state.failure.message
    assert state.failure.recovery == "scan_again" and state.failure.token_may_be_spent
    assert not state.stored
    # the recovery: a new QR redeems normally
    flow.scan_again()
    redeem(flow, phone)
    assert flow.state.step is Step.CHECKING and flow.state.bot is not None
    assert not flow.state.bot.incomplete


def test_partial_fault_is_taken_only_by_the_redeem_handler() -> None:
    book = FaultBook()
    book.add({"path_prefix": REDEEM, "kind": "partial"})
    assert book.take(REDEEM) is None  # the server's generic step leaves it alone
    fault = book.take(REDEEM, kinds=("partial",))
    assert fault is not None and fault.fields and "send_message_url" in fault.fields
    assert book.take(REDEEM, kinds=("partial",)) is None
    with pytest.raises(FaultError):
        book.add({"path_prefix": REDEEM, "kind": "partial", "fields": []})
    with pytest.raises(FaultError):
        book.add({"path_prefix": REDEEM, "kind": "status", "value": 500, "fields": {"a": 1}})
