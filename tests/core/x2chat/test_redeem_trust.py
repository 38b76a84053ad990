"""The redeem answer as the contract now says (issue 11, API.md "Trust" and "Nothing lost"): its
``api_base`` cannot send the new bot token elsewhere, a token is kept by its shape (never refused
for its length), getMe without a username works, and a 404 says nothing was redeemed.
Real HTTP to the sandbox (two of them where another host must see nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import keyring
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import WrongAddress
from x2desk.core.store.records import RecordStore
from x2desk.core.x2chat.answers import trusted_base
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import RedeemFlow, Step
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"
SEED_TOKEN = "52829374815:Ju1X4yonUDb5MAFtgv8hfUoGNXJ"  # 27 after the colon, like seed 002's
UUID = "fc6e2368-b677-430d-9f2f-295ce705c9d0"


@pytest.fixture
def make_flow(sandbox: SandboxServer, fake_clock: FakeClock) -> Iterator[Callable[[], RedeemFlow]]:
    clients: list[X2ChatClient] = []

    def make(base: str = "") -> RedeemFlow:
        client = X2ChatClient(base or f"{sandbox.url}/api/v1")
        clients.append(client)
        return RedeemFlow(client, clock=fake_clock, confirm_rotation=False)

    yield make
    for client in clients:
        client.close()


def answer_with(phone: SandboxPhone, **fields: Any) -> None:
    """The next redeem answers 200 (the token is spent) with these fields replaced."""
    phone._call("POST", "/faults", {"path_prefix": REDEEM, "kind": "partial", "fields": fields})


def record_for(bot_id: str) -> Any:
    with RecordStore.open() as records:
        return next(r for r in records.list() if r.external_id == bot_id)


# ---- trust -------------------------------------------------------------------------------------


def test_an_answer_naming_another_host_never_gets_the_token(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    with SandboxServer(clock=fake_clock) as elsewhere, SandboxPhone(elsewhere.url) as watcher:
        answer_with(phone, api_base=f"{elsewhere.url}/api/v1")
        flow = make_flow()
        issued = phone.issue_token()
        flow.submit(issued["token"])
        state = flow.redeem()
        assert state.step is Step.CHECKING and state.bot is not None
        assert state.bot.api_base == flow.api_base and state.bot.api_base_source == "redeem"
        assert state.bot.notes and "another address" in state.bot.notes[0]
        assert elsewhere.url.split("//")[1] in state.bot.notes[0]
        checked = flow.check()
        assert checked.step is Step.CHECKED and checked.bot_user is not None
        assert flow.send_test_message("hello") is not None
        assert watcher.requests() == []  # the other host saw nothing at all
    ours = [r["path"] for r in phone.requests()]
    assert any(p.endswith("/getMe") for p in ours) and any("sendMessage" in p for p in ours)
    record = record_for(issued["bot_id"])
    assert record.api_base == flow.api_base and record.details["api_base_from"] == "redeem"


@pytest.mark.parametrize(
    ("named", "used"),
    [
        ("https://ix.x2chat.com/api/v2", "https://ix.x2chat.com/api/v2"),  # a path change: fine
        ("https://IX.x2chat.com:443/api/v1/", "https://IX.x2chat.com:443/api/v1"),
        ("http://ix.x2chat.com/api/v1", None),  # https -> http: never
        ("https://ix.x2chat.com:8443/api/v1", None),  # another port
        ("https://evil.example/api/v1", None),  # another host
        ("http://127.0.0.1:9/api/v1", None),  # loopback http from an https redeem
        ("not a url", None),
    ],
)
def test_the_trust_rule(named: str, used: str | None) -> None:
    ours = "https://ix.x2chat.com/api/v1"
    base, note = trusted_base(named, ours)
    assert base == (used or ours)
    assert (note is None) == (used is not None)


# ---- nothing lost ------------------------------------------------------------------------------


def test_a_seed_shaped_token_is_kept_and_saved(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    answer_with(phone, bot_token=SEED_TOKEN)
    flow = make_flow()
    issued = phone.issue_token()
    flow.submit(issued["token"])
    state = flow.redeem()
    assert state.step is Step.CHECKING and state.stored and state.bot is not None
    assert state.bot.notes == () and state.bot.missing == ()
    assert keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}") == SEED_TOKEN


def test_an_odd_token_is_kept_with_a_warning_not_dropped(
    make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    answer_with(phone, bot_token="a token? with spaces")
    flow = make_flow()
    issued = phone.issue_token()
    flow.submit(issued["token"])
    state = flow.redeem()
    assert state.step is Step.CHECKING and state.stored and state.bot is not None
    assert any("does not look like a bot token" in n for n in state.bot.notes)
    saved = keyring.get_password("x2desk", f"x2chat_bot:{issued['bot_id']}")
    assert saved == "a token? with spaces"


def test_get_me_without_a_username_shows_the_first_name(
    sandbox: SandboxServer, make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    with sandbox.sim.lock:
        bot = sandbox.sim.bots[issued["bot_id"]]
        bot.username = ""  # seed 002: username is optional
        first_name = bot.first_name
    flow = make_flow()
    flow.submit(issued["token"])
    assert flow.redeem().step is Step.CHECKING
    state = flow.check()
    assert state.step is Step.CHECKED and state.bot_user is not None
    assert state.bot_user.username is None and state.bot_user.display_name == first_name
    assert record_for(issued["bot_id"]).name == first_name


def test_404_says_check_the_address_and_the_token_still_works(
    sandbox: SandboxServer, make_flow: Callable[[], RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(f"{sandbox.url}/api/v0")
    issued = phone.issue_token()
    flow.submit(issued["token"])
    state = flow.redeem()
    assert state.step is Step.FAILED and state.failure is not None
    assert isinstance(state.failure.error, WrongAddress)
    assert not state.failure.token_may_be_spent and "spent" not in state.failure.message
    assert "check the API address" in state.failure.message
    assert phone.state()["tokens"][issued["token"]]["redeemed_at"] is None
    right = make_flow()  # the address fixed: the same token redeems
    right.submit(issued["token"])
    assert right.redeem().step is Step.CHECKING


def test_a_404_from_a_canned_server_is_its_own_error() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404, json={"detail": "no"}))
    client = X2ChatClient("https://ix.x2chat.com/api/v1", http=httpx.Client(transport=transport))
    with pytest.raises(WrongAddress, match="Nothing was redeemed"):
        client.redeem(UUID)
