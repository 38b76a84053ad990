"""The accounts wizard against the provider as the real one is (issues 11 and 12), over loopback:
a key that works for several companies asks which one and remembers it with the key; the key is
bound to the address it was saved for (editing the address empties it, and the saved key never
reaches a typed address); re-authorising works in the connection's own company; a connection
made but not active says why; after success only Finish; the chooser's cards, the phone's
country, the login code's show box, and no "looks good" under a refusal."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from helpers import AccountsDriver as Driver
from helpers import make_accounts_wizard as make_wizard
from PySide6.QtCore import Qt

from x2desk.core.accounts.companies import save_provider_key
from x2desk.core.clock import FakeClock
from x2desk.core.secret import Secret
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.credentials import open_credential_store
from x2desk.core.store.records import RecordStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.choose import ChoiceCard
from x2desk.ui.context import AppContext


@pytest.fixture
def wiz(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[AccountsWizard]:
    w = make_wizard(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    w.start()
    yield w
    w.shutdown()


@pytest.fixture
def d(qtbot: Any, wiz: AccountsWizard, manual: ManualScheduler) -> Driver:
    return Driver(qtbot, wiz, manual)


def company_paths(phone: SandboxPhone) -> list[str]:
    return [r["path"] for r in phone.requests() if r["path"].startswith("/v2/companies/")]


def test_several_companies_ask_which_one_by_name_and_remember_it(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    account = phone.provider_account(companies=["Shop", "Cafe"])
    shop, cafe = (c["id"] for c in account["companies"])
    d.choose("telegram_bot", account["api_key"])
    d.qtbot.waitUntil(lambda: wiz.provider.company_box.isVisible(), timeout=5000)
    assert d.page == "account_provider"
    box = wiz.provider.company_box
    assert [box.itemText(i) for i in range(box.count())] == ["Shop", "Cafe"]
    assert "several companies" in wiz.provider.banner.text()
    assert wiz.provider.banner.tone == "info"
    d.shot("provider_companies")
    box.setCurrentIndex(1)
    d.next()
    d.wait_page("account_bot")
    assert wiz.company_id == str(cafe)
    d.type(wiz.bot.token_edit, "123456789:" + "B" * 35)
    d.next()
    d.until(State.CONNECTED)
    assert "Company: Cafe" in wiz.result.details.text()
    assert any(p.startswith(f"/v2/companies/{cafe}/connections") for p in company_paths(phone))
    assert not any(p.startswith(f"/v2/companies/{shop}/") for p in company_paths(phone))

    def recorded() -> Any:
        with RecordStore.open() as records:
            return [r.details.get("company_id") for r in records.list()]

    d.qtbot.waitUntil(lambda: recorded() == [cafe], timeout=3000)
    from x2desk.core.accounts.provider_key import load_key

    loaded = load_key(f"{sandbox.url}/v2")  # saved for the company chosen, which is remembered
    assert loaded.key == Secret(account["api_key"]) and loaded.company_id == str(cafe)


class _Recorder(BaseHTTPRequestHandler):
    keys: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).keys.append(self.headers.get("X-Api-Key", ""))
        body = json.dumps({"error": "UNAUTHORIZED", "detail": "bad key"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """Another provider address on loopback that records every API key sent to it."""
    keys: ClassVar[list[str]] = []
    handler = type("Recorder", (_Recorder,), {"keys": keys})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2", keys
    finally:
        server.shutdown()
        server.server_close()


def test_a_saved_key_is_never_sent_to_an_address_typed_afterwards(
    d: Driver, wiz: AccountsWizard, sandbox: Any, recorder: tuple[str, list[str]]
) -> None:
    saved = "saved-key-for-the-sandbox-0001"
    save_provider_key(open_credential_store(), f"{sandbox.url}/v2", 1, Secret(saved))
    d.qtbot.mouseClick(wiz.kind_page.buttons["telegram_bot"], Qt.MouseButton.LeftButton)
    d.next()
    d.wait_page("account_provider")
    d.qtbot.waitUntil(lambda: wiz.provider.key_edit.text() == saved, timeout=5000)
    other, keys = recorder
    wiz.provider.url_edit.setFocus()
    wiz.provider.url_edit.selectAll()
    d.qtbot.keyClicks(wiz.provider.url_edit, other)  # the person types another address
    assert wiz.provider.key_edit.text() == ""  # the key for the other address was taken out
    assert "type the key for this address" in wiz.provider.banner.text()
    assert not wiz.frame.next_button.isEnabled()
    d.qtbot.keyClick(wiz.provider.key_edit, Qt.Key.Key_Return)
    d.qtbot.wait(50)
    assert keys == []  # nothing went there
    d.type(wiz.provider.key_edit, "typed-key-for-the-other-0002")
    d.next()
    d.qtbot.waitUntil(lambda: wiz.provider.banner.tone == "error", timeout=5000)
    assert keys == ["typed-key-for-the-other-0002"]  # only what was typed for it
    assert saved not in keys
    # no green "looks good" under the red refusal
    assert "refused the API key" in wiz.provider.banner.text()
    assert "Looks good" not in wiz.provider.hint.text()
    d.shot("provider_refused")


def test_reauthorise_works_in_the_connections_own_company(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    account = phone.provider_account(companies=["Shop", "Cafe"])
    key = account["api_key"]
    cafe = account["companies"][1]["id"]
    url = f"{sandbox.url}/v2"
    from x2desk.core.accounts.client import ConnectionsClient

    with ConnectionsClient(url, Secret(key), company_id=cafe) as client:
        session = client.telegram_init("qr")
        phone.scan(session.qr_login.url if session.qr_login else "")
        conn = client.create_connection("Sales", "telegram", {"session_id": session.session_id})
    with RecordStore.open() as records:
        records.upsert(
            "telegram", conn.id, name="Sales", api_base=url, details={"company_id": cafe}
        )
    phone.set_connection_status(int(conn.id), "unauthorized")
    from x2desk.core.home.rows import load_rows

    (row,) = load_rows()
    assert row.company_id == str(cafe)
    wiz.start_reauth("telegram", conn.id, row.api_base, row.company_id)
    d.wait_page("account_provider")
    d.type(wiz.provider.key_edit, key)
    d.next()  # no company asked: the connection's own
    d.until(State.WAITING_FOR_QR)
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    assert f"/v2/companies/{cafe}/telegram/init" in company_paths(phone)
    assert "Re-authorised" in wiz.result.details.text()


def test_a_connection_made_but_not_active_says_why(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_bot", phone.provider_key(inactive_types=["telegram_bot"]))
    d.wait_page("account_bot")
    d.type(wiz.bot.token_edit, "123456789:" + "C" * 35)
    d.next()
    d.until(State.CONNECTED)
    assert "not active" in wiz.result.headline.text()
    assert "connected." not in wiz.result.headline.text()
    assert wiz.result.banner.tone == "warning"
    assert "subscription" in wiz.result.banner.text()
    assert wiz.result.limits.isVisible()
    assert not wiz.frame.cancel_button.isVisible()  # only Finish after it is made
    d.shot("result_inactive")


def test_success_shows_the_account_and_only_finish(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_qr", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    phone.scan(str(wiz.qr.shown_payload))
    d.until(State.CONNECTED, step_s=5)
    details = wiz.result.details.text()
    assert "Phone: +7900" in details and "Name: Telegram account" in details
    assert "connection id" in wiz.result.technical.text()
    assert not wiz.result.limits.isVisible()  # the subscription note: before, not after
    assert not wiz.frame.cancel_button.isVisible()
    assert wiz.frame.next_button.isEnabled()
    d.shot("result_connected_account")


def test_a_failed_login_does_not_mark_the_step_done(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("whatsapp", phone.provider_key(unpaid_types=["whatsapp"]))
    d.until(State.FAILED)
    labels = wiz.frame._step_labels
    assert labels["Done"].property("current") is False
    assert labels["Log in"].property("current") is True
    assert wiz.result.limits.isVisible()  # on a 402 the subscription note is where it matters


def test_the_kinds_are_cards_like_the_chooser(wiz: AccountsWizard) -> None:
    cards = list(wiz.kind_page.buttons.values())
    assert cards and all(isinstance(c, ChoiceCard) for c in cards)
    for card in cards:  # the whole title and description, wrapped, not clipped
        assert card.title_label.wordWrap() and card.description_label.wordWrap()
        assert card.height() >= card.heightForWidth(card.width()) - 1
    assert "paid subscription" in wiz.kind_page.limits.text()


def test_a_national_number_in_the_chosen_country_and_the_country_remembered(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone
) -> None:
    d.choose("telegram_code", phone.provider_key())
    d.wait_page("account_phone")
    field = wiz.phone.field
    assert "+44" not in wiz.phone.phone_edit.placeholderText()
    field.set_region("RU")
    assert "8" in wiz.phone.phone_edit.placeholderText()
    d.type(wiz.phone.phone_edit, "8 916 123-45-67")
    assert "+79161234567" in wiz.phone.hint.text()
    d.next()
    d.until(State.WAITING_FOR_CODE)
    assert "+79161234567" in wiz.code.prompt.text()
    from x2desk.core.store.settings import load_settings

    d.qtbot.waitUntil(lambda: load_settings().phone_region == "RU", timeout=3000)
    # the login code can be shown (a code is short-lived), and is masked by default
    edit = wiz.code.edit
    assert edit.echoMode() == edit.EchoMode.Password
    assert wiz.code.show_box is not None
    wiz.code.show_box.setFocus()
    d.qtbot.keyClick(wiz.code.show_box, Qt.Key.Key_Space)
    assert edit.echoMode() == edit.EchoMode.Normal


def test_whatsapp_says_so_at_once_after_the_scan(
    d: Driver, wiz: AccountsWizard, phone: SandboxPhone, sandbox: Any
) -> None:
    d.choose("whatsapp", phone.provider_key())
    d.until(State.WAITING_FOR_QR)
    assert "x2desk shows new QRs for 10:00 more" in wiz.qr.session_left.text()
    d.run(1)
    phone.scan(str(wiz.qr.shown_payload))  # a second after a poll
    d.run(1)  # WhatsApp's status is asked every 2 s: the scan shows within 2 s
    d.qtbot.waitUntil(lambda: d.state() is State.LOADING, timeout=3000)
    assert "Scanned" in wiz.qr.status.text()
    assert "Scanned" in wiz.qr.image.text()
    assert wiz.qr.busy.isVisible()
    d.until(State.CONNECTED, step_s=1)
