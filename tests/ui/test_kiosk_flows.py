"""The kiosk's flows: addresses, keys and tokens come from the config and the credential store,
never from a field a stranger can edit (the provider key goes nowhere but the configured
provider); the X2Chat page opens no file and keeps no setting; the camera is released on a
reset; a success shows the done screen; the offline screen comes and goes by itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from kiosk_helpers import Rig
from PySide6.QtWidgets import QLineEdit

from x2desk.ui.kiosk.checks import held_input


@pytest.fixture
def elsewhere(fake_clock: Any) -> Iterator[Any]:
    """Another server on loopback: where a typed address would send the key."""
    from x2desk.sandbox.server import SandboxServer

    server = SandboxServer(clock=fake_clock).start()
    try:
        yield server
    finally:
        server.stop()


def ready(rig: Rig, window: Any) -> Any:
    rig.qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.api_key is not None)
    return window.wizard


def test_the_provider_key_goes_only_to_the_configured_provider(
    rig: Rig, phone: Any, elsewhere: Any
) -> None:
    window = rig.window()
    window.start_flow("whatsapp")
    wizard = ready(rig, window)
    assert wizard.frame.current is not wizard.provider
    assert not wizard.provider.isVisible()
    assert held_input(window, [rig.station.key], fields=False) == []  # not even masked
    # what a stranger could not do, tried anyway: another address in the (never shown) page
    other = f"{elsewhere.url.rstrip('/')}/v2"
    wizard.provider.url_edit.setText(other)
    wizard.provider.key_edit.setText("typed-key-0002")
    wizard._next_from(wizard.provider)  # Next on the provider page
    wizard.fix_details()  # "Change the details"
    rig.qtbot.waitUntil(lambda: wizard.api_key is not None and wizard.session is not None)
    rig.run_sessions()
    assert elsewhere.sim.requests == []
    assert wizard.base_url == f"{rig.station.url}/v2"
    served = [r["path"] for r in phone.requests()]
    assert served and all(p.startswith("/v2/") for p in served)


def test_no_visible_field_holds_an_address_or_a_key(rig: Rig) -> None:
    window = rig.window()
    for flow_id in ("whatsapp", "telegram_code"):
        window.start_flow(flow_id)
        ready(rig, window)
        shown = [e for e in window.findChildren(QLineEdit) if e.isVisible()]
        assert all("http" not in e.text() for e in shown)
        assert all(rig.station.key not in e.text() for e in shown)


def test_green_api_pairs_the_configured_instance_with_its_saved_token(rig: Rig) -> None:
    window = rig.window(flows=("greenapi_qr", "greenapi_code"))
    window.start_flow("greenapi_qr")
    wizard = window.wizard
    rig.qtbot.waitUntil(lambda: wizard.pairing is not None)
    assert wizard.pairing.client.id_instance == rig.station.instance
    assert wizard.frame.current is wizard.qr
    assert wizard.instance.token_edit.text() == "" and not wizard.instance.isVisible()
    assert held_input(window, [rig.station.token], fields=False) == []
    window.start_flow("greenapi_code")  # by code: the phone number first, nothing else
    wizard = window.wizard
    assert wizard.frame.current is wizard.method
    assert not any(card.isVisible() for card in wizard.method.cards.values())
    assert wizard.method.phone.isVisible()


def test_green_api_without_its_saved_token_is_not_ready(rig: Rig) -> None:
    from x2desk.core.saving import open_chosen_store
    from x2desk.core.store.credentials import secret_ref

    open_chosen_store().delete(secret_ref("greenapi", rig.station.instance))
    window = rig.window(flows=("greenapi_qr", "whatsapp"))
    window.start_flow("greenapi_qr")
    rig.qtbot.waitUntil(lambda: window.screen_name == "not_ready")


def test_x2chat_opens_no_file_and_keeps_no_setting_and_releases_the_camera(rig: Rig) -> None:
    from x2desk.demo.virtual_camera import VirtualCamera
    from x2desk.ui.context import AppContext

    camera = VirtualCamera(fps=10)
    ctx = AppContext.for_sandbox(rig.station.url, kiosk=True, camera_factory=lambda: camera)
    window = rig.window(ctx=ctx)
    window.start_flow("x2chat_bot")
    wizard = window.wizard
    page = wizard.token
    assert page.tabs.count() == 2 and not page.acceptDrops()
    assert wizard.confirm.dont_ask.box.objectName() == "dontAskRotation"
    assert not wizard.confirm.dont_ask.isVisibleTo(wizard)
    assert not page.camera.combo.isVisibleTo(page)  # the config's camera: no picker
    rig.qtbot.waitUntil(lambda: camera.is_open, timeout=5000)
    window.go_to_start("idle")
    rig.qtbot.waitUntil(lambda: not camera.is_open, timeout=5000)


def test_a_connection_made_shows_done(rig: Rig, phone: Any) -> None:
    window = rig.window()
    window.start_flow("whatsapp")
    wizard = ready(rig, window)
    rig.qtbot.waitUntil(lambda: wizard.session is not None)
    for _ in range(10):
        rig.run_sessions(1)
        if wizard.qr.shown_payload:
            break
    phone.scan(wizard.qr.shown_payload)
    for _ in range(20):
        rig.run_sessions(1)
        if window.screen_name == "done":
            break
    rig.qtbot.waitUntil(lambda: window.screen_name == "done")
    assert "WhatsApp" in window.done_screen.headline.text()


def test_offline_then_back_by_itself(rig: Rig) -> None:
    answers = [False]
    asked: list[list[str]] = []

    def probe(targets: Any) -> bool:
        asked.append(list(targets))
        return answers[-1]

    window = rig.window(probe=probe)
    rig.pass_time(window, 60)
    rig.qtbot.waitUntil(lambda: window.screen_name == "offline")
    assert asked[0] == [f"{rig.station.url}/v2", f"{rig.station.url}/api/v1"]
    rig.pass_time(window, 1)
    assert "Trying again in 4 s" in window.offline_screen.note.text()
    answers.append(True)
    rig.pass_time(window, 4)
    rig.qtbot.waitUntil(lambda: window.screen_name == "start")


def test_offline_during_a_flow_waits_for_its_end(rig: Rig) -> None:
    answers = [False]
    window = rig.window(probe=lambda _t: answers[-1])
    window.start_flow("telegram_code")
    rig.pass_time(window, 60)
    rig.qtbot.waitUntil(lambda: not window.network.online)
    assert window.screen_name == "flow"  # the person's flow is not cut off
    window.go_to_start("cancelled")
    assert window.screen_name == "offline"


def test_a_flow_that_cannot_reach_its_service_shows_the_offline_screen(rig: Rig) -> None:
    import dataclasses

    from kiosk_helpers import config_for

    config = config_for(rig.station)
    dead = dataclasses.replace(config.profile, provider_base="http://127.0.0.1:9/v2")
    config = dataclasses.replace(config, profile=dead)
    window = rig.window(config=config, probe=lambda _t: True)
    window.start_flow("whatsapp")
    rig.qtbot.waitUntil(lambda: window.screen_name == "offline", timeout=10_000)
    window.tick()
    rig.qtbot.waitUntil(lambda: window.screen_name == "start")
