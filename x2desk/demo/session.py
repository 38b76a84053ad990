"""``x2desk --demo``: the sandbox in-process on a free loopback port (or an already running one
with ``--sandbox-url``), every client pointed at it, and the virtual phone camera."""

from __future__ import annotations

import logging
import threading
from typing import Any

from x2desk.demo.virtual_camera import VirtualCamera
from x2desk.i18n import N_, _
from x2desk.ui.context import AppContext

log = logging.getLogger(__name__)

# ``--autopilot`` only (never the normal demo): the provider's QR codes rotate every few seconds
# instead of 30, so the autopilot sees a rotation without waiting half a minute, and the accounts
# wizard polls at the floor of 1 s (its backoff after an error is short too).
AUTOPILOT_LIMITS: dict[str, Any] = {
    "qr_rotation_s": 6.0,
    "whatsapp_qr_rotation_s": 6.0,
    "whatsapp_loading_s": 0.5,
    "greenapi_starting_s": 1.0,  # "starting" after a Green-API logout
}
AUTOPILOT_POLL_S = 1.0
AUTOPILOT_CHECK_INTERVAL_S = 0.1  # the home's "check all": the sandbox needs no gentleness
# The demo's two businesses: the default profile and a second one, both at the sandbox (their
# titles in the language the demo starts in).
DEMO_PROFILES: tuple[tuple[str, str], ...] = (
    ("default", N_("Flower shop")),
    ("bakery", N_("Corner bakery")),
)
AUTOPILOT_BACKOFF_S = (1.0, 2.0, 4.0)


class DemoSession:
    """Owns the demo's sandbox (when it started one), its phone and its virtual camera."""

    def __init__(
        self,
        sandbox_url: str | None = None,
        camera: VirtualCamera | None = None,
        autopilot: bool = False,
        limits: dict[str, Any] | None = None,
    ) -> None:
        self._given_url = sandbox_url
        self.autopilot = autopilot
        self.limits = dict(limits or {})  # the sandbox's, over the autopilot's (when started)
        self.server: Any = None
        self.url: str = ""
        self.camera = camera or VirtualCamera()
        self._phone: Any = None
        self._lock = threading.Lock()
        self.last_issue: dict[str, Any] | None = None
        self.panel: Any = None

    def start(self) -> DemoSession:
        if self._given_url:
            from x2desk.core.net import require_secure

            self.url = require_secure(self._given_url)
        else:
            from x2desk.sandbox.server import SandboxServer

            limits = {**(AUTOPILOT_LIMITS if self.autopilot else {}), **self.limits}
            self.server = SandboxServer("127.0.0.1", 0, **limits).start()
            self.url = self.server.url.rstrip("/")
        self.make_profiles()
        return self

    def make_profiles(self) -> None:
        """The demo's two profiles (:data:`DEMO_PROFILES`): made when missing, titled when
        untitled; the second one's addresses follow the sandbox (its port changes every run).
        The default profile's addresses are left alone: the demo's window is pointed at the
        sandbox anyway, and a data folder given by $X2DESK_HOME keeps its own."""
        from x2desk.core import profiles
        from x2desk.core.addresses import SERVICES, sandbox_address

        known = {p.name: p for p in profiles.list_profiles()}
        for name, title in DEMO_PROFILES:
            if name not in known:
                profiles.add_profile(name, _(title))
            elif not known[name].title:
                profiles.set_title(name, _(title))
            if name != profiles.DEFAULT:
                addresses: dict[str, str | None] = {
                    s: sandbox_address(s, self.url) for s in SERVICES
                }
                profiles.set_addresses(name, addresses)

    def context(self) -> AppContext:
        """The window's context: every client at the sandbox, and what the demo fills in (the
        virtual camera, the dashboard's provider key, a new Green-API instance)."""
        ctx = AppContext.for_sandbox(
            self.url,
            demo=True,
            camera_factory=self.make_camera,
            demo_provider_key=self.provider_key,
            demo_greenapi_instance=self.greenapi_instance,
        )
        if self.autopilot:
            ctx.account_poll_s = AUTOPILOT_POLL_S
            ctx.account_backoff_s = AUTOPILOT_BACKOFF_S
            ctx.greenapi_poll_s = AUTOPILOT_POLL_S
            ctx.check_interval_s = AUTOPILOT_CHECK_INTERVAL_S
        return ctx

    def make_camera(self) -> VirtualCamera:
        return self.camera

    @property
    def phone(self) -> Any:
        """The sandbox's phone endpoints (made on first use: it imports httpx)."""
        with self._lock:
            if self._phone is None:
                from x2desk.sandbox.phone import SandboxPhone

                self._phone = SandboxPhone(self.url)
            return self._phone

    # ---- what the phone does (blocking: call from a worker) ------------------------------------

    def new_qr(self, same_bot: bool = False, webhook: bool = False) -> dict[str, Any]:
        """The X2Chat app makes an integration QR; the virtual phone shows it."""
        bot_id = self.last_issue.get("bot_id") if (same_bot and self.last_issue) else None
        info = self.phone.issue_token(
            bot_id=bot_id, webhook_url="https://hooks.example.com/x2chat" if webhook else None
        )
        self.last_issue = info
        self.camera.show(info["deep_link"])
        return info

    def provider_key(self) -> str:
        """The sandbox's dashboard hands out a provider API key (a secret: the caller wraps it)."""
        from x2desk.core.redact import register

        key = str(self.phone.provider_key())
        register(key)
        return key

    def greenapi_instance(self) -> dict[str, Any]:
        """The sandbox's Green-API console makes a new, unpaired instance
        ``{idInstance, apiTokenInstance}`` (the token is a secret: the caller wraps it)."""
        from x2desk.core.redact import register

        info = self.phone.greenapi_instance()
        register(str(info["apiTokenInstance"]))
        return info

    def messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        return self.phone.messages(chat_id)

    def attach(self, window: Any) -> None:
        """Dock the phone panel on the window and put a first QR on the phone."""
        from x2desk.demo.phone_panel import PhonePanel

        self.panel = PhonePanel(self)
        window.set_phone_panel(self.panel)
        self.panel.make_qr()

    def stop(self) -> None:
        if self._phone is not None:
            self._phone.close()
            self._phone = None
        if self.server is not None:
            self.server.stop()
            self.server = None
