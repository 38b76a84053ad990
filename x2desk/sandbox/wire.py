"""What the sandbox's API modules see of a request, and what they answer."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

_NO_BODY = object()


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_body: bytes
    headers: dict[str, str]  # lower-case names
    client_ip: str
    base_url: str  # "http://127.0.0.1:PORT", as the client reached us

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def body(self) -> Any:
        """The JSON (or form) body; ``{}`` when empty. Raises :class:`BodyError` when unreadable.

        A form-typed body that starts like JSON is read as JSON: ``curl -d '{...}'`` sends JSON
        with curl's default form content type, and that is how people try the sandbox.
        """
        stripped = self.raw_body.strip()
        if not stripped:
            return {}
        content_type = (self.header("content-type") or "").lower()
        looks_json = stripped[:1] in (b"{", b"[")
        if "application/x-www-form-urlencoded" in content_type and not looks_json:
            try:
                form = parse_qs(self.raw_body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError as exc:
                raise BodyError("the body is not UTF-8") from exc
            return {k: v[0] for k, v in form.items()}
        try:
            return json.loads(self.raw_body.decode("utf-8"))
        except RecursionError as exc:  # nested deeper than the parser goes: the client's fault
            raise BodyError("the body is nested too deeply") from exc
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError("the body is not valid JSON") from exc

    def object_body(self) -> dict[str, Any]:
        body = self.body()
        if not isinstance(body, dict):
            raise BodyError("the body must be a JSON object")
        return body


class BodyError(ValueError):
    """The request body cannot be read as the JSON object the endpoint expects."""


class BodyTooLarge(ValueError):
    """A chunked request body longer than the server takes."""


def read_chunked(stream: io.BufferedIOBase, limit: int) -> bytes:
    """A ``Transfer-Encoding: chunked`` body from ``stream`` (trailers skipped).

    :class:`BodyTooLarge` past ``limit`` bytes; ValueError when the chunks are malformed.
    """
    body = bytearray()
    while True:
        line = stream.readline(1024)
        if not line.endswith(b"\n"):
            raise ValueError("bad chunk size line")
        size = int(line.split(b";", 1)[0].strip(), 16)  # ValueError when not hex
        if size < 0:
            raise ValueError("negative chunk size")
        if size == 0:
            for _ in range(100):  # trailers, up to the blank line
                if stream.readline(8192) in (b"\r\n", b"\n", b""):
                    return bytes(body)
            raise ValueError("too many trailers")
        if len(body) + size > limit:
            raise BodyTooLarge("body too large")
        data = stream.read(size)
        if len(data) != size or stream.read(2) != b"\r\n":
            raise ValueError("truncated chunk")
        body += data


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-able, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def json_response(status: int, body: Any, retry_after: float | None = None) -> Response:
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(max(1, int(retry_after + 0.999)))
    return Response(status, body, headers)
