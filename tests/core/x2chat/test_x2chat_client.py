"""The X2Chat client against the sandbox over real HTTP on 127.0.0.1: every status, every fault,
and each error followed by a successful retry."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    AnswerLost,
    BadAnswer,
    CannotConnect,
    InputError,
    InsecureUrl,
    InvalidAuth,
    NotIntegrationToken,
    RateLimited,
    RequestRejected,
    ServerError,
    TokenInvalid,
    TokenSpent,
    WrongAddress,
    X2DeskError,
)
from x2desk.core.secret import Secret
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[X2ChatClient]:
    with X2ChatClient(f"{sandbox.url}/api/v1") as c:
        yield c


def redeems(phone: SandboxPhone) -> list[dict[str, object]]:
    return [r for r in phone.requests() if r["path"] == REDEEM]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_redeem_then_bot_api(client: X2ChatClient, phone: SandboxPhone) -> None:
    issued = phone.issue_token()
    redeemed = client.redeem(issued["deep_link"])
    assert redeemed.bot_id == issued["bot_id"]
    assert redeemed.chat_id == issued["chat_id"]
    assert redeemed.bot_username.endswith("_bot")
    assert isinstance(redeemed.bot_token, Secret)
    assert redeemed.bot_token.reveal() == phone.bot_token(issued["bot_id"])
    assert redeemed.api_base == client.api_base
    assert isinstance(redeemed.send_message_url, Secret)
    assert redeemed.bot_token.reveal() not in repr(redeemed)
    assert redeemed.complete and redeemed.chat_id is not None

    me = client.get_me(redeemed.bot_token)
    assert me.username == redeemed.bot_username and me.is_bot
    hook = client.get_webhook_info(redeemed.bot_token)
    assert not hook.is_set and hook.pending_update_count == 0
    sent = client.send_message(redeemed.bot_token, redeemed.chat_id, "hello ✓")
    assert sent.chat_id == redeemed.chat_id and sent.text == "hello ✓"
    assert [m["text"] for m in phone.messages(redeemed.chat_id)] == ["hello ✓"]


def test_redeem_rotates_the_previous_token(client: X2ChatClient, phone: SandboxPhone) -> None:
    first = client.redeem(phone.issue_token()["token"])
    bot_id = first.bot_id
    second = client.redeem(phone.issue_token(bot_id=bot_id)["token"])
    assert second.bot_token != first.bot_token
    with pytest.raises(InvalidAuth):
        client.get_me(first.bot_token)
    assert client.get_me(second.bot_token).username == first.bot_username


def test_webhook_is_reported_by_host_only(client: X2ChatClient, phone: SandboxPhone) -> None:
    issued = phone.issue_token(webhook_url="https://hooks.example.net/x2/s3cretpath")
    redeemed = client.redeem(issued["token"])
    hook = client.get_webhook_info(redeemed.bot_token)
    assert hook.is_set
    assert hook.host == "hooks.example.net"
    assert "s3cretpath" not in repr(hook)


def test_spent_token_is_410_and_a_fresh_one_works(
    client: X2ChatClient, phone: SandboxPhone
) -> None:
    token = phone.issue_token()["token"]
    client.redeem(token)
    with pytest.raises(TokenSpent) as info:
        client.redeem(token)
    assert "Make a new QR" in info.value.message
    assert client.redeem(phone.issue_token()["token"]).bot_id


def test_expired_token_is_spent(
    client: X2ChatClient, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    token = phone.issue_token(ttl_s=300)["token"]
    fake_clock.advance(301)
    with pytest.raises(TokenSpent):
        client.redeem(token)


def test_unknown_token_is_spent(client: X2ChatClient) -> None:
    with pytest.raises(TokenSpent):
        client.redeem("fc6e2368-b677-430d-9f2f-295ce705c9d0")


def test_garbage_is_refused_before_any_request(client: X2ChatClient, phone: SandboxPhone) -> None:
    for garbage in ("", "hello", "x2chat://webhook/x?secret=1", "fc6e2368-b677-430d"):
        with pytest.raises(NotIntegrationToken):
            client.redeem(garbage)
    assert redeems(phone) == []


def test_400_is_token_invalid_then_retry(client: X2ChatClient, phone: SandboxPhone) -> None:
    phone.fault(REDEEM, "status", 400)
    token = phone.issue_token()["token"]
    with pytest.raises(TokenInvalid):
        client.redeem(token)
    assert client.redeem(token).bot_id


def test_429_with_retry_after_then_retry(client: X2ChatClient, phone: SandboxPhone) -> None:
    phone.fault(REDEEM, "status", 429, retry_after=42)
    token = phone.issue_token()["token"]
    with pytest.raises(RateLimited) as info:
        client.redeem(token)
    assert info.value.retry_after == 42
    assert "42 s" in info.value.message
    assert client.redeem(token).bot_id


def test_real_redeem_rate_limit(fake_clock: FakeClock) -> None:
    with (
        SandboxServer(clock=fake_clock, redeem_per_hour=2).start() as server,
        SandboxPhone(server.url) as phone,
        X2ChatClient(f"{server.url}/api/v1") as client,
    ):
        tokens = [phone.issue_token(ttl_s=7200)["token"] for _ in range(3)]
        client.redeem(tokens[0])
        client.redeem(tokens[1])
        with pytest.raises(RateLimited) as info:
            client.redeem(tokens[2])
        assert info.value.retry_after is not None and info.value.retry_after > 0
        # an hour's window: the wait shown is capped at 5 minutes, what was asked is kept
        assert info.value.retry_after == 300 and info.value.requested
        fake_clock.advance(info.value.requested)
        assert client.redeem(tokens[2]).bot_id


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_is_server_error_then_retry(
    client: X2ChatClient, phone: SandboxPhone, status: int
) -> None:
    phone.fault(REDEEM, "status", status)
    token = phone.issue_token()["token"]
    with pytest.raises(ServerError):
        client.redeem(token)
    assert client.redeem(token).bot_id


def test_404_on_redeem_says_the_address_is_wrong(sandbox: SandboxServer) -> None:
    with X2ChatClient(f"{sandbox.url}/nothing-here") as client, pytest.raises(WrongAddress) as info:
        client.redeem("fc6e2368-b677-430d-9f2f-295ce705c9d0")
    assert "check the API address" in info.value.message
    assert "Nothing was redeemed" in info.value.message and "spent" not in info.value.message


def test_drop_after_commit_is_answer_lost_and_not_retried(
    client: X2ChatClient, phone: SandboxPhone
) -> None:
    phone.fault(REDEEM, "drop_after_commit")
    token = phone.issue_token()["token"]
    with pytest.raises(AnswerLost) as info:
        client.redeem(token)
    assert "may already be spent" in info.value.message
    assert len(redeems(phone)) == 1  # sent once, never retried
    with pytest.raises(TokenSpent):  # the sandbox did spend it
        client.redeem(token)
    assert client.redeem(phone.issue_token()["token"]).bot_id  # a new token works


def test_drop_before_processing_is_answer_lost(client: X2ChatClient, phone: SandboxPhone) -> None:
    phone.fault(REDEEM, "drop")
    token = phone.issue_token()["token"]
    with pytest.raises(AnswerLost):
        client.redeem(token)
    assert len(redeems(phone)) == 1
    assert client.redeem(token).bot_id  # this time the token was not spent


def test_malformed_answer_is_bad_answer(client: X2ChatClient, phone: SandboxPhone) -> None:
    phone.fault(REDEEM, "malformed")
    with pytest.raises(BadAnswer) as info:
        client.redeem(phone.issue_token()["token"])
    assert "not JSON" in info.value.message and "spent" in info.value.message
    assert client.redeem(phone.issue_token()["token"]).bot_id


def test_read_timeout_is_answer_lost(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    phone.fault(REDEEM, "latency", 0.5)
    sent: list[str] = []
    http = httpx.Client(
        timeout=httpx.Timeout(0.1, connect=1.0),
        event_hooks={"request": [lambda request: sent.append(request.url.path)]},
    )
    with X2ChatClient(f"{sandbox.url}/api/v1", http=http) as client, pytest.raises(AnswerLost):
        client.redeem(phone.issue_token()["token"])
    http.close()
    assert sent == [REDEEM]  # one attempt, no retry


def test_connection_refused_is_cannot_connect_then_retry(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    token = phone.issue_token()["token"]
    dead = X2ChatClient(f"http://127.0.0.1:{free_port()}/api/v1")
    with dead, pytest.raises(CannotConnect):
        dead.redeem(token)
    assert redeems(phone) == []
    with X2ChatClient(f"{sandbox.url}/api/v1") as live:
        assert live.redeem(token).bot_id


def test_insecure_base_is_refused_before_sending() -> None:
    with pytest.raises(InsecureUrl):
        X2ChatClient("http://ix.x2chat.com/api/v1")


def test_bot_api_errors(client: X2ChatClient, phone: SandboxPhone) -> None:
    redeemed = client.redeem(phone.issue_token()["token"])
    token = redeemed.bot_token
    assert redeemed.chat_id is not None
    with pytest.raises(InvalidAuth):
        client.get_me(Secret("123:" + "x" * 40))
    with pytest.raises(RequestRejected) as rejected:
        client.send_message(token, redeemed.chat_id + 999, "hi")
    assert "chat not found" in rejected.value.message
    with pytest.raises(InputError):
        client.send_message(token, redeemed.chat_id, "x" * 4097)
    with pytest.raises(InputError):
        client.send_message(token, redeemed.chat_id, "   ")
    bot_prefix = "/api/v1/bot"
    phone.fault(bot_prefix, "status", 429, retry_after=7)
    with pytest.raises(RateLimited) as limited:
        client.get_me(token)
    assert limited.value.retry_after == 7
    phone.fault(bot_prefix, "status", 502)
    with pytest.raises(ServerError):
        client.get_me(token)
    phone.fault(bot_prefix, "malformed")
    with pytest.raises(BadAnswer):
        client.get_webhook_info(token)
    phone.fault(bot_prefix, "drop")
    with pytest.raises(AnswerLost) as lost:
        client.send_message(token, redeemed.chat_id, "hi")
    assert "one-time" not in lost.value.message
    assert client.get_me(token).username == redeemed.bot_username  # and back to normal


def test_no_error_text_holds_the_bot_token(client: X2ChatClient, phone: SandboxPhone) -> None:
    redeemed = client.redeem(phone.issue_token()["token"])
    raw = redeemed.bot_token.reveal()
    errors: list[X2DeskError] = []
    for kind, value in (("status", 401), ("status", 400), ("drop", None), ("malformed", None)):
        phone.fault("/api/v1/bot", kind, value)
        try:
            client.get_me(redeemed.bot_token)
        except X2DeskError as exc:
            errors.append(exc)
    assert len(errors) == 4
    for error in errors:
        assert raw not in str(error) and raw not in repr(error)
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__


class _Canned(httpx.BaseTransport):
    def __init__(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        self.response = (status, body, headers or {})
        self.calls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        status, body, headers = self.response
        return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"bot_id": "b", "bot_username": "x_bot", "chat_id": 1},
        {"bot_id": "b", "bot_username": "x_bot", "bot_token": 5, "chat_id": 9},
        {"bot_id": "b", "bot_username": "x_bot", "bot_token": "  ", "chat_id": 9},
    ],
)
def test_wrong_shapes_are_bad_answer(body: object) -> None:
    """No usable bot token in the answer: BadAnswer (the token is probably spent)."""
    transport = _Canned(200, body)
    c = X2ChatClient("https://ix.x2chat.com/api/v1", http=httpx.Client(transport=transport))
    with pytest.raises(BadAnswer) as info:
        c.redeem("fc6e2368-b677-430d-9f2f-295ce705c9d0")
    assert "spent" in info.value.message
    assert "short" not in info.value.message
    assert transport.calls == 1


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (
            {"bot_id": "b", "bot_username": "x_bot", "bot_token": "1:" + "a" * 40, "chat_id": "92"},
            ("chat_id", "send_message_url", "getUpdates_url"),
        ),
        (
            {"bot_id": True, "bot_username": "x_bot", "bot_token": "1:" + "a" * 40, "chat_id": 9},
            ("bot_id", "send_message_url", "getUpdates_url"),
        ),
        (
            {
                "bot_id": "b",
                "bot_username": "x_bot",
                "bot_token": "1:" + "a" * 40,
                "chat_id": 9,
                "api_base": "http://evil.example.com/api",
                "send_message_url": "x",
                "getUpdates_url": "y",
            },
            (),  # not missing: named, but not trusted (a note says so)
        ),
    ],
)
def test_a_usable_token_is_kept_from_a_partly_wrong_answer(
    body: dict[str, object], missing: tuple[str, ...]
) -> None:
    transport = _Canned(200, body)
    c = X2ChatClient("https://ix.x2chat.com/api/v1", http=httpx.Client(transport=transport))
    redeemed = c.redeem("fc6e2368-b677-430d-9f2f-295ce705c9d0")
    assert redeemed.missing == missing and redeemed.complete == (not missing)
    assert redeemed.bot_token.reveal() == "1:" + "a" * 40
    assert redeemed.api_base == "https://ix.x2chat.com/api/v1"  # never the insecure one
    assert redeemed.api_base_source == "redeem"
    assert redeemed.bot_id == ("1" if "bot_id" in missing else "b")
    assert redeemed.chat_id == (None if "chat_id" in missing else 9)
    assert "a" * 40 not in repr(redeemed)


def test_retry_after_from_the_body_when_no_header() -> None:
    body = {"ok": False, "error_code": 429, "parameters": {"retry_after": 12}}
    transport = _Canned(429, body)
    c = X2ChatClient("https://ix.x2chat.com/api/v1", http=httpx.Client(transport=transport))
    with pytest.raises(RateLimited) as info:
        c.get_me(Secret("1:" + "a" * 40))
    assert info.value.retry_after == 12
