"""``x2desk --kiosk --demo``: a kiosk config made in memory for the demo's sandbox (no file), with
every flow, and what a real station would have saved beforehand put in the demo's credential
store: the sandbox dashboard's provider API key and a new Green-API instance's token. The admin
PIN is :data:`DEMO_PIN` (said on the demo's phone panel)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from x2desk.core.kinds import FLOWS
from x2desk.core.kiosk.config import (
    DEFAULT_ACCENT,
    DEFAULT_CHORD,
    Admin,
    Branding,
    Corner,
    KioskConfig,
    Profile,
    Timeouts,
)
from x2desk.core.secret import Secret
from x2desk.i18n import DEFAULT_LANGUAGE, _

DEMO_PIN = "123456"
LOGO = Path(__file__).resolve().parents[3] / "resources" / "x2desk.svg"


def seed_secrets(session: Any) -> tuple[str, str]:
    """Save the demo's provider key and a new Green-API instance's token where a station keeps
    them (blocking: the sandbox answers on loopback); the key's reference and the instance."""
    from x2desk.core.accounts.companies import provider_key_ref
    from x2desk.core.saving import open_chosen_store
    from x2desk.core.store.credentials import secret_ref

    store = open_chosen_store()
    key_ref = provider_key_ref(f"{session.url}/v2")
    store.save(key_ref, Secret(session.provider_key()))
    instance = session.greenapi_instance()
    id_instance = str(instance["idInstance"])
    store.save(secret_ref("greenapi", id_instance), Secret(str(instance["apiTokenInstance"])))
    return key_ref, id_instance


def demo_config(session: Any, language: str = DEFAULT_LANGUAGE) -> KioskConfig:
    """Every flow, at the sandbox, with the demo's PIN (its secrets seeded first)."""
    from x2desk.core.kiosk.pin import hash_pin

    key_ref, id_instance = seed_secrets(session)
    url = session.url
    home = Path(os.environ.get("X2DESK_HOME") or Path.cwd())
    return KioskConfig(
        path=home / "kiosk-demo.toml",
        flows=tuple(FLOWS),
        language=language,
        profile=Profile(
            x2chat_api_base=f"{url}/api/v1",
            provider_base=f"{url}/v2",
            provider_key_ref=key_ref,
            company_id=None,
            greenapi_api_url=url,
            greenapi_instance=id_instance,
        ),
        timeouts=Timeouts(),
        branding=Branding(LOGO if LOGO.is_file() else None, DEFAULT_ACCENT),
        admin=Admin(hash_pin(Secret(DEMO_PIN)), DEFAULT_CHORD, Corner.TOP_LEFT),
        camera_name=None,
    )


def attach_demo_phone(session: Any, window: Any) -> None:
    """The demo's phone beside the kiosk, under a line saying how to leave it."""
    from x2desk.ui.common.widgets import label

    session.attach(window)  # the phone panel (window.set_phone_panel) and a first QR on it
    note = label(
        _(
            "Demo: to leave, press {chord} or hold the top-left corner for 5 s, then type the "
            "PIN {pin}."
        ).format(chord=DEFAULT_CHORD, pin=DEMO_PIN),
        "kioskDemoNote",
        role="muted",
    )
    note.setContentsMargins(12, 8, 12, 8)
    window.side.insertWidget(0, note)
