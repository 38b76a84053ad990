"""The Green-API instance flows, as a person runs them in the demo (issue 6 item 5, issue 11).

1. ``greenapi_2fa``: "Connect…", "Green-API instance"; the demo fills in a new sandbox instance
   (a mistyped instance ID is explained first and corrected; the API address follows the ID);
   "Scan a QR"; the QR shows; the demo phone reads the page's PNG with x2desk's own decoder and
   scans it as an account with a cloud password; a wrong password is refused and the page
   stays; the right one pairs the instance; Finish.
2. ``greenapi_code``: a new instance paired by a login code instead of a QR: the phone number,
   a wrong code first (the page stays and says so), then the code the phone shows.
3. ``greenapi_repair``: "Re-pair…" on that instance in the home list: Green-API says it is
   already logged in; "Log out and pair again"; the phone first scans the QR it read earlier,
   which the sandbox refuses as stale (as a real phone would); then it scans the new QR on the
   page and the instance is paired again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from x2desk.core.errors import CodeInvalid, PasswordInvalid
from x2desk.core.kinds import Fix
from x2desk.core.texts import GREENAPI
from x2desk.i18n import _
from x2desk.ui.autopilot.moves import (
    CONNECT_TIMEOUT_S,
    PASSWORD_2FA,
    click_home_row,
    fix_words,
    home_rows,
    login_code_on_phone,
    qr_wait_s,
    read_desktop_qr,
    row_words,
    scan_desktop,
    scan_refused,
    set_phone_2fa,
)
from x2desk.ui.autopilot.runner import Flow, Pilot, StepFailed
from x2desk.ui.autopilot.words import fields, says, says_error
from x2desk.ui.autopilot.x2chat import until

WRONG_PASSWORD = "not-the-password"
PAIR_TIMEOUT_S = 25.0
_seen: dict[str, Any] = {}  # what the phone read in the first flow (the stale QR), by name


# ---- small moves ---------------------------------------------------------------------------------


def _qr_on_page(pilot: Pilot) -> int:
    return pilot.pixmap_key("greenapiQrImage")


def _wait_qr(pilot: Pilot) -> None:
    """A QR on the page: as soon as the next check brings one (the countdown says when)."""
    wait = qr_wait_s(pilot, "greenapiQrCountdown")
    pilot.wait_until(lambda: _qr_on_page(pilot), "the Green-API QR on the page", wait)


def read_page_qr(pilot: Pilot) -> str:
    """What a phone camera reads off the page's QR (its pixels, x2desk's own decoder)."""
    _wait_qr(pilot)
    return read_desktop_qr(pilot, "greenapiQrImage")


def phone_scans_the_page(pilot: Pilot) -> None:
    """Press the demo phone's "Scan the desktop's QR" until it says it scanned (a QR that
    rotated as it was pressed is scanned again)."""
    scan_desktop(pilot, _wait_qr)


def _finish_enabled(pilot: Pilot) -> bool:
    finish = pilot.visible("wizardNext")
    return finish is not None and finish.isEnabled()


PAIRED_HEADLINES = (
    "Instance {i} was already linked to the Telegram account {p}: kept and saved.",
    "Instance {i} is linked to the Telegram account {p} and saved.",
    "Instance {i} was already linked: kept and saved.",
    "Instance {i} is linked and saved.",
)
TOKEN_LINE = "Token: {t}, kept safely by this computer's password store"


def _says_saved(headline: str) -> bool:
    return any(says(headline, h) for h in PAIRED_HEADLINES)


def wait_paired(pilot: Pilot) -> str:
    until(
        pilot,
        lambda: _says_saved(pilot.text("greenapiResultHeadline")) and _finish_enabled(pilot),
        "the instance to be paired and saved",
        PAIR_TIMEOUT_S,
    )
    details = pilot.text("greenapiResultDetails")
    token = next((f["t"] for ln in details.splitlines() if (f := fields(ln, TOKEN_LINE))), "")
    if "…" not in token or len(token.strip()) > 12:
        raise StepFailed(f"the token is not masked on the result page: {token[:12]}…")
    if pilot.is_visible("wizardCancel"):
        raise StepFailed("Cancel is offered beside Finish after the pairing")
    return details


def open_greenapi(pilot: Pilot, shot: bool = False) -> str:
    """Connect…, "Green-API instance", Next; the demo fills in a new instance: its ID."""
    pilot.wait_visible("home")
    pilot.click("connectButton")
    pilot.page("choose")
    pilot.click("choice_greenapi")
    if shot:
        pilot.shot("choose")
    pilot.click("wizardNext")
    pilot.page("greenapi_instance")
    id_instance = pilot.wait_text(
        "greenapiId", lambda t: t.isdigit(), "the demo instance's id", CONNECT_TIMEOUT_S
    )
    pilot.wait_text(
        "greenapiTokenHint",
        lambda t: says(t, "OK: {n} character, {m}", "OK: {n} characters, {m}"),
        "the token is OK",
    )
    pilot.wait_text("greenapiApiUrlHint", lambda t: says(t, "OK: {v}"), "the address is OK")
    return id_instance


# ---- the flows -----------------------------------------------------------------------------------


def _refused(hint: str) -> bool:
    return bool(hint) and not says(hint, "OK: instance {v}")


def _counts_down(text: str) -> bool:
    return says(text, "A fresh QR in {s} second", "A fresh QR in {s} seconds")


def _wrong_password(text: str) -> bool:
    """The password page says the password is wrong (x2desk's words, or Green-API's)."""
    return says_error(text, PasswordInvalid, GREENAPI) or says(
        text,
        "Green-API says the password is wrong. Type the account's two-step verification "
        "(cloud) password again.",
    )


def pair_with_password(pilot: Pilot) -> None:
    with pilot.step("open the Green-API wizard; the demo fills in a new instance"):
        id_instance = open_greenapi(pilot, shot=True)
        _seen["id"] = id_instance
    with pilot.step("a mistyped idInstance is explained"):
        pilot.type_text("greenapiId", id_instance[:3] + "O" + id_instance[4:])
        pilot.wait_text("greenapiIdHint", _refused, "that it takes digits")
        if pilot.wait_visible("wizardNext").isEnabled():
            raise StepFailed("Next is enabled with a mistyped idInstance")
        pilot.shot("instance-mistyped")
        pilot.type_text("greenapiId", id_instance)
        pilot.wait_text("greenapiIdHint", lambda t: says(t, "OK: instance {v}"), "the id is OK")
        pilot.shot("instance")
    with pilot.step("pair by a QR: it shows"):
        pilot.click("wizardNext")
        pilot.page("greenapi_method")
        pilot.shot("method")
        pilot.click("greenapiBy_qr")
        pilot.click("wizardNext")
        pilot.page("greenapi_qr", CONNECT_TIMEOUT_S)
        _seen["stale"] = read_page_qr(pilot)
        pilot.wait_text("greenapiQrCountdown", _counts_down, "the countdown")
        pilot.shot("qr")
    with pilot.step("the phone scans it (the account has a cloud password)"):
        set_phone_2fa(pilot, True)
        phone_scans_the_page(pilot)
        pilot.page("greenapi_password", PAIR_TIMEOUT_S)
        pilot.shot("password")
    with pilot.step("a wrong password is refused and the page stays"):
        pilot.type_text("greenapiPassword", WRONG_PASSWORD)
        pilot.click("wizardNext")
        pilot.wait_text(
            "greenapi_passwordBanner", _wrong_password, "that it is wrong", CONNECT_TIMEOUT_S
        )
        pilot.page("greenapi_password")
        pilot.shot("wrong-password")
    with pilot.step("the right password pairs the instance"):
        pilot.type_text("greenapiPassword", PASSWORD_2FA)
        pilot.press("greenapiPassword", Qt.Key.Key_Return)
        wait_paired(pilot)
        pilot.shot("paired")
    with pilot.step("finish"):
        set_phone_2fa(pilot, False)
        pilot.click("wizardNext")
        pilot.wait_visible("home")
        pilot.wait_until(
            lambda: "Green-API" in "\n".join(_rows(pilot)), "the instance in the home list"
        )
        pilot.shot("home")


def pair_by_code(pilot: Pilot) -> None:
    with pilot.step("open the Green-API wizard; the demo fills in a new instance"):
        open_greenapi(pilot)
        pilot.click("wizardNext")
    with pilot.step("pair by a login code: the phone number"):
        pilot.page("greenapi_method")
        pilot.click("greenapiBy_code")
        pilot.type_text("greenapiPhone", "+7 916 123-45-67")
        pilot.wait_text("greenapiPhoneHint", lambda t: "+79161234567" in t, "the number is OK")
        pilot.shot("method-code")
        pilot.click("wizardNext")
        pilot.page("greenapi_code", CONNECT_TIMEOUT_S)
        pilot.wait_text("greenapi_codePrompt", lambda t: "+79161234567" in t, "where it went")
        pilot.wait_hidden("greenapi_codeBusy", CONNECT_TIMEOUT_S)  # the code is on its way
    with pilot.step("a wrong code is refused and the page stays"):
        set_phone_2fa(pilot, False)
        code = login_code_on_phone(pilot)
        pilot.type_text("greenapiCode", "00000" if code != "00000" else "11111")
        pilot.click("wizardNext")
        pilot.wait_text(
            "greenapi_codeBanner",
            lambda t: (
                says_error(t, CodeInvalid, GREENAPI)
                or says(t, "Green-API says the code is wrong. Type the code again.")
            ),
            "the code is wrong",
            CONNECT_TIMEOUT_S,
        )
        pilot.page("greenapi_code")
        pilot.click("greenapi_codeShow")  # the code may be shown, to check it
        pilot.shot("code-wrong")
    with pilot.step("the code from the phone pairs the instance"):
        pilot.type_text("greenapiCode", code)
        pilot.click("wizardNext")
        details = wait_paired(pilot)
        if "+79161234567" not in details:
            raise StepFailed("the result does not say which Telegram account was paired")
        pilot.shot("code-paired")
        pilot.click("wizardNext")
        pilot.wait_visible("home")


def _rows(pilot: Pilot) -> list[str]:
    return [row_words(r) for r in home_rows(pilot)]


def already_logged_then_repair(pilot: Pilot) -> None:
    stale = _seen.get("stale")
    if not stale:
        raise StepFailed("the first Green-API flow did not pair an instance to re-pair")
    with pilot.step("re-pair the instance from the home list"):
        pilot.wait_visible("home")
        instance = _seen.get("id", "")
        where = _("instance {id}").format(id=instance)
        click_home_row(pilot, lambda r: r.where == where, where)
        pilot.wait_text("fixButton", fix_words(Fix.REPAIR), "Re-pair…")
        pilot.click("fixButton")
        pilot.page("greenapi_already", PAIR_TIMEOUT_S)
        pilot.shot("already-logged")
    with pilot.step("log out and pair again"):
        pilot.click("greenapiLogoutPair")
        pilot.page("greenapi_qr")
        fresh = read_page_qr(pilot)
        if fresh == stale:
            raise StepFailed("the QR after the logout is the old one")
        pilot.shot("new-qr")
    with pilot.step("the phone's stale QR is refused"):
        if not pilot.phone("scan the QR it read before", lambda p: scan_refused(p, stale)):
            raise StepFailed("the sandbox accepted a stale Green-API QR")
        pilot.page("greenapi_qr")  # nothing changed on the desktop
    with pilot.step("the new QR pairs it again"):
        set_phone_2fa(pilot, False)
        phone_scans_the_page(pilot)
        wait_paired(pilot)
        pilot.shot("re-paired")
        pilot.click("wizardNext")
        pilot.wait_visible("home")


FLOWS = [
    Flow("greenapi_2fa", pair_with_password, prefix="greenapi"),
    Flow("greenapi_code", pair_by_code, prefix="greenapi-code"),
    Flow("greenapi_repair", already_logged_then_repair, prefix="greenapi-repair"),
]
