"""Where Green-API is, and its timings (no HTTP here, so the window and the resolver in
:mod:`x2desk.core.addresses` can read these without importing httpx). The rest of what x2desk
assumes about Green-API is in :mod:`x2desk.core.greenapi.contract`."""

from __future__ import annotations

UNIVERSAL_API_URL = "https://api.green-api.com"  # only a temporary fallback, says the provider
DEFAULT_API_URL = UNIVERSAL_API_URL  # kept for old callers: prefer default_api_url(idInstance)
INSTANCE_API_URL = "https://{prefix}.api.green-api.com"  # each instance's own host
API_URL_ENV = "X2DESK_GREENAPI_URL"  # overrides the saved settings' address
SANDBOX_PATH = ""  # a sandbox serves Green-API at its root (API.md section 5)
QR_REFRESH_S = 5.0  # the seed: ask for a new QR every 5 s
PAIRING_LIFETIME_S = 600.0  # x2desk waits this long for a pairing to finish, then stops
QR_LIFETIME_S = 20.0  # never show one QR longer than this (polling may be backing off)
CODE_LIFETIME_S = 300.0  # a phone-login code stays valid 5 minutes; no new one within them
