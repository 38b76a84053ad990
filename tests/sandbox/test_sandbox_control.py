"""The sandbox itself and its /_sandbox/ endpoints (API.md section 5), over real HTTP."""

from __future__ import annotations

import logging
import time
import uuid

import httpx
import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import InputError
from x2desk.sandbox.phone import PhoneError, SandboxPhone
from x2desk.sandbox.server import SandboxServer


def redeem(sandbox: SandboxServer, token: str) -> httpx.Response:
    return httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", json={"token": token})


def test_url_is_loopback_with_a_port(sandbox: SandboxServer) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert int(sandbox.url.rsplit(":", 1)[1]) > 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_non_loopback_host_refused(host: str) -> None:
    with pytest.raises(InputError) as info:
        SandboxServer(host=host)
    assert host in info.value.message and "--allow-remote" in info.value.message


def test_allow_remote_is_explicit() -> None:
    server = SandboxServer(host="0.0.0.0", allow_remote=True).start()
    try:
        assert httpx.get(f"{server.url}/_sandbox/state").status_code == 200
    finally:
        server.stop()


def test_unknown_limit_is_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="redem_per_hour"):
        SandboxServer(redem_per_hour=1)


def test_stop_really_stops(fake_clock: FakeClock) -> None:
    server = SandboxServer(clock=fake_clock).start()
    url = server.url
    server.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_sandbox/state", timeout=2)


def test_unknown_paths_are_404(sandbox: SandboxServer) -> None:
    for path in ("/", "/nothing", "/_sandbox/nothing"):
        response = httpx.get(f"{sandbox.url}{path}")
        assert response.status_code == 404 and response.json()["error"] == "NOT_FOUND"
    assert httpx.get(f"{sandbox.url}/_sandbox/reset").status_code == 405


def test_requests_log_masks_bot_tokens(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    data = redeem(sandbox, phone.issue_token()["token"]).json()
    token = data["bot_token"]
    httpx.get(f"{sandbox.url}/api/v1/bot{token}/getMe")
    log = phone.requests()
    assert [(r["method"], r["status"]) for r in log] == [("POST", 200), ("GET", 200)]
    assert log[0]["path"] == "/api/v1/integrations/redeem"
    assert log[1]["path"].startswith("/api/v1/bot") and log[1]["path"].endswith("/getMe")
    assert token not in str(log) and token.split(":")[1] not in str(log)
    assert all(isinstance(r["at"], float) for r in log)


def test_access_log_never_has_a_secret(
    sandbox: SandboxServer, phone: SandboxPhone, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="x2desk.sandbox")
    data = redeem(sandbox, phone.issue_token()["token"]).json()
    httpx.get(f"{sandbox.url}/api/v1/bot{data['bot_token']}/getMe")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/getMe -> 200" in text
    assert data["bot_token"] not in text and data["bot_token"][-20:] not in text


def test_state_has_everything_and_reset_clears_it(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    data = redeem(sandbox, issued["token"]).json()
    state = phone.state()
    assert state["bots"][issued["bot_id"]]["token"] == data["bot_token"]
    assert state["tokens"][issued["token"]]["redeemed_at"] is not None
    assert state["limits"]["token_ttl_s"] == 300
    phone.reset()
    state = phone.state()
    assert state["bots"] == {} and state["tokens"] == {}
    assert phone.requests() == []


def test_messages_bad_chat_id(phone: SandboxPhone) -> None:
    with pytest.raises(PhoneError) as info:
        phone._call("GET", "/messages", params={"chat_id": "x"})
    assert info.value.status == 400


# ---- faults ------------------------------------------------------------------------------------


def test_fault_validation(phone: SandboxPhone) -> None:
    for args in (
        ("api/v1", "drop"),
        ("/api/v1", "explode"),
        ("/api/v1", "latency"),
        ("/api/v1", "status", 42),
        ("/_sandbox/state", "drop"),
    ):
        with pytest.raises(PhoneError) as info:
            phone.fault(*args)  # type: ignore[arg-type]
        assert info.value.status == 400 and info.value.error == "BAD_FAULT"
    with pytest.raises(PhoneError):
        phone.fault("/api/v1", "drop", times=0)


def test_fault_status_for_n_requests(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    phone.fault("/api/v1/integrations/redeem", "status", 503, times=2)
    token = phone.issue_token()["token"]
    assert redeem(sandbox, token).status_code == 503
    assert redeem(sandbox, token).status_code == 503
    assert redeem(sandbox, token).status_code == 200
    assert [r.get("fault") for r in phone.requests()] == ["status", "status", None]


def test_fault_status_429_has_retry_after(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    data = redeem(sandbox, phone.issue_token()["token"]).json()
    phone.fault("/api/v1/bot", "status", 429, retry_after=7)
    response = httpx.get(f"{sandbox.url}/api/v1/bot{data['bot_token']}/getMe")
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    assert response.json()["parameters"] == {"retry_after": 7}
    assert response.json()["ok"] is False


def test_fault_malformed(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    phone.fault("/api/v1/integrations/redeem", "malformed")
    token = phone.issue_token()["token"]
    response = redeem(sandbox, token)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert redeem(sandbox, token).status_code == 200  # not processed: still redeemable


def test_fault_drop_does_not_process(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    phone.fault("/api/v1/integrations/redeem", "drop")
    token = phone.issue_token()["token"]
    with pytest.raises(httpx.RemoteProtocolError):
        redeem(sandbox, token)
    assert redeem(sandbox, token).status_code == 200
    assert [r["status"] for r in phone.requests()] == [None, 200]


def test_fault_drop_after_commit_spends_the_token(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    old_rotations = sandbox.sim.bots[issued["bot_id"]].rotations
    phone.fault("/api/v1/integrations/redeem", "drop_after_commit")
    with pytest.raises(httpx.RemoteProtocolError):
        redeem(sandbox, issued["token"])
    redeems = [r for r in phone.requests() if r["path"] == "/api/v1/integrations/redeem"]
    assert len(redeems) == 1
    assert redeems[0]["status"] == 200 and redeems[0]["fault"] == "drop_after_commit"
    assert sandbox.sim.bots[issued["bot_id"]].rotations == old_rotations + 1
    assert phone.state()["tokens"][issued["token"]]["redeemed_at"] is not None
    assert redeem(sandbox, issued["token"]).status_code == 410


def test_fault_latency_delays_then_answers(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    phone.fault("/api/v1/integrations/redeem", "latency", 0.3)
    started = time.monotonic()
    assert redeem(sandbox, str(uuid.uuid4())).status_code == 410
    assert time.monotonic() - started >= 0.29
    with pytest.raises(httpx.ReadTimeout):
        phone.fault("/api/v1/integrations/redeem", "latency", 0.5)
        httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", json={"token": "x"}, timeout=0.1)


def test_faults_list_and_clear(phone: SandboxPhone) -> None:
    phone.fault("/v2/", "drop", times=3)
    assert phone._call("GET", "/faults")["faults"][0]["times"] == 3
    phone._call("DELETE", "/faults")
    assert phone.state()["faults"] == []


def test_threaded_a_slow_request_does_not_block_others(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    import threading

    phone.fault("/api/v1/integrations/redeem", "latency", 1.5)
    slow = threading.Thread(target=redeem, args=(sandbox, str(uuid.uuid4())))
    slow.start()
    time.sleep(0.1)  # let the slow one arrive first
    assert phone.state() is not None  # another endpoint answers at once...
    assert slow.is_alive()  # ...while the slow request still waits: not blocked by it
    slow.join()


def test_port_in_use_is_a_clear_error(sandbox: SandboxServer) -> None:
    port = int(sandbox.url.rsplit(":", 1)[1])
    with pytest.raises(InputError) as info:
        SandboxServer(port=port).start()
    assert f":{port}" in info.value.message and "--port" in info.value.message
