"""Secrets are masked by construction, and the log scrubber is a working second line."""

from __future__ import annotations

import logging
import pickle

import pytest

from x2desk.core import redact
from x2desk.core.secret import Secret, mask

BOT_TOKEN = "52829374815:Ju1X4yonUDb5MAFtgv8hfUoGNXJMo6CNhJb_wGSIa88"


def test_mask_shows_only_ends() -> None:
    assert mask(BOT_TOKEN) == "5282…a88"
    assert mask("short") == "••••••"


def test_secret_never_formats_its_value() -> None:
    secret = Secret(BOT_TOKEN)
    for shown in (str(secret), repr(secret), f"{secret}", f"{secret:>20}", "%s" % (secret,)):  # noqa: UP031
        assert BOT_TOKEN not in shown
        assert "5282…a88" in shown
    assert secret.reveal() == BOT_TOKEN
    assert Secret(secret) == secret


def test_secret_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(BOT_TOKEN))


def test_scrub_masks_registered_values_and_secret_shapes() -> None:
    Secret("a-registered-api-key-value")
    text = (
        "key a-registered-api-key-value and url http://h/api/v1/bot123:abc/getMe "
        f"and bare {BOT_TOKEN} and /waInstance11/qr/{'f' * 40} and password=hunter22"
    )
    out = redact.scrub(text)
    assert "a-registered-api-key-value" not in out
    assert "bot123:abc" not in out
    assert BOT_TOKEN not in out
    assert "f" * 40 not in out
    assert "hunter22" not in out
    assert redact.scrub("error_code: 401") == "error_code: 401"


def test_installed_factory_scrubs_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    redact.install()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("somelib.deep").warning("sending to /bot%s/sendMessage", BOT_TOKEN)
        try:
            raise ValueError(f"boom {BOT_TOKEN}")
        except ValueError:
            logging.getLogger("x2desk").exception("failed")
    assert caplog.records
    joined = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert BOT_TOKEN not in joined
    assert "5282…a88" in joined or "bot" in joined
