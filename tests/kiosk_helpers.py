"""The kiosk window on the test sandbox, for the kiosk's tests: a config made in code, the
station's secrets saved in the test keyring, every clock the test's FakeClock and every session
on a ManualScheduler (nothing waits for real seconds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.kiosk.config import (
    DEFAULT_CHORD,
    Admin,
    Branding,
    Corner,
    KioskConfig,
    Profile,
    Timeouts,
)
from x2desk.core.kiosk.watch import Timings
from x2desk.core.secret import Secret

PIN = "24681357"


@dataclass
class Station:
    """What a station has saved before it opens: the provider key and a Green-API instance."""

    url: str
    key: str
    key_ref: str
    instance: str
    token: str
    pin_hash: str


def save_station(url: str, phone: Any) -> Station:
    """Save the sandbox dashboard's provider key and a new instance's token in the keyring."""
    from x2desk.core.accounts.companies import provider_key_ref
    from x2desk.core.kiosk.pin import hash_pin
    from x2desk.core.saving import open_chosen_store
    from x2desk.core.store.credentials import secret_ref

    store = open_chosen_store()
    key = str(phone.provider_key())
    ref = provider_key_ref(f"{url}/v2")
    store.save(ref, Secret(key))
    info = phone.greenapi_instance()
    instance, token = str(info["idInstance"]), str(info["apiTokenInstance"])
    store.save(secret_ref("greenapi", instance), Secret(token))
    return Station(url, key, ref, instance, token, hash_pin(Secret(PIN)))


def config_for(
    station: Station,
    flows: tuple[str, ...] = ("whatsapp", "telegram_code", "x2chat_bot"),
    corner: Corner | None = Corner.TOP_LEFT,
    path: Path = Path("kiosk.toml"),
) -> KioskConfig:
    url = station.url
    return KioskConfig(
        path=path,
        flows=flows,
        language="en",
        profile=Profile(
            x2chat_api_base=f"{url}/api/v1",
            provider_base=f"{url}/v2",
            provider_key_ref=station.key_ref,
            company_id=None,
            greenapi_api_url=url,
            greenapi_instance=station.instance,
        ),
        timeouts=Timeouts(idle_s=120, warning_s=15, done_s=10),
        branding=Branding(None, "#1a73e8"),
        admin=Admin(station.pin_hash, DEFAULT_CHORD, corner, 5),
        camera_name=None,
    )


@dataclass
class Rig:
    """A made kiosk window and what drives it."""

    qtbot: Any
    clock: FakeClock
    manual: Any
    station: Station
    windows: list[Any] = field(default_factory=list)

    def window(
        self,
        flows: tuple[str, ...] = ("whatsapp", "telegram_code", "x2chat_bot"),
        probe: Callable[[Any], bool] | None = None,
        config: KioskConfig | None = None,
        ctx: Any = None,
    ) -> Any:
        from x2desk.ui.app import ensure_app
        from x2desk.ui.context import AppContext
        from x2desk.ui.kiosk.flows import make_flow
        from x2desk.ui.kiosk.window import KioskWindow, timings_of

        ensure_app()
        config = config or config_for(self.station, flows)
        ctx = ctx or AppContext.for_sandbox(self.station.url, kiosk=True)
        clock, manual = self.clock, self.manual

        def flow(flow_id: str, c: Any, cfg: KioskConfig) -> Any:
            return make_flow(flow_id, c, cfg, clock=clock, scheduler_factory=lambda: manual)

        t = timings_of(config)
        timings = Timings(t.idle_s, t.warning_s, t.done_s, t.hold_s, 60.0, (5.0, 10.0))
        window = KioskWindow(
            ctx,
            config,
            clock=clock,
            timings=timings,
            probe=probe,
            flow_factory=flow,
            tick_ms=3_600_000,  # the test ticks it
        )
        self.qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        self.windows.append(window)
        return window

    def pass_time(self, window: Any, seconds: float) -> None:
        """Move the clock and let the window's heartbeat see it."""
        self.clock.advance(seconds)
        window.tick()

    def run_sessions(self, seconds: float = 0.0) -> None:
        if seconds:
            self.manual.advance(seconds)
        else:
            self.manual.run_due()
        self.qtbot.wait(1)

    def close(self) -> None:
        from x2desk.ui.common.workers import wait_all

        for window in self.windows:
            window.shutdown()
            window.close()
        wait_all(3000)


@pytest.fixture
def rig(qtbot: Any, fake_clock: FakeClock, manual: Any, sandbox: Any, phone: Any) -> Iterator[Rig]:
    station = save_station(sandbox.url.rstrip("/"), phone)
    made = Rig(qtbot, fake_clock, manual, station)
    try:
        yield made
    finally:
        made.close()
