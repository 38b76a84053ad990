"""``x2desk sandbox``: serves until stopped, prints the URL and a hint; refuses remote hosts."""

from __future__ import annotations

import argparse
import re
import threading
import time

import httpx
import pytest

from x2desk import cli
from x2desk.commands import sandbox as command


def test_serves_prints_url_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    args = argparse.Namespace(host="127.0.0.1", port=0, allow_remote=False)
    thread = threading.Thread(target=command.run, args=(args, stop))
    thread.start()
    try:
        url = None
        deadline = time.monotonic() + 5
        while url is None and time.monotonic() < deadline:
            found = re.search(r"serving on (http://127\.0\.0\.1:\d+)", capsys.readouterr().out)
            url = found.group(1) if found else None
            time.sleep(0.01)
        assert url is not None
        issued = httpx.post(f"{url}/_sandbox/x2chat/issue", json={}).json()
        assert issued["deep_link"].startswith("x2chat://bot/integrate?token=")
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_hint_has_curl(capsys: pytest.CaptureFixture[str]) -> None:
    stop = threading.Event()
    stop.set()
    command.run(argparse.Namespace(host="127.0.0.1", port=0, allow_remote=False), stop)
    out = capsys.readouterr().out
    assert "curl -s -X POST http://127.0.0.1:" in out and "/_sandbox/x2chat/issue" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["sandbox", "--host", "0.0.0.0"], "--allow-remote"),
        (["sandbox", "--port", "70000"], "not a port number"),
    ],
)
def test_bad_arguments_one_clear_line(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
