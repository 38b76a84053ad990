"""The provider as the real v2 API is (issue 11): every call under ``/companies/{id}``, the company
found from the key (or chosen when it sees several), keys saved bound to the address and company,
lists read page by page, and a connection that is made but not active said to be so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from x2desk.core.accounts.client import ConnectionsClient
from x2desk.core.accounts.companies import (
    choose_company,
    load_provider_key,
    provider_key_ref,
    remembered_company,
    save_provider_key,
)
from x2desk.core.accounts.inputs import check_bot_token
from x2desk.core.accounts.shapes import Company
from x2desk.core.clock import FakeClock
from x2desk.core.errors import CompanyChoiceRequired, InputError, NoCompany, RequestRejected
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import KeyringStore
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

SEED_LIKE_TOKEN = "52829374815:" + "Ju1X4yonUDb5MAFtgv8hfUoGNXJ"  # 27 after the colon, as seed 002


def provider_paths(phone: SandboxPhone) -> list[str]:
    return [r["path"] for r in phone.requests() if r["path"].startswith("/v2")]


def test_one_company_is_found_from_the_key_and_every_call_goes_under_it(
    sandbox: SandboxServer, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    account = phone.provider_account()
    company = account["companies"][0]
    with ConnectionsClient(sandbox.url + "/v2", Secret(account["api_key"])) as client:
        session = client.telegram_init("qr")
        assert session.status == "waiting_for_qr"
        assert client.company_id == company["id"] and client.company is not None
        assert client.company.name == company["name"]
        made = client.create_connection("Bot", "telegram_bot", {"token": SEED_LIKE_TOKEN})
        assert made.company_id == company["id"] and made.active
    paths = provider_paths(phone)
    assert paths[0] == "/v2/companies/"  # the company is found first, once
    assert paths[1:] == [
        f"/v2/companies/{company['id']}/telegram/init",
        f"/v2/companies/{company['id']}/connections/",
    ]


def test_several_companies_ask_which_then_the_choice_is_used(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    account = phone.provider_account(companies=["Shop", "Cafe"])
    key = Secret(account["api_key"])
    shop_id, cafe_id = (c["id"] for c in account["companies"])
    with ConnectionsClient(sandbox.url + "/v2", key) as client:
        with pytest.raises(CompanyChoiceRequired) as info:
            client.list_connections()
        assert [(c.id, c.name) for c in info.value.companies] == [
            (shop_id, "Shop"),
            (cafe_id, "Cafe"),
        ]
        assert "Shop" in info.value.message and "Cafe" in info.value.message
        assert client.company_id is None  # nothing was sent to a company
        assert client.resolve_company("cafe").id == cafe_id  # by name, any case
        client.create_connection("Bot", "telegram_bot", {"token": SEED_LIKE_TOKEN})
    with ConnectionsClient(sandbox.url + "/v2", key, company_id=shop_id) as shop:
        assert shop.list_connections() == []  # the Cafe's connection is not the Shop's
    assert f"/v2/companies/{shop_id}/connections/" in " ".join(provider_paths(phone))


def test_a_wrong_company_or_address_says_so(sandbox: SandboxServer, phone: SandboxPhone) -> None:
    key = Secret(phone.provider_key())
    other = phone.provider_account(companies=1)["companies"][0]["id"]  # another key's own
    wrong_company = ConnectionsClient(sandbox.url + "/v2", key, company_id=other)
    with wrong_company, pytest.raises(RequestRejected, match=f"no company {other}"):
        wrong_company.telegram_init("qr")
    wrong_address = ConnectionsClient(sandbox.url + "/v3", key)
    with wrong_address, pytest.raises(RequestRejected, match="no such address"):
        wrong_address.list_connections()
    no_company = ConnectionsClient(sandbox.url + "/v2", Secret(phone.provider_key(companies=0)))
    with no_company, pytest.raises(NoCompany):
        no_company.list_connections()


def test_choose_company_by_id_name_or_the_only_one() -> None:
    shop, cafe, cafe2 = Company(1, "Shop"), Company(2, "Cafe"), Company(3, "cafe")
    assert choose_company([shop]) is shop
    assert choose_company([shop, cafe], "2") is cafe and choose_company([shop, cafe], 1) is shop
    assert choose_company([shop, cafe], " SHOP ") is shop
    with pytest.raises(CompanyChoiceRequired) as info:
        choose_company([shop, cafe, cafe2], "Cafe")
    assert info.value.companies == (cafe, cafe2)
    with pytest.raises(InputError, match=r"no company 'Bar'.*Shop \(#1\)"):
        choose_company([shop, cafe], "Bar")
    with pytest.raises(NoCompany):
        choose_company([])


def test_the_key_is_bound_to_the_address_and_the_company() -> None:
    base = "https://api.radist.online/v2/"
    assert provider_key_ref(base) == "provider_api_key:https://api.radist.online/v2"
    assert provider_key_ref(base, 7) == "provider_api_key:https://api.radist.online/v2#company=7"
    assert provider_key_ref(base, 7) != provider_key_ref("https://evil.example/v2", 7)
    store = KeyringStore()
    assert load_provider_key(store, base) == (None, None)
    store.save(provider_key_ref(base), Secret("legacy-key"))  # saved by an older x2desk
    key, company = load_provider_key(store, base)
    assert key is not None and key.reveal() == "legacy-key" and company is None
    save_provider_key(store, base, 7, Secret("company-key"))
    assert remembered_company(base) == "7"
    key, company = load_provider_key(store, base)
    assert key is not None and key.reveal() == "company-key" and company == "7"
    assert load_provider_key(store, "https://evil.example/v2") == (None, None)
    assert load_provider_key(store, base, 8) == (None, "8")  # another company: no key


# ---- pages -------------------------------------------------------------------------------------


@pytest.fixture
def small_pages(fake_clock: FakeClock) -> Iterator[SandboxServer]:
    with SandboxServer(clock=fake_clock, provider_page_max=3) as server:
        yield server


def test_every_page_of_connections_is_read(small_pages: SandboxServer) -> None:
    with SandboxPhone(small_pages.url) as phone:
        key = Secret(phone.provider_key())
        with ConnectionsClient(small_pages.url + "/v2", key) as client:
            for n in range(7):
                client.create_connection(f"B{n}", "telegram_bot", {"token": SEED_LIKE_TOKEN})
            listed = client.list_connections()
        assert [c.name for c in listed] == [f"B{n}" for n in range(7)]
        pages = [r for r in phone.requests() if r["method"] == "GET" and "connections" in r["path"]]
        assert len(pages) == 3  # 3 + 3 + 1


# ---- made, but not active ----------------------------------------------------------------------


def test_a_connection_outside_the_subscription_says_it_is_not_active(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    key = Secret(phone.provider_key(inactive_types=["telegram_bot"]))
    with ConnectionsClient(sandbox.url + "/v2", key) as client:
        made = client.create_connection("Bot", "telegram_bot", {"token": SEED_LIKE_TOKEN})
        group = client.create_connection("G", "odnoklassniki", {"api_key": Secret("ok-key-1")})
    assert made.status == "waiting" and not made.active
    assert made.inactive_reason == "subscription"
    assert made.status_note and "paid subscription" in made.status_note
    assert "telegram_bot" in made.status_note
    assert group.active and group.inactive_reason is None and group.status_note is None


def test_a_bot_token_is_checked_by_shape_not_length() -> None:
    assert check_bot_token(Secret(f" {SEED_LIKE_TOKEN} ")).reveal() == SEED_LIKE_TOKEN
    with pytest.raises(InputError, match="cannot have"):
        check_bot_token(Secret("123:abc def"))
