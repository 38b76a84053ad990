"""Demo mode: the in-process sandbox, the phone panel's QR on the virtual camera, the window."""

from __future__ import annotations

import argparse
from typing import Any

from x2desk.demo.session import DemoSession
from x2desk.ui.app import build_context, ensure_app


def test_demo_session_points_everything_at_its_sandbox(qtbot: Any) -> None:
    ensure_app()
    ns = argparse.Namespace(demo=True, sandbox_url=None, camera=None, autopilot=False, kiosk=False)
    ctx, session = build_context(ns)
    try:
        assert ctx.demo and ctx.sandbox_url and ctx.sandbox_url.startswith("http://127.0.0.1:")
        assert ctx.x2chat_api == ctx.sandbox_url + "/api/v1"
        assert ctx.provider_api == ctx.sandbox_url + "/v2"
        assert ctx.camera_factory() is session.camera
        from x2desk.ui.main_window import MainWindow

        win = MainWindow(ctx)
        qtbot.addWidget(win)
        session.attach(win)
        assert session.panel is not None
        panel = session.panel
        # the camera has the QR once the worker made it; the panel is ready for another once it
        # has shown it (make_qr while one is being made is a no-op, like the disabled button)
        qtbot.waitUntil(lambda: panel.info is not None and panel._job is None, timeout=10000)
        assert session.camera.payload == session.last_issue["deep_link"]
        assert panel.new_button.isEnabled()
        assert win.findChild(type(session.panel), "phonePanel") is session.panel
        first = session.camera.payload
        panel.make_qr()
        qtbot.waitUntil(lambda: session.camera.payload != first, timeout=10000)
        win.close()
    finally:
        session.stop()


def test_demo_session_uses_a_given_sandbox(sandbox: Any) -> None:
    session = DemoSession(sandbox_url=sandbox.url).start()
    try:
        assert session.server is None
        info = session.new_qr()
        assert session.camera.payload == info["deep_link"]
        assert session.messages(info["chat_id"]) == []
    finally:
        session.stop()


def test_the_demo_has_two_profiles_at_its_sandbox(sandbox: Any) -> None:
    from x2desk.core import profiles
    from x2desk.core.addresses import resolve_address

    for _run in range(2):  # a second start keeps them, and follows the sandbox's address
        session = DemoSession(sandbox_url=sandbox.url).start()
        session.stop()
    shown = [(p.name, p.display_name) for p in profiles.list_profiles()]
    assert shown == [("default", "Flower shop"), ("bakery", "Corner bakery")]
    profiles.set_session_profile("bakery")
    assert resolve_address("greenapi", environ={}) == sandbox.url
    assert resolve_address("provider", environ={}) == f"{sandbox.url}/v2"
    profiles.set_session_profile("default")
    assert resolve_address("provider", environ={}) == "https://api.radist.online/v2"
