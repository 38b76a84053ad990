"""Fuzzing (hypothesis) of what comes from outside (issue 17, "Proof that stays"): integration
tokens and links, phone numbers, addresses, and every answer parser (each client fed any JSON
under any status through its own transport). Each property: x2desk answers with its value or
one of its own errors, never another exception, and never says a secret it was handed. The
counts are printed at the end of the run (tests/fuzz_counts.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fuzz_counts import count, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from x2desk.core import redact
from x2desk.core.errors import InputError, InsecureUrl, NotIntegrationToken, X2DeskError
from x2desk.core.secret import Secret

MARK = "S3CRET-fuzz-7f3a9c2e"  # a secret hidden in the answers: never in an error
FUZZ = settings(
    max_examples=examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def forget_registered_secrets() -> Iterator[None]:
    """Parsers register what they read as secrets with the log scrubber: random values must not
    stay registered for the tests that run after these."""
    with redact._lock:
        before = set(redact._known)
    yield
    with redact._lock:
        redact._known.clear()
        redact._known.update(before)


# ---- tokens ------------------------------------------------------------------------------------

UUID4 = st.uuids(version=4).map(str)
LINK_FORMS = st.sampled_from(
    [
        "{t}",
        "x2chat://bot/integrate?token={t}",
        "https://x2chat.com/integrate?token={t}",
        "https://ix.x2chat.com/x?token={t}",
        "https://x2chat.evil/integrate?token={t}",
        "https://evil.com\\@x2chat.com/?token={t}",
        "x2chat://webhook/connect?secret={t}",
        "tg://login?token={t}",
        "{t}{t}",
        "token={t}",
    ]
)
NOISE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def token_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=120))
    form = draw(LINK_FORMS).format(t=draw(UUID4).upper() if draw(st.booleans()) else draw(UUID4))
    cut = draw(st.integers(0, len(form)))
    mutated = form[:cut] + draw(NOISE) + form[cut + draw(st.integers(0, 3)) :]
    return draw(st.sampled_from([form, mutated, f" {form}\n"]))


@FUZZ
@given(token_texts())
def test_tokens(text: str) -> None:
    from x2desk.core.x2chat.tokens import classify, parse_integration_token

    count("tokens")
    intake = classify(text)
    if intake.token is not None:
        assert intake.kind == "integration_token"
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", intake.token
        )
        assert parse_integration_token(text) == intake.token
    else:
        with pytest.raises(NotIntegrationToken):
            parse_integration_token(text)
    if len(text.strip()) >= 8:
        assert text.strip() not in intake.explanation  # a pasted text may be a secret


# ---- phones ------------------------------------------------------------------------------------

DIGITS = st.sampled_from(
    ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "０１２３４５６７８９", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗"]
)


@st.composite
def phone_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=30))
    digits = draw(DIGITS)
    body = "".join(draw(st.lists(st.sampled_from(digits), min_size=0, max_size=18)))
    seps = draw(
        st.lists(st.sampled_from([" ", "-", "(", ")", ".", "\u00a0", "x", "/"]), max_size=3)
    )
    for sep in seps:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + sep + body[at:]
    return draw(st.sampled_from(["+", "00", "", "++", "+ "])) + body


@FUZZ
@given(phone_texts())
def test_phones(text: str) -> None:
    from x2desk.core.accounts.inputs import normalise_phone

    count("phones")
    try:
        phone = normalise_phone(text)
    except InputError:
        return
    assert re.fullmatch(r"\+[1-9][0-9]{6,14}", phone), phone  # E.164, ASCII digits only


# ---- addresses ---------------------------------------------------------------------------------

HOSTS = st.sampled_from(
    ["127.0.0.1", "localhost", "[::1]", "example.com", "127.0.0.1.evil.com", "evil.com\\@127.0.0.1",
     "127.0.0.1\\@evil.com", "user@127.0.0.1", "127.0.0.1@evil.com", "0x7f.1", "LOCALHOST.", ""]
)  # fmt: skip


@st.composite
def url_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=60))
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "ftp", "file", "javascript", ""]))
    port = draw(st.sampled_from(["", ":8080", ":0", ":99999", ":x"]))
    return f"{scheme}://{draw(HOSTS)}{port}{draw(st.sampled_from(['', '/v2', '/a?b#c']))}"


@FUZZ
@given(url_texts())
def test_addresses(text: str) -> None:
    from x2desk.core.net import is_loopback_host, require_secure

    count("urls")
    try:
        url = require_secure(text)
    except InsecureUrl:
        return
    try:
        parsed = httpx.URL(url)
    except Exception:  # httpx refuses it: send() turns that into CannotConnect, nothing sent
        return
    # what httpx would connect to: https, or plain http only to this computer
    assert parsed.scheme == "https" or is_loopback_host(parsed.host), (text, parsed.host)


@FUZZ
@given(url_texts(), st.one_of(st.none(), st.text(max_size=14)))
def test_green_api_addresses(text: str, id_instance: str | None) -> None:
    from x2desk.core.greenapi.client import check_api_url

    count("urls")
    try:
        url = check_api_url(text, id_instance)
    except InputError:
        return
    assert url.lower().startswith(("https://", "http://")) and "?" not in url and "#" not in url


# ---- answers -----------------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


# Fields that carry a secret: their values may be the marked secret, which no error may say.
SECRET_FIELDS = {"bot_token", "send_message_url", "getUpdates_url", "params", "url"}
SECRET_VALUES = st.one_of(
    JSON,
    st.just(MARK),
    st.just(f"https://ix.x2chat.com/bot{MARK}/sendMessage"),
    st.just({"token": MARK, "api_key": MARK, "url": f"tg://login?token={MARK}"}),
)


def shaped(*keys: str) -> st.SearchStrategy[Any]:
    """Dicts with some of the expected keys, any values (and sometimes anything at all); the
    fields that carry secrets sometimes carry the marked one."""
    values = {k: SECRET_VALUES if k in SECRET_FIELDS else JSON for k in keys}
    return st.one_of(st.fixed_dictionaries({}, optional=values), JSON)


def said(exc: BaseException) -> str:
    return f"{exc} {exc!r} {getattr(exc, 'message', '')}"


def parses(parse: Callable[[], Any]) -> None:
    try:
        parse()
    except X2DeskError as exc:
        assert MARK not in said(exc)


PARSERS: dict[str, tuple[Callable[[Any], Any], st.SearchStrategy[Any]]] = {}
REDEEM_FIELDS = (
    "bot_token",
    "bot_id",
    "bot_username",
    "chat_id",
    "api_base",
    "send_message_url",
    "getUpdates_url",
)


def _parsers() -> None:
    from x2desk.core.accounts import shapes
    from x2desk.core.greenapi import client as green
    from x2desk.core.x2chat.answers import parse_redeemed

    PARSERS.update(
        {
            "redeem answer": (
                lambda d: parse_redeemed(d, "https://ix.x2chat.com/api/v1"),
                shaped(*REDEEM_FIELDS),
            ),
            "provider company": (shapes.parse_company, shaped("id", "name")),
            "provider session": (
                lambda d: shapes.parse_session(d, 1.8e9),
                shaped("session_id", "status", "qr_login", "connection_id", "password_hint")
                | st.just(
                    {"session_id": "s", "status": "waiting_for_qr", "qr_login": {"url": MARK}}
                ),
            ),
            "provider connection": (
                shapes.parse_connection,
                shaped("id", "type", "name", "status", "params"),
            ),
            "whatsapp status": (
                lambda d: shapes.parse_whatsapp_status(d, 1.8e9),
                shaped("status", "qr", "expires"),
            ),
            "expiry": (lambda d: shapes.parse_expires(d, 1.8e9), JSON),
            "green-api qr": (green.parse_qr, shaped("type", "message")),
            "green-api state": (green.parse_state, shaped("stateInstance")),
            "green-api auth": (
                lambda d: green.parse_auth(d, "sendAuthorizationCode"),
                shaped("status", "data"),
            ),
        }
    )


_parsers()


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_answer_parsers(name: str) -> None:
    parse, strategy = PARSERS[name]

    @settings(FUZZ, max_examples=examples(150))
    @given(strategy)
    def run(data: Any) -> None:
        count(f"parser: {name}")
        parses(lambda: parse(data))

    run()


# ---- whole clients, through their own transport ------------------------------------------------

STATUSES = st.sampled_from(
    [200, 200, 200, 201, 204, 301, 400, 401, 402, 403, 404, 409, 410, 429, 466, 500, 502, 503]
)
BODIES = st.one_of(JSON.map(json.dumps), st.binary(max_size=40), st.just(b""), st.just(b"<html>"))
HEADERS = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type"]), st.text(max_size=30), max_size=2
)
CALLS = ["redeem", "getMe", "getWebhookInfo", "sendMessage", "companies", "telegram init",
         "telegram login", "connections", "create", "whatsapp status", "green state", "green qr",
         "green code", "green logout"]  # fmt: skip


def _transport(status: int, body: Any, headers: dict[str, str]) -> httpx.MockTransport:
    content = body if isinstance(body, bytes) else body.encode("utf-8", "replace")

    def answer(request: httpx.Request) -> httpx.Response:
        safe = {k: v.encode("ascii", "replace").decode() for k, v in headers.items()}
        return httpx.Response(status, content=content, headers=safe)

    return httpx.MockTransport(answer)


def _call(name: str, http: httpx.Client) -> Any:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.greenapi.client import GreenApiClient
    from x2desk.core.x2chat.client import X2ChatClient

    bot = Secret("123456789:" + "Ab" * 17 + "c")
    x2 = X2ChatClient("https://ix.x2chat.com/api/v1", http=http)
    key = Secret("key-" + "9" * 20)
    provider = ConnectionsClient("https://api.radist.online/v2", key, http=http, company_id=1)
    fresh = ConnectionsClient("https://api.radist.online/v2", key, http=http)
    green = GreenApiClient(
        "https://1101.api.green-api.com", "1101000042", Secret("c3" * 25), http=http
    )
    return {
        "redeem": lambda: x2.redeem("fc6e2368-b677-430d-9f2f-295ce705c9d0"),
        "getMe": lambda: x2.get_me(bot),
        "getWebhookInfo": lambda: x2.get_webhook_info(bot),
        "sendMessage": lambda: x2.send_message(bot, 5, "hi"),
        "companies": fresh.companies,
        "telegram init": lambda: provider.telegram_init("qr"),
        "telegram login": lambda: provider.telegram_login("s1", code=Secret("12345")),
        "connections": lambda: provider.list_connections(),
        "create": lambda: provider.create_connection("n", "telegram_bot", {"token": bot}),
        "whatsapp status": lambda: provider.whatsapp_status(1),
        "green state": green.state,
        "green qr": green.qr,
        "green code": lambda: green.send_code(Secret("12345")),
        "green logout": green.logout,
    }[name]()


@pytest.fixture
def few_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A list that never ends is cut off after MAX_PAGES (1000: too slow to reach here)."""
    from x2desk.core.accounts import client as provider_client

    monkeypatch.setattr(provider_client, "MAX_PAGES", 5)


@settings(FUZZ, max_examples=examples(300))
@given(st.sampled_from(CALLS), STATUSES, BODIES, HEADERS)
def test_clients_take_any_answer(
    few_pages: None, call: str, status: int, body: Any, headers: dict[str, str]
) -> None:
    from x2desk.core.net import make_http_client

    count("answers through the clients")
    with make_http_client(_transport(status, body, headers)) as http:
        try:
            _call(call, http)
        except X2DeskError as exc:
            text = said(exc)  # none of the secrets it sent
            assert "123456789:" not in text and "c3c3c3c3" not in text and "9999999" not in text
