"""What the window needs to know about where it runs: API bases, demo mode, camera, settings.

Built once by :func:`x2desk.ui.app.run_gui` (or by tests) and passed to every view. Nothing here
imports HTTP or OpenCV: clients are made on demand, inside workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_X2CHAT_API = "https://ix.x2chat.com/api/v1"
DEFAULT_PROVIDER_API = "https://api.radist.online/v2"
DEFAULT_GREENAPI_URL = "https://api.green-api.com"


@dataclass
class AppContext:
    x2chat_api: str = DEFAULT_X2CHAT_API
    provider_api: str = DEFAULT_PROVIDER_API
    greenapi_url: str = DEFAULT_GREENAPI_URL
    sandbox_url: str | None = None
    demo: bool = False
    kiosk: bool = False
    camera: str | None = None  # --camera INDEX_OR_FILE; None: the first camera found
    confirm_rotation: bool = True
    # Demo: a factory for the virtual camera source (set by x2desk.demo.session).
    camera_factory: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_sandbox(cls, url: str, **kwargs: Any) -> AppContext:
        """Point every client at one sandbox (API.md section 5)."""
        from x2desk.core.net import require_secure

        base = require_secure(url)
        return cls(
            x2chat_api=f"{base}/api/v1",
            provider_api=f"{base}/v2",
            greenapi_url=base,
            sandbox_url=base,
            **kwargs,
        )

    def load_settings(self) -> None:
        """Take the user's saved preferences (confirm rotation) and the API addresses by the
        command line's rule (:func:`x2desk.core.addresses.resolve_address`): the ``X2DESK_*``
        variables, then the saved settings, then what this context had. A sandbox wins."""
        from x2desk.core.addresses import resolve_address
        from x2desk.core.store.settings import Settings, load_settings

        try:
            s = load_settings()
        except Exception:  # a damaged settings file must not stop the window from opening
            s = Settings()  # the X2DESK_* variables still count
        else:
            self.confirm_rotation = s.confirm_rotation
        if self.sandbox_url is None:
            self.x2chat_api = resolve_address("x2chat", settings=s, default=self.x2chat_api)
            self.provider_api = resolve_address("provider", settings=s, default=self.provider_api)
            self.greenapi_url = resolve_address("greenapi", settings=s, default=self.greenapi_url)
