"""X2Chat: integration tokens (issue in the app, redeem) and the Telegram-style Bot API.

API.md sections 1 and 2. Served under ``/api/v1``; issuing is ``POST /_sandbox/x2chat/issue``.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from x2desk.sandbox.sim import Bot, IntegrationToken, Simulator, new_bot_token
from x2desk.sandbox.wire import BodyError, Request, Response, json_response

PREFIX = "/api/v1"
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
BOT_PATH_RE = re.compile(r"^/bot([^/]+)/([A-Za-z]+)/?$")
MAX_TEXT = 4096
BOT_WORDS = ("info", "shop", "desk", "news", "order", "help", "promo", "alert")  # bots' names


# ---- errors ------------------------------------------------------------------------------------


def _x2_error(status: int, error: str, description: str, retry_after: float | None = None) -> Any:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": status,
        "error": error,
        "description": description,
    }
    if retry_after is not None:
        body["retry_after"] = max(1, int(retry_after + 0.999))
    return json_response(status, body, retry_after)


def bot_error(status: int, description: str, retry_after: float | None = None) -> Response:
    """A Telegram-style error: ``{"ok": false, "error_code": N, "description": ...}``."""
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": max(1, int(retry_after + 0.999))}
    return json_response(status, body, retry_after)


def _ok(result: Any) -> Response:
    return json_response(200, {"ok": True, "result": result})


# ---- bots and tokens ---------------------------------------------------------------------------


def new_bot(sim: Simulator, chat_id: int | None = None, webhook_url: str = "") -> Bot:
    """Make a bot with one chat. Hold ``sim.lock``."""
    user_id = sim.next_user_id()
    word = secrets.choice(BOT_WORDS)
    bot = Bot(
        bot_id=str(uuid.uuid4()),
        user_id=user_id,
        username=f"{word}_{user_id % 100000}_bot",
        first_name=f"{word.title()} bot",
        token=new_bot_token(user_id),
        chat_ids=[chat_id if chat_id is not None else sim.next_chat_id()],
        webhook_url=webhook_url,
    )
    sim.bots[bot.bot_id] = bot
    return bot


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,18}", value.strip()):
        return int(value.strip())
    return None


def issue(sim: Simulator, req: Request) -> Response:
    """``POST /_sandbox/x2chat/issue {bot_id?, chat_id?, ttl_s?, webhook_url?}``."""
    try:
        body = req.object_body()
    except BodyError as exc:
        return _x2_error(400, "BAD_REQUEST", str(exc))
    bot_id = body.get("bot_id")
    chat_raw = body.get("chat_id")
    ttl = body.get("ttl_s", sim.limits.token_ttl_s)
    webhook_url = body.get("webhook_url") or ""
    if bot_id is not None and not isinstance(bot_id, str):
        return _x2_error(400, "BAD_REQUEST", "bot_id must be the bot's id (a string)")
    chat_id = None if chat_raw is None else _as_int(chat_raw)
    if chat_raw is not None and chat_id is None:
        return _x2_error(400, "BAD_REQUEST", "chat_id must be an integer")
    if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 < ttl <= 86400:
        return _x2_error(400, "BAD_REQUEST", "ttl_s must be a number of seconds, 1 to 86400")
    if not isinstance(webhook_url, str):
        return _x2_error(400, "BAD_REQUEST", "webhook_url must be a string")
    with sim.lock:
        now = sim.now()
        bot = sim.bots.get(bot_id) if bot_id is not None else None
        if bot_id is not None and bot is None:
            return _x2_error(404, "BOT_NOT_FOUND", "no bot has this bot_id")
        owner = bot.owner if bot else "owner"
        wait = sim.issue_limiter.hit(owner, now)
        if wait is not None:
            return _x2_error(
                429, "RATE_LIMITED", "owner limit: 10 integration QRs per hour", retry_after=wait
            )
        if bot is None:
            bot = new_bot(sim, chat_id, webhook_url)
        else:
            if chat_id is not None and chat_id not in bot.chat_ids:
                bot.chat_ids.append(chat_id)
            if webhook_url:
                bot.webhook_url = webhook_url
        token = IntegrationToken(
            token=str(uuid.uuid4()),
            bot_id=bot.bot_id,
            chat_id=chat_id if chat_id is not None else bot.chat_ids[0],
            issued_at=now,
            expires_at=now + float(ttl),
        )
        sim.tokens[token.token] = token
    return json_response(
        200,
        {
            "token": token.token,
            "expires_at": token.expires_at,
            "deep_link": f"x2chat://bot/integrate?token={token.token}",
            "bot_id": bot.bot_id,
            "chat_id": token.chat_id,
        },
    )


def redeem(sim: Simulator, req: Request) -> Response:
    """``POST /api/v1/integrations/redeem {token}``: one time, rotates the bot's token."""
    if req.method != "POST":
        return _x2_error(405, "METHOD_NOT_ALLOWED", "redeem takes POST")
    with sim.lock:
        wait = sim.redeem_limiter.hit(req.client_ip, sim.now())
    if wait is not None:
        return _x2_error(429, "RATE_LIMITED", "60 redeems per hour per IP", retry_after=wait)
    try:
        body = req.object_body()
    except BodyError as exc:
        return _x2_error(400, "TOKEN_INVALID", f'{exc}; send {{"token": "<uuid>"}}')
    raw = body.get("token")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _x2_error(400, "TOKEN_INVALID", "token is empty")
    if not isinstance(raw, str) or not UUID4_RE.match(raw.strip().lower()):
        return _x2_error(400, "TOKEN_INVALID", "token is not a valid UUIDv4")
    value = raw.strip().lower()
    with sim.lock:
        now = sim.now()
        token = sim.tokens.get(value)
        if token is None or token.revoked:
            return _x2_error(410, "TOKEN_GONE", "token is unknown or was revoked")
        if token.redeemed_at is not None:
            return _x2_error(410, "TOKEN_GONE", "token was already redeemed")
        if now >= token.expires_at:
            return _x2_error(410, "TOKEN_GONE", "token has expired")
        bot = sim.bots[token.bot_id]
        token.redeemed_at = now
        bot.past_tokens.append(bot.token)
        bot.token = new_bot_token(bot.user_id)
        bot.rotations += 1
        bot_token, chat_id = bot.token, token.chat_id
    api_base = f"{req.base_url}{PREFIX}"
    send_url = f"{api_base}/bot{bot_token}/sendMessage"
    answer = {
        "bot_id": bot.bot_id,
        "bot_username": bot.username,
        "bot_token": bot_token,
        "chat_id": chat_id,
        "api_base": api_base,
        "send_message_url": send_url,
        "getUpdates_url": f"{api_base}/bot{bot_token}/getUpdates",
        "example_curl": (
            f"curl -X POST '{send_url}' -H 'Content-Type: application/json' "
            f'-d \'{{"chat_id": {chat_id}, "text": "Hello"}}\''
        ),
    }
    fault = sim.faults.take(req.path, kinds=("partial",))
    if fault is not None and fault.fields:  # the token is spent all the same
        for name, replacement in fault.fields.items():
            if replacement is None:
                answer.pop(name, None)
            else:
                answer[name] = replacement
    return json_response(200, answer)


# ---- the Bot API -------------------------------------------------------------------------------


def _user(bot: Bot) -> dict[str, Any]:
    """getMe's User; ``username`` is optional (seed 002): a bot without one has none here."""
    user: dict[str, Any] = {"id": bot.user_id, "is_bot": True, "first_name": bot.first_name}
    if bot.username:
        user["username"] = bot.username
    return user


def _params(req: Request) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[0] for k, v in req.query.items() if v}
    params.update(req.object_body())
    return params


def bot_api(sim: Simulator, req: Request, token: str, method: str) -> Response:
    if req.method not in ("GET", "POST"):
        return bot_error(405, "Method Not Allowed: use GET or POST")
    try:
        params = _params(req)
    except BodyError as exc:
        return bot_error(400, f"Bad Request: {exc}")
    with sim.lock:
        bot = next((b for b in sim.bots.values() if b.token == token), None)
        if bot is None:
            return bot_error(401, "Unauthorized")
        handler = _METHODS.get(method)
        if handler is None:
            return bot_error(404, "Not Found: method not found")
        return handler(sim, bot, params)


def _get_me(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    return _ok(_user(bot))


def _send_message(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    if params.get("chat_id") in (None, ""):
        return bot_error(400, "Bad Request: chat_id is empty")
    chat_id = _as_int(params.get("chat_id"))
    if chat_id is None or chat_id not in bot.chat_ids:
        return bot_error(400, "Bad Request: chat not found")
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        return bot_error(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT:
        return bot_error(400, "Bad Request: message is too long")
    message = {
        "message_id": sim.next_message_id(),
        "from": _user(bot),
        "date": int(sim.now()),
        "chat": {"id": chat_id, "type": "private"},
        "text": text,
    }
    sim.messages.append({**message, "bot_id": bot.bot_id})
    return _ok(message)


def _webhook_info(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    info: dict[str, Any] = {
        "url": bot.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates),
    }
    if bot.webhook_url:
        info["max_connections"] = 40
        info["allowed_updates"] = ["message"]
    return _ok(info)


def _get_updates(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    if bot.webhook_url:
        return bot_error(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = _as_int(params.get("offset")) if params.get("offset") is not None else None
    if offset is not None:
        bot.updates = [u for u in bot.updates if u.get("update_id", 0) >= offset]
    return _ok(list(bot.updates))


def _set_webhook(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    url = params.get("url")
    if not isinstance(url, str):
        return bot_error(400, "Bad Request: url is required (empty to remove the webhook)")
    bot.webhook_url = url
    return _ok(True)


def _delete_webhook(sim: Simulator, bot: Bot, params: dict[str, Any]) -> Response:
    bot.webhook_url = ""
    return _ok(True)


_METHODS = {
    "getMe": _get_me,
    "sendMessage": _send_message,
    "getWebhookInfo": _webhook_info,
    "getUpdates": _get_updates,
    "setWebhook": _set_webhook,
    "deleteWebhook": _delete_webhook,
}


def handle(sim: Simulator, req: Request) -> Response:
    """Everything under ``/api/v1``."""
    rest = req.path[len(PREFIX) :]
    if rest.rstrip("/") == "/integrations/redeem":
        return redeem(sim, req)
    match = BOT_PATH_RE.match(rest)
    if match:
        return bot_api(sim, req, match.group(1), match.group(2))
    return bot_error(404, "Not Found")
