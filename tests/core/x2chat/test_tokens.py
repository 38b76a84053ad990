from __future__ import annotations

import uuid
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from x2desk.core.errors import NotIntegrationToken
from x2desk.core.x2chat import tokens
from x2desk.core.x2chat.tokens import Kind, classify, parse_integration_token

TOKEN = "fc6e2368-b677-430d-9f2f-295ce705c9d0"  # the seed's example


@pytest.mark.parametrize(
    "text",
    [
        TOKEN,
        TOKEN.upper(),
        f"  {TOKEN}\n",
        f"\ufeff{TOKEN}\u200b",
        f"x2chat://bot/integrate?token={TOKEN}",
        f"X2CHAT://bot/integrate?token={TOKEN.upper()}",
        f"x2chat://bot/integrate/?token={TOKEN}&source=app",
        f"https://ix.x2chat.com/bot/integrate?token={TOKEN}",
        f"http://x2chat.com/i?a=1&token={TOKEN}",
    ],
)
def test_accepted_forms(text: str) -> None:
    intake = classify(text)
    assert intake.kind == "integration_token"
    assert intake.token == TOKEN
    assert intake.ok
    assert "5 minutes" in intake.explanation
    assert parse_integration_token(text) == TOKEN


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("", "empty", "Nothing to read"),
        ("  \t\n", "empty", "Nothing to read"),
        (str(uuid.uuid1()), "text", "version 1"),
        ("fc6e2368-b677-530d-9f2f-295ce705c9d0", "text", "version 5"),
        ("fc6e2368-b677-430d-cf2f-295ce705c9d0", "text", "wrong variant"),
        (TOKEN[:20], "text", "cut short: it has 20 of the 36"),
        (TOKEN.replace("-", ""), "text", "without its dashes"),
        (TOKEN + TOKEN, "text", "too long"),
        ("fc6e2368b677-430d-9f2f-295ce705-c9d0", "text", "dashes are in the wrong places"),
        (f"token={TOKEN}", "text", "other characters around it"),
        (f"{TOKEN}.", "text", "other characters around it"),
        (f'"{TOKEN}"', "text", "other characters around it"),
        ("x2chat://webhook/connect?secret=abcdef", "webhook_qr", "Webhook QR"),
        ("x2chat://bot/webhook?token=" + TOKEN, "webhook_qr", "Webhook QR"),
        ("tg://login?token=AQIDBAUGBwgJ", "telegram_login", "Telegram login QR"),
        ("tg://resolve?domain=x", "url", "Telegram link"),
        ("https://example.com/?token=" + TOKEN, "url", "https://example.com"),
        ("https://x2chat.com/download", "url", "has no token"),
        ("x2chat://bot/integrate", "url", "has no token"),
        ("x2chat://bot/integrate?token=" + TOKEN[:10], "url", "cut short"),
        ("x2chat://bot/integrate?token=hello", "url", "not an X2Chat integration token"),
        ("www.example.com", "url", "web address"),
        ("hello there", "text", "ordinary text (11 characters)"),
        ("123456789:AAE_abcdefghijklmnopqrstuvwxyz0123", "text", "bot token"),
        ("http://[::1", "url", "broken link"),
    ],
)
def test_refused_with_a_specific_message(text: str, kind: str, words: str) -> None:
    intake = classify(text)
    assert intake.kind == kind
    assert intake.token is None
    assert words in intake.explanation
    with pytest.raises(NotIntegrationToken) as info:
        parse_integration_token(text)
    assert info.value.message == intake.explanation


def test_explanations_never_echo_the_input() -> None:
    secretish = "correct-horse-battery-staple-42"
    assert secretish not in classify(secretish).explanation
    hook = "x2chat://webhook/connect?secret=s3cr3tvalue0123456789"
    assert "s3cr3t" not in classify(hook).explanation
    bot = "123456789:AAE_abcdefghijklmnopqrstuvwxyz0123"
    assert bot not in classify(bot).explanation


def test_non_text_is_classified_not_raised() -> None:
    assert classify(None).kind == "text"  # type: ignore[arg-type]
    assert classify(b"bytes").token is None  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_input_raises_anything_but_our_error(text: str) -> None:
    intake = classify(text)
    assert intake.kind in get_args(Kind)
    assert (intake.token is not None) == (intake.kind == "integration_token")
    assert intake.explanation
    try:
        token = parse_integration_token(text)
    except NotIntegrationToken as exc:
        assert exc.message == intake.explanation
    else:
        assert token == intake.token


_url_ish = st.builds(
    lambda scheme, host, rest: f"{scheme}://{host}{rest}",
    st.sampled_from(["x2chat", "tg", "https", "http", "ftp", "X2CHAT"]),
    st.sampled_from(["bot", "login", "x2chat.com", "ix.x2chat.com", "", "[::1", "example.org"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(_url_ish)
def test_url_like_inputs_never_crash(text: str) -> None:
    try:
        parse_integration_token(text)
    except NotIntegrationToken as exc:
        assert exc.message


@settings(max_examples=200, deadline=None)
@given(
    st.uuids(version=4),
    st.sampled_from(["bare", "upper", "deep", "https", "spaces"]),
    st.text(alphabet=" \t\r\n", max_size=3),
)
def test_round_trip_of_valid_tokens(value: uuid.UUID, form: str, pad: str) -> None:
    token = str(value)
    text = {
        "bare": token,
        "upper": token.upper(),
        "deep": f"x2chat://bot/integrate?token={token}",
        "https": f"https://ix.x2chat.com/integrate?token={token.upper()}",
        "spaces": f"{pad}{token}{pad}",
    }[form]
    assert parse_integration_token(pad + text + pad) == token


@settings(max_examples=200, deadline=None)
@given(st.uuids(version=4), st.integers(min_value=1, max_value=35))
def test_truncated_tokens_say_so(value: uuid.UUID, keep: int) -> None:
    cut = str(value)[:keep].rstrip("-")
    if not cut:
        return
    intake = classify(cut)
    assert intake.token is None
    assert "cut short" in intake.explanation


# ---- which web links count as X2Chat's (issue 17, item 10) ------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        f"https://x2chat.evil/integrate?token={TOKEN}",
        f"https://evil.com\\@x2chat.com/integrate?token={TOKEN}",
        f"https://evil.com\\@ix.x2chat.com/integrate?token={TOKEN}",
        f"https://user@x2chat.com/integrate?token={TOKEN}",
        f"https://x2chat.com@evil.com/integrate?token={TOKEN}",
        f"https://x2chat.com\\@evil.com/integrate?token={TOKEN}",
        f"https://evil-x2chat.com/integrate?token={TOKEN}",
        f"https://x2chat.com.evil.com/integrate?token={TOKEN}",
        f"https://x2chat.co/integrate?token={TOKEN}",
        f"https://x2chat/integrate?token={TOKEN}",
    ],
)
def test_lookalike_hosts_are_not_x2chat(link: str) -> None:
    intake = classify(link)
    assert intake.token is None and intake.kind == "url"
    for pretended in ("(https://x2chat.com)", "(https://ix.x2chat.com)"):
        assert pretended not in intake.explanation  # never names a host it only pretends


@pytest.mark.parametrize(
    "link",
    [
        f"https://x2chat.com/i?token={TOKEN}",
        f"https://ix.x2chat.com/i?token={TOKEN}",
        f"https://a.b.x2chat.com/i?token={TOKEN}",
        f"https://IX.X2Chat.COM/i?token={TOKEN}",
        f"https://x2chat.com./i?token={TOKEN}",
        f"https://x2chat.com:443/i?token={TOKEN}",
    ],
)
def test_x2chat_and_its_subdomains_are(link: str) -> None:
    assert classify(link).token == TOKEN


_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_host = st.lists(_label, min_size=1, max_size=4).map(".".join)


@settings(max_examples=300, deadline=None)
@given(_host, st.sampled_from(["", "x2chat.com", "x2chat", ".x2chat.com", "x2chat.com."]))
def test_only_x2chat_com_and_its_subdomains_count(prefix: str, suffix: str) -> None:
    from x2desk.core.x2chat.tokens import is_x2chat_link

    host = (prefix + suffix).lower()
    bare = host.rstrip(".")
    labels = bare.split(".")
    well_formed = all(
        label and not label.startswith("-") and not label.endswith("-") for label in labels
    )
    expected = well_formed and (bare == "x2chat.com" or bare.endswith(".x2chat.com"))
    assert is_x2chat_link(f"https://{host}/i?token={TOKEN}") == expected


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="/?#"), min_size=1, max_size=20
    ),
    st.sampled_from(["@", "\\@", "\\", "@@", ":pw@"]),
    st.sampled_from(["x2chat.com", "ix.x2chat.com"]),
)
def test_a_link_with_user_info_or_a_backslash_is_never_x2chat(
    before: str, joiner: str, x2chat: str
) -> None:
    from x2desk.core.x2chat.tokens import is_x2chat_link

    link = f"https://{before}{joiner}{x2chat}/integrate?token={TOKEN}"
    assert not is_x2chat_link(link)
    assert classify(link).token is None


def test_a_found_token_is_not_classified_again(monkeypatch: pytest.MonkeyPatch) -> None:
    intake = tokens.classify("x2chat://bot/integrate?token=" + str(uuid.uuid4()).upper())
    assert isinstance(intake.token, tokens.IntegrationToken) and intake.token.islower()
    looked: list[str] = []
    real = tokens._classify_url
    monkeypatch.setattr(tokens, "_classify_url", lambda *a: looked.append("url") or real(*a))
    monkeypatch.setattr(tokens, "_uuid_problem", lambda c: looked.append("uuid") or None)
    again = tokens.classify(intake.token)
    assert (
        again.token == intake.token and tokens.parse_integration_token(intake.token) is intake.token
    )
    assert looked == []  # the token travelled with its classification: nothing re-parsed it
