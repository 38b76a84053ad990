"""The redeem flow (no Qt) against the sandbox over 127.0.0.1: every step, every error with its
way forward, and the recovery after it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import keyring
import pytest
from helpers import MemoryStore

from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    AnswerLost,
    CannotConnect,
    InvalidAuth,
    KeyringUnavailable,
    RateLimited,
    ServerError,
    StoreError,
    TokenSpent,
)
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import KeyringStore
from x2desk.core.store.records import RecordStore
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import FlowState, RedeemFlow, Step, WrongStep
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"


def redeem_count(phone: SandboxPhone) -> int:
    return sum(1 for r in phone.requests() if r["path"] == REDEEM)


def keyring_value(bot_id: str) -> str | None:
    return keyring.get_password("x2desk", f"x2chat_bot:{bot_id}")


def to_checking(flow: RedeemFlow, phone: SandboxPhone) -> FlowState:
    flow.submit(phone.issue_token()["deep_link"])
    if flow.state.step is Step.CONFIRM:
        flow.confirm()
    return flow.redeem()


def test_happy_path(make_flow: Callable[..., RedeemFlow], phone: SandboxPhone) -> None:
    flow = make_flow()
    seen: list[Step] = []
    flow.subscribe(lambda s: seen.append(s.step))
    issued = phone.issue_token()

    intake = flow.submit(f"  {issued['deep_link']}  ")
    assert intake.ok and flow.state.step is Step.CONFIRM
    flow.confirm()
    assert flow.state.step is Step.REDEEMING
    state = flow.redeem()
    assert state.step is Step.CHECKING and state.stored and not state.busy
    assert state.bot is not None and state.bot.bot_id == issued["bot_id"]
    token = phone.bot_token(issued["bot_id"])
    assert keyring_value(issued["bot_id"]) == token  # stored before any check
    assert state.bot.token_masked == Secret(token).masked
    assert token not in repr(state)

    state = flow.check()
    assert state.step is Step.CHECKED
    assert state.bot_user is not None and state.bot_user.username == state.bot.bot_username
    assert state.webhook is not None and not state.webhook.is_set
    flow.set_test_text("It works ✓")
    sent = flow.send_test_message()
    assert sent is not None and sent.text == "It works ✓"
    assert [m["text"] for m in phone.messages(issued["chat_id"])] == ["It works ✓"]
    flow.finish()
    assert flow.state.step is Step.SAVED
    assert flow.state.store_description

    with RecordStore.open() as records:
        record = records.get(flow.state.record_id or 0)
    assert record.external_id == issued["bot_id"] and record.chat_id == issued["chat_id"]
    assert record.secret_ref == f"x2chat_bot:{issued['bot_id']}"
    assert seen[:3] == [Step.CONFIRM, Step.REDEEMING, Step.REDEEMING]
    assert seen[-1] is Step.SAVED and Step.CHECKING in seen and Step.CHECKED in seen


def test_confirm_page_can_be_turned_off(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    flow.submit(phone.issue_token()["token"])
    assert flow.state.step is Step.REDEEMING


def test_confirm_setting_is_read_from_settings(client: X2ChatClient) -> None:
    from x2desk.core.store.settings import load_settings, save_settings

    settings = load_settings()
    settings.confirm_rotation = False
    save_settings(settings)
    assert RedeemFlow(client).state.confirm_rotation is False


def test_bad_input_stays_on_intake_and_sends_nothing(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow()
    for text in ("", "hello", "x2chat://webhook/abc", "tg://login?token=abc"):
        intake = flow.submit(text)
        assert not intake.ok
        assert flow.state.step is Step.INTAKE and flow.state.intake == intake
    assert flow.state.intake is not None and "Telegram login" in flow.state.intake.explanation
    with pytest.raises(WrongStep):
        flow.redeem()
    assert redeem_count(phone) == 0


def test_back_and_cancel_before_sending(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow()
    flow.submit(phone.issue_token()["token"])
    flow.back()
    assert flow.state.step is Step.INTAKE
    flow.submit(phone.issue_token()["token"])
    flow.confirm()
    assert flow.cancel() is True
    assert flow.state.step is Step.INTAKE
    with pytest.raises(WrongStep):
        flow.redeem()
    assert redeem_count(phone) == 0


def test_cancel_is_refused_once_sending(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow()
    sending = threading.Event()
    flow.subscribe(lambda s: sending.set() if s.sending else None)
    flow.submit(phone.issue_token()["token"])
    flow.confirm()
    phone.fault(REDEEM, "latency", 0.3)
    worker = threading.Thread(target=flow.redeem)
    worker.start()
    assert sending.wait(5)
    assert flow.cancel() is False
    worker.join(5)
    assert flow.state.step is Step.CHECKING and flow.state.stored


@pytest.mark.parametrize(
    ("fault", "error", "spent"),
    [
        ({"kind": "drop_after_commit"}, AnswerLost, True),
        ({"kind": "status", "value": 410}, TokenSpent, False),
        ({"kind": "malformed"}, None, True),
    ],
)
def test_scan_again_errors_then_a_new_token_works(
    make_flow: Callable[..., RedeemFlow],
    phone: SandboxPhone,
    fault: dict[str, object],
    error: type | None,
    spent: bool,
) -> None:
    flow = make_flow(confirm_rotation=False)
    phone.fault(REDEEM, str(fault["kind"]), fault.get("value"))  # type: ignore[arg-type]
    state = to_checking(flow, phone)
    assert state.step is Step.FAILED and state.failure is not None
    if error is not None:
        assert isinstance(state.failure.error, error)
    assert state.failure.recovery == "scan_again"
    assert state.failure.token_may_be_spent is spent
    assert state.failure.step is Step.REDEEMING
    assert not state.busy and not state.sending and not state.stored
    assert redeem_count(phone) == 1  # never retried by itself
    with pytest.raises(WrongStep):
        flow.retry()
    flow.scan_again()
    assert flow.state.step is Step.INTAKE and flow.state.failure is None
    assert to_checking(flow, phone).step is Step.CHECKING


def test_rate_limited_counts_down_then_retries(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    flow = make_flow(confirm_rotation=False)
    phone.fault(REDEEM, "status", 429, retry_after=30)
    state = to_checking(flow, phone)
    assert state.failure is not None and isinstance(state.failure.error, RateLimited)
    assert state.failure.recovery == "wait"
    assert flow.seconds_until_retry() == 30
    assert flow.retry() is False and flow.state.step is Step.FAILED
    fake_clock.advance(12)
    assert flow.seconds_until_retry() == 18
    fake_clock.advance(18)
    assert flow.retry() is True and flow.state.step is Step.REDEEMING
    assert flow.redeem().step is Step.CHECKING  # the same token, not spent by a 429


def test_server_error_retries_the_same_token(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    phone.fault(REDEEM, "status", 503)
    state = to_checking(flow, phone)
    assert state.failure is not None and isinstance(state.failure.error, ServerError)
    assert state.failure.recovery == "retry"
    assert flow.retry()
    assert flow.redeem().step is Step.CHECKING


class _RefuseFirstConnect(httpx.BaseTransport):
    """Fails the first connection like an unplugged cable; then real HTTP."""

    def __init__(self) -> None:
        self.real = httpx.HTTPTransport()
        self.failed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.failed:
            self.failed = True
            raise httpx.ConnectError("connection refused", request=request)
        return self.real.handle_request(request)

    def close(self) -> None:
        self.real.close()


def test_cannot_connect_then_retry(
    sandbox: SandboxServer, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    http = httpx.Client(transport=_RefuseFirstConnect())
    flow = RedeemFlow(
        X2ChatClient(f"{sandbox.url}/api/v1", http=http), confirm_rotation=False, clock=fake_clock
    )
    state = to_checking(flow, phone)
    assert state.failure is not None and isinstance(state.failure.error, CannotConnect)
    assert state.failure.recovery == "retry" and not state.failure.token_may_be_spent
    assert redeem_count(phone) == 0
    assert flow.retry()
    assert flow.redeem().step is Step.CHECKING
    http.close()


def test_check_failure_then_retry(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    to_checking(flow, phone)
    phone.fault("/api/v1/bot", "status", 502)
    state = flow.check()
    assert state.step is Step.FAILED and state.failure is not None
    assert state.failure.step is Step.CHECKING and state.failure.recovery == "retry"
    assert state.stored  # the credentials were saved before the check
    with pytest.raises(WrongStep):
        flow.scan_again()
    assert flow.retry() and flow.state.step is Step.CHECKING
    assert flow.check().step is Step.CHECKED


def test_check_can_be_skipped(make_flow: Callable[..., RedeemFlow], phone: SandboxPhone) -> None:
    flow = make_flow(confirm_rotation=False)
    to_checking(flow, phone)
    phone.fault("/api/v1/bot", "drop")
    assert flow.check().step is Step.FAILED
    flow.skip_checks()
    flow.finish()
    assert flow.state.step is Step.SAVED and flow.state.bot_user is None


def test_rotated_elsewhere_during_check_says_scan_again(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone, client: X2ChatClient
) -> None:
    flow = make_flow(confirm_rotation=False)
    state = to_checking(flow, phone)
    assert state.bot is not None
    client.redeem(phone.issue_token(bot_id=state.bot.bot_id)["token"])  # another app rotates it
    state = flow.check()
    assert state.failure is not None and isinstance(state.failure.error, InvalidAuth)
    assert state.failure.recovery == "scan_again"


def test_webhook_warning_and_webhook_error(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    flow.submit(phone.issue_token(webhook_url="https://hooks.example.org/in")["token"])
    flow.redeem()
    state = flow.check()
    assert state.webhook is not None and state.webhook.is_set
    assert state.webhook.host == "hooks.example.org"

    other = make_flow(confirm_rotation=False)
    state = to_checking(other, phone)
    assert state.bot is not None
    token = phone.bot_token(state.bot.bot_id)
    phone.fault(f"/api/v1/bot{token}/getWebhookInfo", "status", 500)
    state = other.check()
    assert state.step is Step.CHECKED
    assert state.webhook is None and isinstance(state.webhook_error, ServerError)


def test_test_message_failure_then_resend(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    to_checking(flow, phone)
    flow.check()
    phone.fault("/api/v1/bot", "status", 500)
    assert flow.send_test_message("first") is None
    assert isinstance(flow.state.test_error, ServerError)
    assert flow.state.step is Step.CHECKED
    sent = flow.send_test_message("second")
    assert sent is not None and flow.state.test_error is None
    assert flow.state.test_message == sent and flow.state.test_text == "second"


def test_second_redeem_of_a_bot_replaces_its_token_and_keeps_history(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    first = make_flow(confirm_rotation=False)
    state = to_checking(first, phone)
    assert state.bot is not None
    bot_id = state.bot.bot_id
    second = make_flow(confirm_rotation=False)
    second.submit(phone.issue_token(bot_id=bot_id)["token"])
    state2 = second.redeem()
    assert state2.record_id == state.record_id
    assert keyring_value(bot_id) == phone.bot_token(bot_id)
    with RecordStore.open() as records:
        assert len(records.list()) == 1
        assert len(records.history(state.record_id or 0)) == 2


# ---- stores -------------------------------------------------------------------------------------


def _no_keyring() -> KeyringStore:
    raise KeyringUnavailable()


def test_missing_keyring_is_found_before_the_token_is_spent(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone, x2desk_home: Path
) -> None:
    flow = make_flow(confirm_rotation=False, open_store=_no_keyring)
    state = to_checking(flow, phone)
    assert state.step is Step.FAILED and state.failure is not None
    assert state.failure.recovery == "choose_store"
    assert isinstance(state.store_error, KeyringUnavailable)
    assert redeem_count(phone) == 0  # nothing was sent
    state = flow.use_file_store(Secret("a long passphrase"))
    assert state.step is Step.REDEEMING
    state = flow.redeem()
    assert state.step is Step.CHECKING and state.stored
    assert state.store_description and "encrypted file" in state.store_description
    assert state.bot is not None
    token = phone.bot_token(state.bot.bot_id)
    assert keyring_value(state.bot.bot_id) is None
    for path in x2desk_home.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes()


def test_store_failure_keeps_credentials_until_retry(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    store = MemoryStore(
        failures=2, error=lambda: StoreError("Could not save: the system keyring is locked.")
    )
    flow = make_flow(confirm_rotation=False, open_store=lambda: store)
    state = to_checking(flow, phone)
    assert state.step is Step.STORE_FAILED and not state.stored
    assert state.bot is not None and "locked" in (
        state.store_error.message if state.store_error else ""
    )
    with pytest.raises(WrongStep):
        flow.scan_again()  # the credentials must not be dropped silently
    assert flow.retry_store().step is Step.STORE_FAILED
    state = flow.retry_store()
    assert state.step is Step.CHECKING and state.stored and state.store_error is None
    assert state.bot is not None
    assert store.items[f"x2chat_bot:{state.bot.bot_id}"].reveal() == phone.bot_token(
        state.bot.bot_id
    )
    assert redeem_count(phone) == 1


def test_store_failure_then_encrypted_file(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False, open_store=lambda: MemoryStore(fail=True))
    assert to_checking(flow, phone).step is Step.STORE_FAILED
    state = flow.use_file_store(Secret("short"))
    assert state.step is Step.STORE_FAILED and state.store_error is not None
    assert "at least 8" in state.store_error.message
    state = flow.use_file_store("a long passphrase")
    assert state.step is Step.CHECKING and state.stored
    assert flow.check().step is Step.CHECKED


def test_store_failure_then_discard(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False, open_store=lambda: MemoryStore(fail=True))
    assert to_checking(flow, phone).step is Step.STORE_FAILED
    flow.discard()
    state = flow.state
    assert state.step is Step.INTAKE and state.bot is None and not state.stored
    with RecordStore.open() as records:
        assert records.list() == []


def test_state_is_safe_to_read_while_an_effect_runs(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    flow.submit(phone.issue_token()["token"])
    phone.fault(REDEEM, "latency", 0.2)
    busy_seen = threading.Event()

    def watch(state: FlowState) -> None:
        if state.busy:
            busy_seen.set()

    flow.subscribe(watch)
    worker = threading.Thread(target=flow.redeem)
    worker.start()
    assert busy_seen.wait(5)
    with pytest.raises(WrongStep):
        flow.redeem()  # a second effect while the first runs
    worker.join(5)
    assert not flow.state.busy and flow.state.step is Step.CHECKING


def test_keyring_retried_before_the_redeem(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    attempts: list[int] = []

    def open_store() -> MemoryStore:
        attempts.append(1)
        if len(attempts) == 1:
            raise KeyringUnavailable()
        return MemoryStore()

    flow = make_flow(confirm_rotation=False, open_store=open_store)
    state = to_checking(flow, phone)
    assert state.failure is not None and state.failure.recovery == "choose_store"
    assert flow.retry() and flow.state.step is Step.REDEEMING
    assert flow.state.store_error is None
    assert flow.redeem().step is Step.CHECKING
    assert len(attempts) == 2 and redeem_count(phone) == 1


def test_discard_after_a_failed_redeem_but_not_after_saving(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    phone.fault(REDEEM, "status", 410)
    assert to_checking(flow, phone).step is Step.FAILED
    flow.discard()
    assert flow.state.step is Step.INTAKE
    to_checking(flow, phone)
    phone.fault("/api/v1/bot", "status", 500)
    assert flow.check().step is Step.FAILED
    with pytest.raises(WrongStep):
        flow.discard()
