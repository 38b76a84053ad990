"""What the window needs to know about where it runs: API bases, demo mode, camera, settings,
what it keeps for the whole window (a checked provider key, an opened credentials file) and
what the demo injects.

Built once by :func:`x2desk.ui.app.run_gui` (or by tests) and passed to every view. Nothing here
imports HTTP or OpenCV: clients are made on demand, inside workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore

DEFAULT_X2CHAT_API = "https://ix.x2chat.com/api/v1"
DEFAULT_PROVIDER_API = "https://api.radist.online/v2"
DEFAULT_GREENAPI_URL = "https://api.green-api.com"
DEFAULT_POLL_S = 5.0  # how often the login and pairing pages ask the server
DEFAULT_CHECK_INTERVAL_S = 1.0  # "check all": at most one check a second (core.home.check_all)


@dataclass
class AppContext:
    x2chat_api: str = DEFAULT_X2CHAT_API
    provider_api: str = DEFAULT_PROVIDER_API
    greenapi_url: str = DEFAULT_GREENAPI_URL
    sandbox_url: str | None = None
    demo: bool = False
    kiosk: bool = False
    camera: str | None = None  # --camera INDEX_OR_FILE; None: the first camera found
    camera_name: str | None = None  # the kiosk's camera: a part of its name (any case)
    # the saved preferences (API bases) are read when a wizard first opens (a fast start)
    settings_pending: bool = False
    # how often the accounts and Green-API pages poll, and the accounts' backoff (None: the
    # wizard's own); the demo's autopilot sets the 1 s floor
    account_poll_s: float = DEFAULT_POLL_S
    account_backoff_s: tuple[float, ...] | None = None
    greenapi_poll_s: float | None = None
    # the home's "check all": the pause between two checks (the autopilot's is shorter)
    check_interval_s: float = DEFAULT_CHECK_INTERVAL_S
    camera_mirror: bool = False  # the camera preview starts mirrored (the settings)
    # kept for this window: the provider key checked earlier, and the encrypted credentials file
    # once opened (unlocked by its passphrase, or chosen when the keyring failed)
    provider_key: Secret | None = None
    provider_key_for: tuple[str, str | None] | None = None  # (address, company) it was checked for
    file_store: CredentialStore | None = None
    # the demo's (set by x2desk.demo, None otherwise): the virtual camera, a provider key from
    # the sandbox's dashboard, a new Green-API instance {idInstance, apiTokenInstance} from its
    # console. Production code never imports the sandbox: it only calls what was put here.
    camera_factory: Callable[[], Any] | None = None
    demo_provider_key: Callable[[], str] | None = None
    demo_greenapi_instance: Callable[[], dict[str, Any]] | None = None

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
        self.camera_mirror = s.camera_mirror
        if self.sandbox_url is None:
            self.x2chat_api = resolve_address("x2chat", settings=s, default=self.x2chat_api)
            self.provider_api = resolve_address("provider", settings=s, default=self.provider_api)
            self.greenapi_url = resolve_address("greenapi", settings=s, default=self.greenapi_url)
