"""The kiosk's clocks, on a fake clock: the idle countdown, deadlines, and the probe schedule
(every minute online; sooner, then less often, while offline)."""

from __future__ import annotations

import socket
from typing import Any

from x2desk.core.clock import FakeClock
from x2desk.core.kiosk.config import Profile
from x2desk.core.kiosk.probe import probe_targets, reachable
from x2desk.core.kiosk.watch import Deadline, IdleWatch, ProbeSchedule


def test_idle_watch_counts_from_the_last_touch(fake_clock: FakeClock) -> None:
    idle = IdleWatch(120, 15, fake_clock)
    fake_clock.advance(100)
    assert not idle.warning() and not idle.expired()
    fake_clock.advance(10)
    assert idle.warning() and idle.seconds_left() == 10
    idle.touch()
    assert not idle.warning() and idle.seconds_left() == 120
    fake_clock.advance(120)
    assert idle.expired() and not idle.warning()


def test_a_deadline(fake_clock: FakeClock) -> None:
    done = Deadline(fake_clock)
    assert not done.active and not done.passed()
    done.set(10)
    fake_clock.advance(9.5)
    assert done.active and not done.passed() and done.seconds_left() == 0.5
    fake_clock.advance(0.5)
    assert done.passed()
    done.clear()
    assert not done.passed()


def test_the_probe_schedule_backs_off_while_offline(fake_clock: FakeClock) -> None:
    schedule = ProbeSchedule(60, (5, 10, 30), fake_clock)
    assert not schedule.due()
    fake_clock.advance(60)
    assert schedule.due()
    waits = []
    for _ in range(5):
        schedule.result(False)
        waits.append(schedule.seconds_to_next())
    assert waits == [5, 10, 30, 30, 30] and not schedule.online
    schedule.result(True)
    assert schedule.seconds_to_next() == 60 and schedule.online
    schedule.result(False)
    assert schedule.seconds_to_next() == 5  # the back-off starts over
    schedule.now()
    assert schedule.due()


def profile() -> Profile:
    return Profile(
        x2chat_api_base="https://x2chat.example/api/v1",
        provider_base="https://provider.example/v2",
        provider_key_ref="provider_api_key:https://provider.example/v2",
        company_id=None,
        greenapi_api_url="https://1101.api.green-api.com",
        greenapi_instance=None,
    )


def test_the_probe_asks_only_the_services_the_flows_use() -> None:
    assert probe_targets(["whatsapp", "telegram_code"], profile()) == [
        "https://provider.example/v2"
    ]
    assert probe_targets(["greenapi_qr", "x2chat_bot", "whatsapp"], profile()) == [
        "https://1101.api.green-api.com",
        "https://x2chat.example/api/v1",
        "https://provider.example/v2",
    ]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_any_answer_is_online_and_no_answer_offline(sandbox: Any) -> None:
    dead = f"http://127.0.0.1:{closed_port()}/v2"
    assert reachable([f"{sandbox.url}/nothing-here"])  # a 404 is an answer
    assert not reachable([dead])
    assert reachable([dead, f"{sandbox.url}/v2"])
    paths = [r["path"] for r in sandbox.sim.requests]
    assert paths == ["/nothing-here", "/v2"]  # one request each, no key, no retry


def test_a_lost_answer_is_offline(sandbox: Any, phone: Any) -> None:
    phone.fault("/v2", "drop", times=1)
    assert not reachable([f"{sandbox.url}/v2"])
