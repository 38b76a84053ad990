"""The slower-server knobs (issue 11 item 7): ``x2desk sandbox --latency 0-1.2 --qr-rotate 10
--fail-after-scan 503``, and the same as ``SandboxServer`` parameters for tests and the demo."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

import httpx
import pytest

from x2desk import cli
from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError, ServerError
from x2desk.core.greenapi.client import GreenApiClient, read_qr_png
from x2desk.core.secret import Secret
from x2desk.sandbox import knobs
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer


def test_the_knobs_parse_into_limits() -> None:
    assert knobs.parse_latency("0-1.2") == (0.0, 1.2)
    assert knobs.parse_latency(" 0.5 ") == (0.5, 0.5)
    for bad in ("fast", "2-1", "0-99", "-1"):
        with pytest.raises(InputError, match="--latency"):
            knobs.parse_latency(bad)
    limits = knobs.limits_for("0-1.2", 10, 503)
    assert limits["latency_s"] == (0.0, 1.2) and limits["fail_after_scan"] == 503
    assert limits["qr_rotation_s"] == limits["greenapi_qr_rotation_s"] == 10.0
    assert limits["whatsapp_qr_rotation_s"] == 10.0
    with pytest.raises(InputError, match="400-599"):
        knobs.limits_for(fail_after_scan=200)
    assert knobs.limits_for() == {} and knobs.describe({}) == ""
    assert "latency 0-1.2 s" in knobs.describe(limits)


def test_the_command_line_takes_them() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(
        ["sandbox", "--latency", "0-1.2", "--qr-rotate", "10", "--fail-after-scan", "503"]
    )
    assert knobs.limits_from_args(args) == knobs.limits_for("0-1.2", 10, 503)
    assert knobs.limits_from_args(argparse.Namespace()) == {}


def test_bad_knob_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sandbox", "--latency", "soon"]) == 2
    err = capsys.readouterr().err
    assert "--latency" in err and "Traceback" not in err


@pytest.fixture
def slow(fake_clock: FakeClock) -> Iterator[SandboxServer]:
    limits = knobs.limits_for("0.15-0.2", 10, 503)
    with SandboxServer(clock=fake_clock, **limits) as server:
        yield server


def test_every_api_answer_waits_but_the_phone_does_not(slow: SandboxServer) -> None:
    with SandboxPhone(slow.url) as phone:
        started = time.monotonic()
        key = phone.provider_key()  # /_sandbox/: no wait
        quick = time.monotonic() - started
        started = time.monotonic()
        httpx.get(f"{slow.url}/v2/companies/", headers={"X-Api-Key": key})
        waited = time.monotonic() - started
    assert waited >= 0.15 and quick < 0.15


def test_qrs_rotate_every_n_seconds_and_one_poll_fails_after_a_scan(
    slow: SandboxServer, fake_clock: FakeClock
) -> None:
    with SandboxPhone(slow.url) as phone:
        account = phone.provider_account()
        company = account["companies"][0]["id"]
        api = httpx.Client(
            base_url=f"{slow.url}/v2/companies/{company}",
            headers={"X-Api-Key": account["api_key"]},
        )
        with api:
            session = api.post("/telegram/init", json={"auth_type": "qr"}).json()
            first = session["qr_login"]["url"]
            fake_clock.advance(10)
            poll = {"session_id": session["session_id"]}
            second = api.post("/telegram/login", json=poll).json()["qr_login"]["url"]
            assert second != first  # rotated after 10 s, not 30
            phone.scan(second)
            assert api.post("/telegram/login", json=poll).status_code == 503  # once
            assert api.post("/telegram/login", json=poll).json()["status"] == "authenticated"


def test_a_green_api_scan_fails_its_next_poll_once(fake_clock: FakeClock) -> None:
    server = SandboxServer(clock=fake_clock, **knobs.limits_for(fail_after_scan=503))
    with server, SandboxPhone(server.url) as phone:
        instance = phone.greenapi_instance()
        token = Secret(instance["apiTokenInstance"])
        with GreenApiClient(server.url, instance["idInstance"], token) as client:
            phone.scan(read_qr_png(client.qr().png or b"") or "")
            with pytest.raises(ServerError):
                client.state()
            assert client.state() == "authorized"
