"""A whole redeem with logging at DEBUG, through the CLI and through the flow: the bot token
appears in no log record, no exception text, no stdout/stderr and no file under X2DESK_HOME."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from x2desk import cli
from x2desk.core import redact
from x2desk.core.errors import X2DeskError
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import RedeemFlow, Step
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


@pytest.fixture
def log_file(x2desk_home: Path) -> Iterator[Path]:
    """A DEBUG file handler on the root logger, writing under X2DESK_HOME."""
    x2desk_home.mkdir(parents=True, exist_ok=True)
    path = x2desk_home / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield path
    root.removeHandler(handler)
    handler.close()


def record_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_text:
            texts.append(record.exc_text)
        if record.exc_info:
            texts.append("".join(traceback.format_exception(*record.exc_info)))
    return texts


def assert_nowhere(token: str, home: Path, *texts: str) -> None:
    assert token
    for text in texts:
        assert token not in text
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files  # the records database and the log file at least
    for path in files:
        assert token.encode() not in path.read_bytes(), f"the bot token is in {path.name}"


def error_texts(error: X2DeskError | None) -> list[str]:
    if error is None:
        return []
    return [str(error), repr(error), "".join(traceback.format_exception(error))]


def test_cli_redeem_at_debug(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    log_file: Path,
    x2desk_home: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    redact.install()
    # Even httpx's own request lines (full URLs with /bot<TOKEN>/) are on.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        issued = phone.issue_token()
        api = f"{sandbox.url}/api/v1"
        argv = ["-v", "redeem", issued["deep_link"], "--yes", "--api-base", api]
        code = cli.main([*argv, "--test-message", "leak test"])
        out, err = capsys.readouterr()
        assert code == 0, err
        token = phone.bot_token(issued["bot_id"])
        # A failing check afterwards: the error paths must not leak either.
        phone.fault("/api/v1/bot", "status", 401)
        assert cli.main(["-v", "list"]) == 0
        out2, err2 = capsys.readouterr()
    finally:
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
    assert any("getMe" in text for text in record_texts(caplog))  # DEBUG really was on
    assert any(t.startswith("HTTP Request") and "/bot" in t for t in record_texts(caplog))
    assert_nowhere(token, x2desk_home, out, err, out2, err2, caplog.text, *record_texts(caplog))
    assert "getMe" in log_file.read_text(encoding="utf-8")


def test_flow_redeem_at_debug_without_the_scrubber(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    log_file: Path,
    x2desk_home: Path,
) -> None:
    """Our own code must not log the token at all: the scrubber is taken away for this test."""
    previous_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    caplog.set_level(logging.DEBUG, logger="x2desk")
    errors: list[X2DeskError | None] = []
    try:
        with X2ChatClient(f"{sandbox.url}/api/v1") as client:
            flow = RedeemFlow(client, confirm_rotation=True)
            issued = phone.issue_token()
            flow.submit(issued["deep_link"])
            flow.confirm()
            state = flow.redeem()
            assert state.step is Step.CHECKING
            token = phone.bot_token(issued["bot_id"])
            for kind, value in (("status", 401), ("drop", None), ("malformed", None)):
                phone.fault("/api/v1/bot", kind, value)
                state = flow.check()
                assert state.step is Step.FAILED and state.failure is not None
                errors.append(state.failure.error)
                if state.failure.recovery == "scan_again":
                    break
                flow.retry()
            flow.skip_checks()
            phone.fault("/api/v1/bot", "status", 400)
            flow.send_test_message("leak test")
            errors.append(flow.state.test_error)
            flow.send_test_message("leak test")
            flow.finish()
            final = flow.state
    finally:
        logging.setLogRecordFactory(previous_factory)
    out, err = capsys.readouterr()
    assert final.step is Step.SAVED and final.test_message is not None
    assert any("POST" in text for text in record_texts(caplog))  # DEBUG really was on
    texts = [t for e in errors for t in error_texts(e)]
    assert len(texts) >= 6
    assert_nowhere(
        token,
        x2desk_home,
        out,
        err,
        caplog.text,
        repr(final),
        str(final),
        *record_texts(caplog),
        *texts,
    )
