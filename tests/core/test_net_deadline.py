"""Every request has an overall deadline, not only a per-read timeout, and a server's Retry-After
is capped (issue 17, item 3). Against the real sandbox over loopback: its ``trickle`` fault sends
the whole answer a byte at a time, its ``latency`` fault answers late."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import httpx
import pytest

from x2desk.core.accounts.client import ConnectionsClient
from x2desk.core.deadline import current_deadline, overall_deadline
from x2desk.core.errors import MAX_RETRY_AFTER_S, AnswerLost, CannotConnect, RateLimited
from x2desk.core.net import make_http_client, retry_after, send
from x2desk.core.secret import Secret
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

NOW = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC).timestamp()
# Real seconds are spent only waiting for a short deadline; the server would trickle for longer.
SHORT = 0.4


class SteppingClock:
    """A monotonic clock that moves ``step`` seconds each time it is read: a deadline counted by
    it passes after a known number of socket operations, however fast they really are."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step
        self.reads = 0

    def time(self) -> float:
        return 1_800_000_000.0 + self.now

    def monotonic(self) -> float:
        self.reads += 1
        self.now += self.step
        return self.now


def test_every_client_gets_the_deadline_under_its_connections() -> None:
    from x2desk.core.deadline import install_deadlines

    with make_http_client() as http:
        # an httpx upgrade that moved the pool's backend would make this 0: fail loudly then
        assert install_deadlines(http) == 1


def test_a_trickled_answer_ends_at_the_deadline(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    phone.fault("/v2/", "trickle", 0.02)
    with make_http_client() as http:
        started = time.monotonic()
        with pytest.raises(AnswerLost):
            send(http, "GET", f"{sandbox.url}/v2/connections", log_as="GET x", deadline_s=SHORT)
        took = time.monotonic() - started
    # The answer is ~250 bytes at 20 ms each: 5 s. The deadline ends it at SHORT.
    assert SHORT * 0.9 <= took < SHORT + 1.5
    assert [r.get("fault") for r in phone.requests()] == ["trickle"]


def test_the_deadline_counts_by_the_injected_clock(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    phone.fault("/v2/", "trickle", 0.05)  # ~250 bytes: the whole answer would take 12 s
    clock = SteppingClock(step=1.0)
    with make_http_client() as http:
        started = time.monotonic()
        with pytest.raises(AnswerLost):
            send(
                http,
                "GET",
                f"{sandbox.url}/v2/connections",
                log_as="GET x",
                deadline_s=10.0,
                clock=clock,
            )
        assert time.monotonic() - started < 2.0  # not 10 real seconds, nor the trickle's 12
    assert 5 <= clock.reads <= 12  # ten "seconds" of one-second steps, a few per socket call


def test_a_late_answer_past_the_deadline_is_lost_not_waited_for(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    phone.fault("/v2/", "latency", 3)
    with make_http_client() as http:
        started = time.monotonic()
        with pytest.raises(AnswerLost):
            send(http, "GET", f"{sandbox.url}/v2/connections", log_as="GET x", deadline_s=SHORT)
        assert time.monotonic() - started < SHORT + 1.5
        # and the next request, with time to spare, works on the same client
        answer = send(http, "GET", f"{sandbox.url}/v2/connections", log_as="GET x")
    assert answer.status_code == 401  # no API key: the sandbox answered at once


def test_a_trickled_redeem_is_answer_lost_after_the_server_spent_the_token(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    token = phone.issue_token()["token"]
    phone.fault("/api/v1/integrations/redeem", "trickle", 0.02)
    with X2ChatClient(f"{sandbox.url}/api/v1") as client, overall_deadline(SHORT):
        started = time.monotonic()
        with pytest.raises(AnswerLost):
            client.redeem(token)
        assert time.monotonic() - started < SHORT + 1.5
    (entry,) = phone.requests()
    assert entry["status"] == 200 and entry["fault"] == "trickle"  # spent: the flow must say so


def test_nested_deadlines_keep_the_earliest_and_are_per_thread() -> None:
    seen: list[object] = []
    with overall_deadline(5.0) as outer:
        with overall_deadline(60.0) as inner:
            assert inner is outer
        with overall_deadline(1.0) as tighter:
            assert tighter.remaining() < outer.remaining()
        thread = threading.Thread(target=lambda: seen.append(current_deadline()))
        thread.start()
        thread.join()
    assert seen == [None]  # another thread's requests are not bound by this one's deadline
    assert current_deadline() is None


def test_connecting_past_the_deadline_is_cannot_connect() -> None:
    clock = SteppingClock(step=100.0)  # the deadline has passed by the first socket call
    with make_http_client() as http, pytest.raises(CannotConnect):
        send(http, "GET", "http://127.0.0.1:9/x", log_as="GET x", deadline_s=1.0, clock=clock)


# ---- Retry-After: seconds or a date, capped and shown ------------------------------------------


@pytest.mark.parametrize(
    ("header", "asked"),
    [
        ("99999999", 99999999.0),
        ("299", 299.0),
        # a date far ahead printed "Try again in 2300076922 s"
        (
            "Fri, 31 Dec 2099 23:59:59 GMT",
            datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp() - NOW,
        ),
        ("Wed, 21 Oct 2015 07:30:00 GMT", 120.0),
    ],
)
def test_retry_after_as_seconds_or_a_date_is_capped_in_the_error(header: str, asked: float) -> None:
    seconds = retry_after(httpx.Response(429, headers={"Retry-After": header}), now=NOW)
    assert seconds == pytest.approx(asked)
    error = RateLimited(seconds)
    assert error.requested == seconds
    assert error.retry_after == min(asked, MAX_RETRY_AFTER_S)
    assert f"Try again in {int(min(asked, MAX_RETRY_AFTER_S))} seconds." in error.message


@pytest.mark.parametrize("asked", [99999999, float("inf"), 301])
def test_rate_limited_holds_and_shows_the_capped_wait(asked: float) -> None:
    error = RateLimited(asked)
    assert error.retry_after == MAX_RETRY_AFTER_S and error.requested == asked
    assert "300 s" in error.message and "99999999" not in error.message


def test_a_huge_retry_after_from_the_provider_is_capped_and_shown(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    phone.fault("/v2/companies/*/connections", "status", 429, retry_after=99999999)
    with ConnectionsClient(sandbox.url + "/v2", Secret(phone.provider_key())) as client:
        with pytest.raises(RateLimited) as info:
            client.list_connections()
        assert info.value.retry_after == MAX_RETRY_AFTER_S
        assert "Try again in 300 seconds" in info.value.message
        assert client.list_connections() == []  # one-off: the next call works


def test_a_huge_retry_after_in_the_bot_api_body_is_capped(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    token = phone.issue_token()["token"]
    phone.fault("/api/v1/integrations/redeem", "status", 429, retry_after=99999999)
    with X2ChatClient(f"{sandbox.url}/api/v1") as client:
        with pytest.raises(RateLimited) as info:
            client.redeem(token)
        assert info.value.retry_after == MAX_RETRY_AFTER_S
        assert client.redeem(token).bot_id  # a 429 spent nothing: the retry redeems
