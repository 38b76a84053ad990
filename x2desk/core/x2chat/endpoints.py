"""Where X2Chat is and what the command line and the window call it (no HTTP here, so the window
and the resolver in :mod:`x2desk.core.addresses` can read these without importing httpx)."""

from __future__ import annotations

DEFAULT_API_BASE = "https://ix.x2chat.com/api/v1"
API_BASE_ENV = "X2DESK_API_BASE"  # overrides the saved settings' address
SANDBOX_PATH = "/api/v1"  # where a sandbox serves X2Chat (API.md section 5)
