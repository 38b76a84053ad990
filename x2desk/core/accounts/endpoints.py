"""Where the connections provider is, and its timings (no HTTP here, so the window and the
resolver in :mod:`x2desk.core.addresses` can read these without importing httpx)."""

from __future__ import annotations

DEFAULT_PROVIDER_URL = "https://api.radist.online/v2"
PROVIDER_URL_ENV = "X2DESK_PROVIDER_URL"  # overrides the saved settings' address
SANDBOX_PROVIDER_PATH = "/v2"  # where a sandbox serves the provider (API.md section 5)
SESSION_LIFETIME_S = 600.0  # login sessions live 10 minutes
WHATSAPP_LINK_LIFETIME_S = 600.0  # x2desk waits this long for a WhatsApp QR to be scanned
WHATSAPP_QR_LIFETIME_S = 30.0  # used when the status call gives no `expires`
# WhatsApp's status is asked this often (the seed sets no rate; a scan shows within 2 s, not 5)
WHATSAPP_POLL_S = 2.0
# How long x2desk keeps showing new WhatsApp QRs before it stops and offers to start again (the
# provider sets no limit: the connection exists and waits; this is x2desk's own)
WHATSAPP_LINK_LIFETIME_S = 600.0
