"""Is the kiosk online? One gentle request to each service the kiosk's flows use (blocking: call
from a worker). Any HTTP answer, whatever its status, means the service can be reached; only a
failure to connect or a lost answer counts as offline. No key, token or header is sent: the
address is the configured API base, which holds no secret.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from x2desk.core.kinds import FLOWS, KINDS, Service

if TYPE_CHECKING:
    import httpx

    from x2desk.core.kiosk.config import Profile

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 5.0
PROBE_DEADLINE_S = 8.0


def probe_targets(flows: Iterable[str], profile: Profile) -> list[str]:
    """The API bases of the services ``flows`` need (each once, in the flows' order)."""
    bases = {
        Service.X2CHAT: profile.x2chat_api_base,
        Service.ACCOUNTS: profile.provider_base,
        Service.GREENAPI: profile.greenapi_api_url,
    }
    targets: list[str] = []
    for flow in flows:
        base = bases[KINDS[FLOWS[flow].kind].service]
        if base not in targets:
            targets.append(base)
    return targets


def reachable(targets: Iterable[str], transport: httpx.BaseTransport | None = None) -> bool:
    """True when at least one of ``targets`` answers (a network outage: none does)."""
    import httpx

    from x2desk.core.net import make_http_client, overall_deadline

    with make_http_client(transport) as http:
        for url in targets:
            try:
                with overall_deadline(PROBE_DEADLINE_S):  # a trickled answer ends too
                    http.get(url, timeout=PROBE_TIMEOUT_S)
            except httpx.HTTPError as exc:
                log.debug("probe: %s did not answer (%s)", urlsplit(url).netloc, type(exc).__name__)
                continue
            return True
    return False
