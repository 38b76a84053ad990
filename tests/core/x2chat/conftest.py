"""The X2Chat client and redeem flows of these tests, against the sandbox over 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import RedeemFlow
from x2desk.sandbox.server import SandboxServer


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[X2ChatClient]:
    with X2ChatClient(f"{sandbox.url}/api/v1") as c:
        yield c


@pytest.fixture
def make_flow(client: X2ChatClient, fake_clock: FakeClock) -> Callable[..., RedeemFlow]:
    """A flow on the sandbox and the fake clock; it asks to confirm the rotation unless told."""

    def make(**kwargs: object) -> RedeemFlow:
        kwargs.setdefault("confirm_rotation", True)
        return RedeemFlow(client, clock=fake_clock, **kwargs)  # type: ignore[arg-type]

    return make
