"""What the sandbox's API modules see of a request, and what they answer."""

from __future__ import annotations

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
        """The JSON (or form) body; ``{}`` when empty. Raises :class:`BodyError` when unreadable."""
        if not self.raw_body.strip():
            return {}
        content_type = (self.header("content-type") or "").lower()
        if "application/x-www-form-urlencoded" in content_type:
            try:
                form = parse_qs(self.raw_body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError as exc:
                raise BodyError("the body is not UTF-8") from exc
            return {k: v[0] for k, v in form.items()}
        try:
            return json.loads(self.raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError("the body is not valid JSON") from exc

    def object_body(self) -> dict[str, Any]:
        body = self.body()
        if not isinstance(body, dict):
            raise BodyError("the body must be a JSON object")
        return body


class BodyError(ValueError):
    """The request body cannot be read as the JSON object the endpoint expects."""


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
