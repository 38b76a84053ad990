"""The sandbox's X2Chat side (API.md sections 1 and 2), over real HTTP on 127.0.0.1."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from x2desk.core.clock import FakeClock
from x2desk.sandbox.phone import PhoneError, SandboxPhone
from x2desk.sandbox.server import SandboxServer

BOT_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{35,}$")
USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{2,29}bot$", re.IGNORECASE)


def redeem(sandbox: SandboxServer, token: object) -> httpx.Response:
    return httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", json={"token": token})


def bot(sandbox: SandboxServer, token: str, method: str, **params: object) -> httpx.Response:
    return httpx.post(f"{sandbox.url}/api/v1/bot{token}/{method}", json=params)


def test_issue_makes_uuid4_with_ttl_and_deep_link(
    sandbox: SandboxServer, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    issued = phone.issue_token()
    assert uuid.UUID(issued["token"]).version == 4
    assert issued["expires_at"] == fake_clock.time() + 300
    assert issued["deep_link"] == f"x2chat://bot/integrate?token={issued['token']}"
    assert issued["bot_id"] in sandbox.sim.bots
    assert issued["chat_id"] in sandbox.sim.bots[issued["bot_id"]].chat_ids


def test_issue_for_existing_bot_and_bad_input(phone: SandboxPhone) -> None:
    first = phone.issue_token(chat_id=7001)
    second = phone.issue_token(bot_id=first["bot_id"])
    assert second["bot_id"] == first["bot_id"] and second["token"] != first["token"]
    assert first["chat_id"] == 7001
    with pytest.raises(PhoneError) as info:
        phone.issue_token(bot_id="no-such-bot")
    assert info.value.status == 404
    with pytest.raises(PhoneError) as info:
        phone.issue_token(ttl_s=-1)
    assert info.value.status == 400 and "ttl_s" in info.value.detail


def test_issue_owner_limit_10_per_hour(phone: SandboxPhone, fake_clock: FakeClock) -> None:
    for _ in range(10):
        phone.issue_token()
    with pytest.raises(PhoneError) as info:
        phone.issue_token()
    assert info.value.status == 429
    fake_clock.advance(3600)
    assert phone.issue_token()["token"]


def test_redeem_full_answer_and_the_token_works(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    response = redeem(sandbox, issued["token"])
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "bot_id",
        "bot_username",
        "bot_token",
        "chat_id",
        "api_base",
        "send_message_url",
        "getUpdates_url",
        "example_curl",
    }
    token = data["bot_token"]
    assert BOT_TOKEN_RE.match(token)
    assert USERNAME_RE.match(data["bot_username"]) and 5 <= len(data["bot_username"]) <= 32
    assert data["api_base"] == f"{sandbox.url}/api/v1"
    assert data["send_message_url"] == f"{sandbox.url}/api/v1/bot{token}/sendMessage"
    assert data["getUpdates_url"] == f"{sandbox.url}/api/v1/bot{token}/getUpdates"
    assert token in data["example_curl"] and '"chat_id": ' in data["example_curl"]
    assert data["chat_id"] == issued["chat_id"] and data["bot_id"] == issued["bot_id"]
    assert sandbox.sim.bots[data["bot_id"]].token == token
    me = httpx.get(f"{sandbox.url}/api/v1/bot{token}/getMe").json()
    assert me["ok"] is True and me["result"]["username"] == data["bot_username"]


def test_redeem_uppercase_token_is_accepted(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    issued = phone.issue_token()
    assert redeem(sandbox, issued["token"].upper()).status_code == 200


@pytest.mark.parametrize(
    "token",
    ["", "   ", None, "not-a-uuid", "fc6e2368-b677-130d-9f2f-295ce705c9d0", "fc6e2368-b677", 42],
)
def test_redeem_bad_token_is_400(sandbox: SandboxServer, token: object) -> None:
    response = redeem(sandbox, token)
    assert response.status_code == 400
    assert response.json()["ok"] is False and response.json()["error_code"] == 400


def test_redeem_non_json_body_is_400(sandbox: SandboxServer) -> None:
    response = httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", content=b"{nope")
    assert response.status_code == 400


def test_redeem_twice_is_410(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    token = phone.issue_token()["token"]
    assert redeem(sandbox, token).status_code == 200
    second = redeem(sandbox, token)
    assert second.status_code == 410 and "already" in second.json()["description"]


def test_redeem_unknown_token_is_410(sandbox: SandboxServer) -> None:
    assert redeem(sandbox, str(uuid.uuid4())).status_code == 410


def test_redeem_after_ttl_is_410(
    sandbox: SandboxServer, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    token = phone.issue_token()["token"]
    short = phone.issue_token(ttl_s=10)["token"]
    fake_clock.advance(299)
    assert redeem(sandbox, token).status_code == 200
    response = redeem(sandbox, short)
    assert response.status_code == 410 and "expired" in response.json()["description"]
    late = phone.issue_token()["token"]
    fake_clock.advance(300)
    assert redeem(sandbox, late).status_code == 410


def test_redeem_rotation_kills_the_previous_bot_token(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    first = phone.issue_token()
    old = redeem(sandbox, first["token"]).json()["bot_token"]
    assert bot(sandbox, old, "getMe").status_code == 200
    second = phone.issue_token(bot_id=first["bot_id"])
    new = redeem(sandbox, second["token"]).json()["bot_token"]
    assert new != old
    dead = bot(sandbox, old, "getMe")
    assert dead.status_code == 401
    assert dead.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert bot(sandbox, new, "getMe").status_code == 200
    assert phone.bot_token(first["bot_id"]) == new


def test_redeem_rate_limit_60_per_hour_per_ip(
    sandbox: SandboxServer, fake_clock: FakeClock
) -> None:
    for _ in range(60):
        assert redeem(sandbox, str(uuid.uuid4())).status_code == 410
    fake_clock.advance(600)
    limited = redeem(sandbox, str(uuid.uuid4()))
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) == 3000
    fake_clock.advance(3000)
    assert redeem(sandbox, str(uuid.uuid4())).status_code == 410


def test_redeem_limit_is_injectable(fake_clock: FakeClock) -> None:
    with SandboxServer(clock=fake_clock, redeem_per_hour=2) as server:
        for _ in range(2):
            redeem(server, str(uuid.uuid4()))
        assert redeem(server, str(uuid.uuid4())).status_code == 429


def test_redeem_takes_post_only(sandbox: SandboxServer) -> None:
    assert httpx.get(f"{sandbox.url}/api/v1/integrations/redeem").status_code == 405


# ---- Bot API -----------------------------------------------------------------------------------


@pytest.fixture
def live_bot(sandbox: SandboxServer, phone: SandboxPhone) -> tuple[str, int]:
    issued = phone.issue_token()
    data = redeem(sandbox, issued["token"]).json()
    return data["bot_token"], data["chat_id"]


def test_get_me_get_and_post(sandbox: SandboxServer, live_bot: tuple[str, int]) -> None:
    token, _ = live_bot
    for response in (
        httpx.get(f"{sandbox.url}/api/v1/bot{token}/getMe"),
        bot(sandbox, token, "getMe"),
    ):
        result = response.json()["result"]
        assert result["is_bot"] is True and result["id"] == int(token.split(":")[0])
        assert USERNAME_RE.match(result["username"]) and result["first_name"]


def test_send_message_stores_it(
    sandbox: SandboxServer, phone: SandboxPhone, live_bot: tuple[str, int], fake_clock: FakeClock
) -> None:
    token, chat_id = live_bot
    response = bot(sandbox, token, "sendMessage", chat_id=chat_id, text="Hello from x2desk")
    assert response.status_code == 200
    message = response.json()["result"]
    assert message["chat"] == {"id": chat_id, "type": "private"}
    assert message["text"] == "Hello from x2desk" and message["date"] == int(fake_clock.time())
    assert isinstance(message["message_id"], int)
    stored = phone.messages(chat_id)
    assert [m["text"] for m in stored] == ["Hello from x2desk"]
    assert phone.messages(chat_id + 1000) == []


def test_send_message_query_string_and_string_chat_id(
    sandbox: SandboxServer, live_bot: tuple[str, int]
) -> None:
    token, chat_id = live_bot
    params = {"chat_id": str(chat_id), "text": "q"}
    response = httpx.get(f"{sandbox.url}/api/v1/bot{token}/sendMessage", params=params)
    assert response.status_code == 200 and response.json()["result"]["text"] == "q"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"text": "x"}, "chat_id is empty"),
        ({"chat_id": 123456, "text": "x"}, "chat not found"),
        ({"chat_id": "abc", "text": "x"}, "chat not found"),
        ({"chat_id": "CHAT", "text": ""}, "text is empty"),
        ({"chat_id": "CHAT"}, "text is empty"),
        ({"chat_id": "CHAT", "text": "x" * 4097}, "too long"),
    ],
)
def test_send_message_bad_params_400(
    sandbox: SandboxServer, live_bot: tuple[str, int], params: dict[str, object], words: str
) -> None:
    token, chat_id = live_bot
    params = {k: (chat_id if v == "CHAT" else v) for k, v in params.items()}
    response = bot(sandbox, token, "sendMessage", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["error_code"] == 400 and words in body["description"]


def test_send_message_4096_chars_is_fine(sandbox: SandboxServer, live_bot: tuple[str, int]) -> None:
    token, chat_id = live_bot
    assert bot(sandbox, token, "sendMessage", chat_id=chat_id, text="x" * 4096).status_code == 200


def test_webhook_info_and_get_updates(
    sandbox: SandboxServer, phone: SandboxPhone, live_bot: tuple[str, int]
) -> None:
    token, _ = live_bot
    info = bot(sandbox, token, "getWebhookInfo").json()["result"]
    assert info == {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    assert bot(sandbox, token, "getUpdates").json() == {"ok": True, "result": []}
    hooked = phone.issue_token(webhook_url="https://n8n.example.com/hook")
    hooked_token = redeem(sandbox, hooked["token"]).json()["bot_token"]
    info = bot(sandbox, hooked_token, "getWebhookInfo").json()["result"]
    assert info["url"] == "https://n8n.example.com/hook"
    conflict = bot(sandbox, hooked_token, "getUpdates")
    assert conflict.status_code == 409 and "webhook is active" in conflict.json()["description"]
    assert bot(sandbox, hooked_token, "deleteWebhook").json()["result"] is True
    assert bot(sandbox, hooked_token, "getUpdates").status_code == 200


def test_bot_api_errors(sandbox: SandboxServer, live_bot: tuple[str, int]) -> None:
    token, _ = live_bot
    assert bot(sandbox, "123:" + "a" * 35, "getMe").status_code == 401
    unknown = bot(sandbox, token, "noSuchMethod")
    assert unknown.status_code == 404 and unknown.json()["ok"] is False
    bad = httpx.post(f"{sandbox.url}/api/v1/bot{token}/sendMessage", content=b"[oops")
    assert bad.status_code == 400 and bad.json()["error_code"] == 400
    assert httpx.delete(f"{sandbox.url}/api/v1/bot{token}/getMe").status_code == 405
    assert httpx.get(f"{sandbox.url}/api/v1/nothing").status_code == 404
