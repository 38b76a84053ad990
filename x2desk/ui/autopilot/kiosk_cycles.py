"""The people the kiosk's autopilot plays (:mod:`x2desk.ui.autopilot.kiosk`): each script taps
the kiosk like a person, plays their phone through the sandbox, keeps in ``secrets`` what they
typed or scanned (so the checks can look for it afterwards) and returns how the kiosk should
get back to its start: ``"done"`` after a success, ``"idle"`` when they walked away."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from x2desk import i18n
from x2desk.ui.autopilot.moves import read_desktop_qr
from x2desk.ui.autopilot.pilot import Pilot, StepFailed

if TYPE_CHECKING:
    from x2desk.ui.kiosk.window import KioskWindow

PASSWORD = "kiosk-2fa-Secret"  # the visitor's two-step verification password
PHONE = "+79161234567"
PAGE_S = 20.0  # a page after an action (the kiosk checks its key, the provider answers)
SCAN_S = 30.0  # the virtual camera: start, focus, two agreeing reads
SETTLE_MS = 300  # a request on the wire when the reset came lands in the log by then
QUIET_MS = 2500  # more than two of the autopilot's 1 s polls
PROBE_PATHS = {"/", "/v2", "/api/v1"}  # the kiosk's reachability probes (the API bases)


class Shots:
    """Each named screenshot once, when screenshots were asked for."""

    def __init__(self, pilot: Pilot, enabled: bool) -> None:
        self.pilot = pilot
        self.enabled = enabled
        self.taken: set[str] = set()

    def take(self, name: str) -> None:
        if self.enabled and name not in self.taken:
            self.taken.add(name)
            self.pilot.shot(name)


# ---- moves ------------------------------------------------------------------------------------


def speak(pilot: Pilot, code: str) -> None:
    """Tap the language switch's button for ``code`` (when it is not the one in use)."""
    if i18n.current_language() != code:
        pilot.click(f"language_{code}")
        pilot.wait_until(lambda: i18n.current_language() == code, f"the kiosk to speak {code}")


def choose(pilot: Pilot, flow_id: str) -> None:
    pilot.click(f"kioskFlow_{flow_id}")


def walk_away(pilot: Pilot, shots: Shots) -> str:
    """Touch nothing: "Are you still there?", then the start."""
    from x2desk.ui.autopilot.kiosk import AUTOPILOT_TIMINGS

    pilot.wait_visible("kioskStillHere", AUTOPILOT_TIMINGS.idle_s + 5)
    shots.take("still-there")
    return "idle"


def wait_done(pilot: Pilot, shots: Shots) -> str:
    pilot.wait_visible("kiosk_done", PAGE_S)
    shots.take("done")
    return "done"


def wait_qr(pilot: Pilot, image: str, other_than: int = 0) -> int:
    """A QR on the kiosk's page (``other_than``: a new one); its picture's key."""
    return pilot.wait_until(
        lambda: (key := pilot.pixmap_key(image)) not in (0, other_than) and key,
        "a QR on the kiosk's screen",
        PAGE_S,
    )


def scan_qr(pilot: Pilot, secrets: list[str], image: str, password: str | None = None) -> None:
    """The visitor's phone reads the QR on the kiosk's screen and scans it; a QR that rotated
    away meanwhile is refused, so the phone reads the new one and scans again."""
    from x2desk.sandbox.phone import QrRefused

    def scan(phone: Any, *, payload: str) -> bool:
        try:
            phone.scan(payload, password=password)
        except QrRefused:
            return False
        return True

    for _attempt in range(3):
        shown = wait_qr(pilot, image)
        payload = read_desktop_qr(pilot, image)
        secrets.append(payload)
        if pilot.phone("scan the kiosk's QR", functools.partial(scan, payload=payload)):
            return
        wait_qr(pilot, image, other_than=shown)
    raise StepFailed("the phone's scans of the kiosk's QR were refused three times")


def api_requests(pilot: Pilot) -> list[dict[str, Any]]:
    """The requests the sandbox served, but the kiosk's reachability probes."""
    served = pilot.phone("look at the sandbox's request log", lambda p: p.requests())
    return [r for r in served if r["path"] not in PROBE_PATHS]


def no_requests_after_reset(pilot: Pilot) -> list[str]:
    """The flow that was under way sends nothing after the reset (its polls stopped)."""
    pilot.idle(SETTLE_MS)
    seen = api_requests(pilot)
    since = seen[-1]["at"] if seen else 0.0
    pilot.idle(QUIET_MS)
    late = [r for r in api_requests(pilot) if r["at"] > since]
    return [f"a request after the reset: {r['method']} {r['path']}" for r in late]


# ---- the people -------------------------------------------------------------------------------


def pair_whatsapp(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    choose(pilot, "whatsapp")
    wait_qr(pilot, "accountQrImage")
    shots.take("qr")
    scan_qr(pilot, secrets, "accountQrImage")
    return wait_done(pilot, shots)


def abandon_qr(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    choose(pilot, "telegram_qr")
    wait_qr(pilot, "accountQrImage")
    secrets.append(read_desktop_qr(pilot))
    return walk_away(pilot, shots)


def _to_password(pilot: Pilot, secrets: list[str], shots: Shots) -> None:
    choose(pilot, "telegram_qr")
    scan_qr(pilot, secrets, "accountQrImage", password=PASSWORD)
    pilot.page("account_password", PAGE_S)
    pilot.type_text("accountPassword", PASSWORD)
    secrets.append(PASSWORD)
    shots.take("password")


def pair_telegram_2fa(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    _to_password(pilot, secrets, shots)
    pilot.click("wizardNext")
    field = pilot.visible("accountPassword")
    if field is not None and getattr(field, "text", lambda: "")():
        raise StepFailed("the password stayed in its field after it was sent")
    return wait_done(pilot, shots)


def abandon_password(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    _to_password(pilot, secrets, shots)
    return walk_away(pilot, shots)


def abandon_phone(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    choose(pilot, "telegram_code")
    pilot.page("account_phone", PAGE_S)
    pilot.wait_until(lambda: pilot.text("accountName"), "the kiosk to be ready", PAGE_S)
    pilot.type_text("accountPhone", PHONE)
    secrets += [PHONE, PHONE[1:]]
    pilot.wait_text("accountPhoneHint", lambda t: PHONE in t, "the number is OK")
    shots.take("phone")
    return walk_away(pilot, shots)


def pair_x2chat(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    session = pilot.session
    issued = pilot.phone("make an integration QR", lambda _p: session.new_qr())
    secrets.append(str(issued["token"]))
    choose(pilot, "x2chat_bot")
    pilot.page("token", PAGE_S)
    shots.take("camera")
    pilot.page("confirm", SCAN_S)
    pilot.click("confirmRotation")
    pilot.click("wizardNext")
    pilot.page("check", PAGE_S)
    pilot.control("wizardNext", PAGE_S)  # Finish, once the checks are done
    pilot.click("wizardNext")
    return wait_done(pilot, shots)


def pair_greenapi(pilot: Pilot, secrets: list[str], shots: Shots) -> str:
    choose(pilot, "greenapi_qr")
    pilot.page("greenapi_qr", PAGE_S)
    scan_qr(pilot, secrets, "greenapiQrImage")
    return wait_done(pilot, shots)


def offline_moment(pilot: Pilot, window: KioskWindow, shots: Shots) -> None:
    """The network drops for a moment (every service's next answer is lost): the offline
    screen, then the start again by itself."""
    targets = len(window.network.targets)
    pilot.phone("cut the network", lambda p: p.fault("/", "drop", times=targets))
    window.network.check_soon()
    pilot.wait_visible("kiosk_offline", PAGE_S)
    shots.take("offline")
    pilot.wait_visible("kioskStart", PAGE_S)


Script = Callable[[Pilot, list[str], Shots], str]
PLAN: tuple[tuple[str, Script], ...] = (  # the report's step names, for developers
    ("pair whatsapp", pair_whatsapp),
    ("abandon a qr", abandon_qr),
    ("pair telegram with 2fa", pair_telegram_2fa),
    ("abandon the 2fa password", abandon_password),  # untranslated: a report
    ("pair an x2chat bot by camera", pair_x2chat),  # untranslated: a report
    ("abandon a phone number", abandon_phone),  # untranslated: a report
    ("pair green-api", pair_greenapi),
)
