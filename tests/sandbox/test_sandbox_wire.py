"""The sandbox at the wire: chunked bodies, hostile JSON, the listen backlog, a bounded request
log, the banner's curl example and the trickle fault (issue 17, item 10)."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import httpx
import pytest

from x2desk.sandbox import server as server_module
from x2desk.sandbox.phone import PhoneError, SandboxPhone
from x2desk.sandbox.server import SandboxServer
from x2desk.sandbox.wire import BodyTooLarge, read_chunked


def chunks(*parts: bytes) -> Iterator[bytes]:
    yield from parts  # a generator body: httpx sends it with Transfer-Encoding: chunked


def test_a_chunked_body_is_read(sandbox: SandboxServer) -> None:
    answer = httpx.post(
        f"{sandbox.url}/_sandbox/x2chat/issue",
        content=chunks(b'{"chat_', b'id": 4242', b"}"),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["chat_id"] == 4242  # before: the body was ignored, the default used


def test_a_chunked_redeem_redeems(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    token = phone.issue_token()["token"]
    answer = httpx.post(
        f"{sandbox.url}/api/v1/integrations/redeem",
        content=chunks(b'{"token": "', token.encode(), b'"}'),
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 200 and answer.json()["bot_token"]


def test_a_chunked_body_too_large_is_413(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "MAX_BODY", 10)
    answer = httpx.post(f"{sandbox.url}/_sandbox/x2chat/issue", content=chunks(b"{" * 8, b" " * 8))
    assert answer.status_code == 413


@pytest.mark.parametrize(
    "raw",
    [b"zz\r\n{}\r\n0\r\n\r\n", b"5\r\n{}\r\n", b"-1\r\n", b"3\r\nabc", b"2\r\n{}XX0\r\n\r\n"],
)
def test_malformed_chunks_are_refused(raw: bytes) -> None:
    with pytest.raises(ValueError):
        read_chunked(io.BytesIO(raw), 1000)


def test_read_chunked_reads_extensions_and_trailers() -> None:
    raw = b'4;name=x\r\n{"a"\r\n3\r\n: 1\r\n1\r\n}\r\n0\r\nX-Trailer: y\r\n\r\n'
    assert read_chunked(io.BytesIO(raw), 100) == b'{"a": 1}'
    with pytest.raises(BodyTooLarge):
        read_chunked(io.BytesIO(raw), 5)


def test_a_malformed_chunked_request_is_400_on_the_wire(sandbox: SandboxServer) -> None:
    host, port = sandbox.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(
            b"POST /_sandbox/x2chat/issue HTTP/1.1\r\nHost: x\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nnot-hex\r\n"
        )
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/integrations/redeem",
        "/_sandbox/x2chat/issue",
        "/v2/connections",
        "/waInstance1101000001/getStateInstance/x",
    ],
)
def test_deeply_nested_json_is_400_not_500(sandbox: SandboxServer, path: str) -> None:
    depth = 200_000
    body = b"[" * depth + b"]" * depth  # under the 1 MiB limit, past the parser's recursion
    answer = httpx.post(
        f"{sandbox.url}{path}", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code != 500
    if path.startswith(("/api/v1/integrations", "/_sandbox")):
        assert answer.status_code == 400
        assert "nested too deeply" in answer.text


def test_the_banners_curl_example_works(sandbox: SandboxServer) -> None:
    # curl -s -X POST URL/_sandbox/x2chat/issue -d '{}' sends curl's default form content type
    answer = httpx.post(
        f"{sandbox.url}/_sandbox/x2chat/issue",
        content=b"{}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["token"]


def test_a_real_form_body_is_still_a_form(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    token = phone.issue_token()["token"]
    answer = httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", data={"token": token})
    assert answer.status_code == 200


def test_the_listen_backlog_takes_a_burst() -> None:
    assert server_module._HttpServer.request_queue_size >= 128


def test_the_request_log_keeps_only_the_newest(
    sandbox: SandboxServer, phone: SandboxPhone, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "REQUEST_LOG_LIMIT", 5)
    for number in range(8):
        httpx.get(f"{sandbox.url}/v2/connections/{number}")
    paths = [entry["path"] for entry in phone.requests()]
    assert paths == [f"/v2/connections/{n}" for n in range(3, 8)]


def test_the_trickle_fault_is_checked(phone: SandboxPhone) -> None:
    for bad in (None, 0, 6, True):
        with pytest.raises(PhoneError, match="trickle"):
            phone.fault("/v2/", "trickle", bad)  # type: ignore[arg-type]


def test_a_trickled_answer_arrives_whole_for_a_patient_client(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    phone.fault("/v2/", "trickle", 0.001)
    answer = httpx.get(f"{sandbox.url}/v2/connections", timeout=10)
    assert answer.status_code == 401 and answer.json()["error"]
    assert phone.requests()[-1]["fault"] == "trickle"
