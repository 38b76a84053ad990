"""Which address each service is reached at: one rule for the command line and the window.

In order: an address given on the command line (``--api-base``, ``--provider-url``,
``--api-url``), then ``--sandbox-url`` (the sandbox serves every API, each under its own path),
then the ``X2DESK_*`` environment variable, then the address saved in the settings, then the
public default. The result is not checked here: every client refuses an address that is not
https:// (loopback http aside) before it sends anything, with a message that names it.

No HTTP here (the window imports this on its thread).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.accounts import endpoints as provider
from x2desk.core.greenapi import endpoints as greenapi
from x2desk.core.x2chat import endpoints as x2chat

if TYPE_CHECKING:
    from x2desk.core.store.settings import Settings


@dataclass(frozen=True)
class Service:
    name: str  # the key in the settings' api_bases
    env: str  # the environment variable that overrides the settings
    default: str  # the public address
    sandbox_path: str  # where a sandbox serves it, under the sandbox's root


SERVICES: dict[str, Service] = {
    "x2chat": Service("x2chat", x2chat.API_BASE_ENV, x2chat.DEFAULT_API_BASE, x2chat.SANDBOX_PATH),
    "provider": Service(
        "provider",
        provider.PROVIDER_URL_ENV,
        provider.DEFAULT_PROVIDER_URL,
        provider.SANDBOX_PROVIDER_PATH,
    ),
    "greenapi": Service(
        "greenapi", greenapi.API_URL_ENV, greenapi.DEFAULT_API_URL, greenapi.SANDBOX_PATH
    ),
}


def sandbox_address(service: str, sandbox_url: str) -> str:
    """Where a sandbox at ``sandbox_url`` serves ``service`` (API.md section 5)."""
    return sandbox_url.strip().rstrip("/") + SERVICES[service].sandbox_path


def resolve_address(
    service: str,
    option: str | None = None,
    *,
    sandbox_url: str | None = None,
    settings: Settings | None = None,
    environ: Mapping[str, str] | None = None,
    default: str | None = None,
) -> str:
    """The address of ``service`` ("x2chat", "provider" or "greenapi"); see the module doc.

    ``settings``: the already loaded settings; when None they are read here, and a damaged
    settings file counts as none (the window and ``doctor`` report it where it matters).
    ``default``: what counts when nothing else is set (the service's public address if None).
    """
    spec = SERVICES[service]
    if option and option.strip():
        return option.strip()
    if sandbox_url and sandbox_url.strip():
        return sandbox_address(service, sandbox_url)
    env = (os.environ if environ is None else environ).get(spec.env, "").strip()
    if env:
        return env
    if settings is None:
        settings = _saved_settings()
    saved = settings.api_bases.get(spec.name) if settings is not None else None
    return saved or default or spec.default


def _saved_settings() -> Settings | None:
    from x2desk.core.errors import StoreError
    from x2desk.core.store.settings import load_settings

    try:
        return load_settings()
    except StoreError:
        return None
