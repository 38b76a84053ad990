"""The fault matrix at the core level (issue 17, "Proof that stays"): every endpoint x2desk
calls x 500/502/503/429 with and without Retry-After (a huge one is capped) / drop / malformed /
latency past the deadline, and drop_after_commit on the redeem and a create. The cases live in
``tests/fault_matrix.py`` (``bench/redteam.py`` runs the same ones)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fault_matrix import ENDPOINTS, FAULTS, LIMITS, Endpoint, Fault, World, case_id, cases, run_case

CASES = list(cases())


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One sandbox for the whole matrix (each case injects its own fault; starting and stopping
    one per case would cost most of the time)."""
    from x2desk.core.clock import FakeClock
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    clock = FakeClock()
    with SandboxServer(clock=clock, **LIMITS) as sandbox, SandboxPhone(sandbox.url) as phone:
        w = World(sandbox, phone, clock)
        yield w
        w.close()


def test_the_matrix_covers_every_endpoint_and_fault() -> None:
    services = {e.service for e in ENDPOINTS}
    assert services == {"x2chat", "provider", "greenapi"}
    assert len(ENDPOINTS) >= 22 and len(FAULTS) == 9
    commits = [e.name for e in ENDPOINTS if e.commit is not None]
    assert commits == ["redeem", "create connection"]
    assert len(CASES) == len(ENDPOINTS) * len(FAULTS) + len(commits)


@pytest.mark.parametrize(("endpoint", "fault"), CASES, ids=[case_id(c) for c in CASES])
def test_fault(world: World, endpoint: Endpoint, fault: Fault) -> None:
    assert run_case(world, endpoint, fault) == []
