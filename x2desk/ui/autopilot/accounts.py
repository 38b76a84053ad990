"""The accounts flows (issue 5), as a person runs them in the demo: the accounts wizard through
the connections provider, and the demo phone's buttons (scan the desktop's QR, show the login
code) playing the account's phone.

1. ``accounts_telegram_qr``: the QR rotates before the scan (the phone's stale scan is refused),
   the current one is scanned by a phone with 2FA; a wrong password first, then the right one.
2. ``accounts_telegram_code``: a phone number without ``+`` first (the hint says so); a wrong
   login code first, then the one the phone shows.
3. ``accounts_max_code``: a number too short first; the code from the phone.
4. ``accounts_whatsapp``: the provider fails twice while the QR is up (the page says it tries
   again), recovers; the phone scans; linked.
5. ``accounts_telegram_bot``: a malformed token first (the hint says what is wrong, Next stays
   off), then a good one.
6. ``accounts_odnoklassniki``: a key with a space first; a new group, then its key changed.
7. ``accounts_subscription_402``: a provider key whose plan does not include WhatsApp: 402 and
   what it means; "Change the details", a paid key, linked.
8. ``accounts_reauthorise``: the provider marks the Telegram account unauthorised; "Re-authorise…"
   on the home list, scan, and no new connection at the provider.

In ``--autopilot`` the demo's sandbox rotates QR codes every few seconds and the wizard polls at
1 s (:data:`x2desk.demo.session.AUTOPILOT_LIMITS`), so the run stays short.
"""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt

from x2desk.core.errors import CodeInvalid, PasswordInvalid, SubscriptionRequired
from x2desk.core.kinds import Fix
from x2desk.ui.autopilot.moves import (
    CONNECT_TIMEOUT_S,
    PASSWORD_2FA,
    choose_item,
    choose_kind,
    click_home_row,
    expect_next_disabled,
    finish,
    fix_words,
    login_code_on_phone,
    name_connection,
    of_type,
    open_accounts,
    provider_connections,
    provider_next,
    qr_key,
    read_desktop_qr,
    scan_desktop,
    scan_refused,
    set_phone_2fa,
    wait_connected,
    wait_error,
    wait_for_qr,
    wait_rotation,
)
from x2desk.ui.autopilot.runner import Flow, Pilot, StepFailed
from x2desk.ui.autopilot.words import sample, says
from x2desk.ui.common.phone_field import country_name

# ---- the flows ----------------------------------------------------------------------------------


def _refused(hint: str) -> bool:
    """A hint under a field that says what is wrong (not its "OK: ..." line)."""
    return bool(hint) and not says(hint, "OK: {p}")


def _reauthorising(text: str) -> bool:
    return says(text, "Re-authorising connection {id}: no new connection will be made.") or says(
        text, "Re-authorising connection {id}: the saved key was filled in; press Next."
    )


def telegram_qr(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose a Telegram account by QR"):
        open_accounts(pilot, "telegram_qr", shots=True)
    with pilot.step("the provider's key (the demo dashboard's), checked"):
        provider_next(pilot, shot="provider")
    with pilot.step("the connection's name, suggested"):
        name_connection(pilot, shot="name")
    with pilot.step("the QR shows; the phone reads it but waits"):
        wait_for_qr(pilot)
        pilot.wait_text(
            "accountQrCountdown",
            lambda t: says(t, "This QR changes in {s} second", "This QR changes in {s} seconds"),
            "the QR's countdown",
        )
        pilot.shot("telegram-qr")
        old = read_desktop_qr(pilot)
        shown = qr_key(pilot)
    with pilot.step("the QR rotates before the scan: the phone's stale scan is refused"):
        wait_rotation(pilot, shown)
        if read_desktop_qr(pilot) == old:
            raise StepFailed("the QR on screen did not change when it rotated")
        refused = pilot.phone("scan the old QR", lambda p: scan_refused(p, old))
        if not refused:
            raise StepFailed("the provider accepted a QR that had rotated away")
        pilot.shot("telegram-qr-rotated")
    with pilot.step("the phone (with 2FA) scans the QR on screen now"):
        set_phone_2fa(pilot, True)
        scan_desktop(pilot)
        pilot.page("account_password", CONNECT_TIMEOUT_S)
        pilot.shot("password")
    with pilot.step("a wrong 2FA password: the page stays and says so"):
        pilot.type_text("accountPassword", "not the password")
        pilot.click("wizardNext")
        wait_error(pilot, "account_passwordBanner", PasswordInvalid, CONNECT_TIMEOUT_S)
        pilot.page("account_password")
        pilot.shot("password-wrong")
    with pilot.step("the right password: connected"):
        pilot.type_text("accountPassword", PASSWORD_2FA)
        pilot.press("accountPassword", Qt.Key.Key_Return)
        wait_connected(pilot, "the Telegram account", shot="telegram-connected")
        set_phone_2fa(pilot, False)
    with pilot.step("finish: one Telegram connection at the provider"):
        finish(pilot)
        if len(of_type(provider_connections(pilot), "telegram")) != 1:
            raise StepFailed("the provider does not have exactly one Telegram connection")


def telegram_code(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose a Telegram account by login code"):
        open_accounts(pilot, "telegram_code")
        provider_next(pilot)
    with pilot.step("a phone number without a country: the hint says so"):
        pilot.page("account_phone")
        choose_item(pilot, "accountPhoneCountry", "+")  # "+ and country code"
        pilot.type_text("accountPhone", "9161234567")
        pilot.wait_text("accountPhoneHint", lambda t: "+" in t, "what is wrong with the number")
        expect_next_disabled(pilot, "for a phone number without a country code")
        pilot.shot("phone-bad")
    with pilot.step("the number as dialled in Russia: +7, and a code is sent"):
        choose_item(pilot, "accountPhoneCountry", country_name("RU"))
        pilot.type_text("accountPhone", "8 916 123-45-67")
        pilot.wait_text("accountPhoneHint", lambda t: "+79161234567" in t, "the number is OK")
        pilot.shot("phone-national")
        pilot.press("accountPhone", Qt.Key.Key_Return)
        pilot.page("account_code", CONNECT_TIMEOUT_S)
        pilot.wait_text("account_codePrompt", lambda t: "+79161234567" in t, "where it was sent")
        pilot.shot("code")
    with pilot.step("a wrong login code: the page stays and says so"):
        set_phone_2fa(pilot, False)
        code = login_code_on_phone(pilot)
        wrong = "00000" if code != "00000" else "11111"
        pilot.type_text("accountCode", wrong)
        pilot.click("wizardNext")
        wait_error(pilot, "account_codeBanner", CodeInvalid, CONNECT_TIMEOUT_S)
        pilot.page("account_code")
        pilot.shot("code-wrong")
    with pilot.step("the code the phone shows: connected"):
        pilot.type_text("accountCode", code)
        pilot.click("wizardNext")
        wait_connected(pilot, "the Telegram account")
        finish(pilot)


def max_code(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose a MAX account"):
        open_accounts(pilot, "max_code")
        provider_next(pilot)
    with pilot.step("a number too short: the hint says so"):
        pilot.page("account_phone")
        pilot.type_text("accountPhone", "+7 900")
        pilot.wait_text("accountPhoneHint", _refused, "the number is too short")
        expect_next_disabled(pilot, "for a number too short")
        pilot.shot("max-phone-short")
    with pilot.step("the whole number and a name: the code from the phone"):
        pilot.type_text("accountPhone", "+7 900 123-45-67")
        pilot.type_text("accountName", sample("Sales MAX"))
        pilot.wait_text("accountPhoneHint", lambda t: "+79001234567" in t, "the number is OK")
        pilot.click("wizardNext")
        pilot.page("account_code", CONNECT_TIMEOUT_S)
        pilot.wait_text("account_codePrompt", lambda t: "MAX" in t, "that MAX sent a code")
        pilot.type_text("accountCode", login_code_on_phone(pilot))
        pilot.click("wizardNext")
    with pilot.step("connected: the MAX account at the provider"):
        details = wait_connected(pilot, "the MAX account", shot="max-connected")
        if sample("Sales MAX") not in details:
            raise StepFailed("the result does not show the connection's name")
        finish(pilot)
        names = [c["name"] for c in of_type(provider_connections(pilot), "max_personal")]
        if names != [sample("Sales MAX")]:
            raise StepFailed(f"the provider's MAX connections are {names}")


def whatsapp(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose WhatsApp, name it"):
        open_accounts(pilot, "whatsapp")
        provider_next(pilot)
        name_connection(pilot, sample("Support WhatsApp"))
    with pilot.step("the WhatsApp QR, with a link for another device"):
        wait_for_qr(pilot)
        pilot.wait_text("accountQrLink", lambda t: "href" in t, "the link to the QR page")
        pilot.shot("whatsapp-qr")
        (conn,) = of_type(provider_connections(pilot), "whatsapp")[-1:]
    with pilot.step("the provider fails twice: the page says it tries again"):
        path = f"/v2/companies/*/connections/{conn['id']}/whatsapp/status"
        pilot.phone("make the provider fail", lambda p: p.fault(path, "status", 503, times=2))
        pilot.wait_text(
            "account_qrBanner",
            lambda t: says(t, "Trying again in {s} second.", "Trying again in {s} seconds."),
            "that it tries again",
            CONNECT_TIMEOUT_S,
        )
        pilot.shot("whatsapp-retrying")
    with pilot.step("the provider answers again: the phone scans, linked"):
        pilot.wait_hidden("account_qrBanner", CONNECT_TIMEOUT_S)
        set_phone_2fa(pilot, False)
        scan_desktop(pilot)
        wait_connected(pilot, "the WhatsApp account", shot="whatsapp-connected")
        finish(pilot)
        (linked,) = [c for c in provider_connections(pilot).values() if c["id"] == conn["id"]]
        if linked["status"] != "active":
            raise StepFailed(f"the WhatsApp connection is {linked['status']}, not active")


def telegram_bot(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose a Telegram bot"):
        open_accounts(pilot, "telegram_bot")
        provider_next(pilot)
    with pilot.step("a malformed token: the page says what is wrong, Next stays off"):
        pilot.page("account_bot")
        pilot.type_text("botToken", "123456789:AA sh!rt")
        pilot.wait_text(
            "botTokenHint",
            lambda t: bool(t) and not says(t, "This looks like a bot token."),
            "what is wrong with the token",
        )
        expect_next_disabled(pilot, "for a malformed token")
        pilot.shot("bot-token-bad")
    token = f"{secrets.randbelow(10**9) + 10**9}:AA{secrets.token_urlsafe(30)[:35]}"
    with pilot.step("the whole token: connected"):
        pilot.type_text("botToken", token)
        pilot.type_text("botName", sample("Support bot"))
        pilot.wait_text(
            "botTokenHint", lambda t: says(t, "This looks like a bot token."), "the token is right"
        )
        pilot.click("wizardNext")
        details = wait_connected(pilot, "the Telegram bot", shot="bot-connected")
        if token in details or token.split(":")[1] in details:
            raise StepFailed("the result page shows the bot's token")
        finish(pilot)


def odnoklassniki(pilot: Pilot) -> None:
    with pilot.step("open the wizard, choose an Odnoklassniki group"):
        open_accounts(pilot, "odnoklassniki")
        provider_next(pilot)
    with pilot.step("a key with a space in it: Next stays off"):
        pilot.page("account_group")
        pilot.type_text("groupKey", "ok key")
        pilot.wait_text(
            "groupKeyHint",
            lambda t: bool(t) and not says(t, "The key has the right form."),
            "the error",
        )
        expect_next_disabled(pilot, "for a key with a space")
        pilot.shot("group-key-bad")
    with pilot.step("the group's key and a name: connected"):
        pilot.type_text("groupKey", "okkey-first-0001")
        pilot.type_text("groupName", sample("Our shop"))
        pilot.click("wizardNext")
        wait_connected(pilot, "the Odnoklassniki group")
    with pilot.step("connect another: change the key of the group"):
        pilot.click("resultAnother")
        choose_kind(pilot, "odnoklassniki")
        provider_next(pilot)
        pilot.page("account_group")
        pilot.click("groupChange")
        pilot.control("groupExisting")
        pilot.type_text("groupKey", "okkey-second-0002")
        pilot.wait_text(
            "wizardNext", lambda t: says(t, "&Change key"), "the button to say Change key"
        )
        pilot.shot("group-change-key")
        pilot.click("wizardNext")
    with pilot.step("the key was changed at the provider"):
        details = wait_connected(pilot, "the Odnoklassniki group", shot="group-key-changed")
        if not says(details, "The group's key was changed."):
            raise StepFailed("the result does not say the key was changed")
        finish(pilot)
        groups = of_type(provider_connections(pilot), "odnoklassniki")
        if len(groups) != 1 or groups[0]["params"].get("api_key") != "okkey-second-0002":
            raise StepFailed("the provider does not have one group with the new key")


def subscription_402(pilot: Pilot) -> None:
    with pilot.step("a plan without WhatsApp: the provider answers 402"):
        unpaid = pilot.phone(
            "get a key whose plan has no WhatsApp",
            lambda p: p.provider_key(unpaid_types=["whatsapp"]),
        )
        before = len(provider_connections(pilot))
        open_accounts(pilot, "whatsapp")
        provider_next(pilot, key=unpaid)
        name_connection(pilot)
        pilot.page("account_result", CONNECT_TIMEOUT_S)
        wait_error(pilot, "account_resultBanner", SubscriptionRequired, CONNECT_TIMEOUT_S)
        pilot.shot("result-402")
        if len(provider_connections(pilot)) != before:
            raise StepFailed("a connection was made despite the 402")
    with pilot.step("change the details: a paid key, linked"):
        paid = pilot.phone("get a key with a paid plan", lambda p: p.provider_key())
        pilot.click("resultFix")
        provider_next(pilot, key=paid)
        name_connection(pilot)
        set_phone_2fa(pilot, False)
        scan_desktop(pilot)
        wait_connected(pilot, "the WhatsApp account")
        finish(pilot)
        if len(provider_connections(pilot)) != before + 1:
            raise StepFailed("the paid key did not make exactly one connection")


def reauthorise(pilot: Pilot) -> None:
    with pilot.step("the provider says the Telegram account must log in again"):
        connections = provider_connections(pilot)
        accounts = of_type(connections, "telegram")
        if not accounts:
            raise StepFailed("there is no Telegram account to re-authorise (the QR flow failed?)")
        conn_id = int(accounts[0]["id"])
        pilot.phone(
            "mark the account unauthorised",
            lambda p: p.set_connection_status(conn_id, "unauthorized"),
        )
    with pilot.step("select it on the home list, Re-authorise…"):
        select_home_row(pilot, "telegram", conn_id)
        pilot.wait_text("fixButton", fix_words(Fix.REAUTHORISE), "Re-authorise…")
        pilot.shot("home-reauthorise")
        pilot.click("fixButton")
        pilot.page("account_provider")
        pilot.wait_text(
            "account_providerBanner",
            lambda t: str(conn_id) in t and _reauthorising(t),
            "which connection is re-authorised",
        )
        provider_next(pilot, shot="reauthorise-provider")
    with pilot.step("scan the QR: re-authorised"):
        set_phone_2fa(pilot, False)
        scan_desktop(pilot)
        details = wait_connected(pilot, "the Telegram account", shot="reauthorised")
        if not says(details, "Re-authorised the connection."):
            raise StepFailed("the result does not say the connection was re-authorised")
        finish(pilot)
    with pilot.step("no new connection at the provider; the old one is active"):
        after = provider_connections(pilot)
        if sorted(after) != sorted(connections):
            raise StepFailed("re-authorising made a new connection")
        if after[str(conn_id)]["status"] != "active":
            raise StepFailed(f"the connection is {after[str(conn_id)]['status']}, not active")


def select_home_row(pilot: Pilot, kind: str, conn_id: int) -> None:
    """Click the home list's row of the provider's connection ``conn_id`` of this sandbox."""
    base = str(getattr(pilot.session, "url", ""))
    click_home_row(
        pilot,
        lambda r: r.kind == kind and r.external_id == str(conn_id) and r.api_base.startswith(base),
        f"the {kind} connection {conn_id}",
    )


FLOWS = [
    Flow("accounts_telegram_qr", telegram_qr, prefix="accounts"),
    Flow("accounts_telegram_code", telegram_code, prefix="accounts"),
    Flow("accounts_max_code", max_code, prefix="accounts"),
    Flow("accounts_whatsapp", whatsapp, prefix="accounts"),
    Flow("accounts_telegram_bot", telegram_bot, prefix="accounts"),
    Flow("accounts_odnoklassniki", odnoklassniki, prefix="accounts"),
    Flow("accounts_subscription_402", subscription_402, prefix="accounts"),
    Flow("accounts_reauthorise", reauthorise, prefix="accounts"),
]
