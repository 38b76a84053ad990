"""Where Green-API is, and its QR timings (no HTTP here, so the window and the resolver in
:mod:`x2desk.core.addresses` can read these without importing httpx)."""

from __future__ import annotations

DEFAULT_API_URL = "https://api.green-api.com"
API_URL_ENV = "X2DESK_GREENAPI_URL"  # overrides the saved settings' address
SANDBOX_PATH = ""  # a sandbox serves Green-API at its root (API.md section 5)
QR_REFRESH_S = 5.0  # the seed: ask for a new QR every 5 s
QR_LIFETIME_S = 20.0  # never show one QR longer than this (polling may be backing off)
