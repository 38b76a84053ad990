"""The provider's API key in the core (the accounts wizard only renders it): where a prefilled key
comes from, a key locked in the encrypted file, checking a key with the sandbox's provider over
loopback and remembering it (or saying why it was not)."""

from __future__ import annotations

from typing import Any

import pytest

from x2desk.core.accounts.client import ConnectionsClient, provider_key_ref
from x2desk.core.accounts.provider_key import (
    KeySource,
    key_in,
    load_key,
    remember_key,
    verify_key,
)
from x2desk.core.errors import (
    CompanyChoiceRequired,
    InputError,
    InvalidAuth,
    KeyringUnavailable,
    PassphraseRequired,
)
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import open_credential_store, use_encrypted_file
from x2desk.sandbox.phone import SandboxPhone

URL = "https://provider.example/v2"
PASSPHRASE = Secret("correct horse battery")


def test_a_prefilled_key_says_where_it_came_from() -> None:
    assert load_key(URL) == load_key(URL)  # nothing saved, no demo: nothing to fill in
    nothing = load_key(URL)
    assert nothing.key is None and nothing.source is KeySource.NONE and not nothing.locked
    demo = load_key(URL, demo_key=lambda: "demo-key-0001")
    assert demo.source is KeySource.DEMO and demo.key == Secret("demo-key-0001")
    remember_key(URL, Secret("saved-key-0001"), 1)
    saved = load_key(URL, demo_key=lambda: "demo-key-0001")
    assert saved.source is KeySource.SAVED and saved.key == Secret("saved-key-0001")
    earlier = load_key(URL, earlier=Secret("checked-0001"))
    assert earlier.source is KeySource.EARLIER and earlier.key == Secret("checked-0001")
    assert key_in(open_credential_store(), URL + "/") == Secret("saved-key-0001")


def test_a_key_in_the_locked_encrypted_file() -> None:
    use_encrypted_file(PASSPHRASE).save(provider_key_ref(URL), Secret("file-key-0001"))
    locked = load_key(URL)
    assert locked.key is None and locked.locked  # say so: the person may unlock it
    demo = load_key(URL, demo_key=lambda: "demo-key-0001")
    assert demo.source is KeySource.DEMO and not demo.locked
    unlocked = open_credential_store(passphrase=PASSPHRASE)
    opened = load_key(URL, unlocked=unlocked)
    assert opened.source is KeySource.SAVED and opened.key == Secret("file-key-0001")


def test_an_unreadable_store_is_no_error_when_prefilling() -> None:
    def broken() -> Any:
        raise KeyringUnavailable()

    loaded = load_key(URL, open_store=broken)
    assert loaded.key is None and loaded.source is KeySource.NONE and not loaded.locked


def test_a_working_key_is_checked_and_remembered(sandbox: Any, phone: SandboxPhone) -> None:
    url = f"{sandbox.url}/v2"
    key = Secret(phone.provider_key())
    with ConnectionsClient(url, key) as client:
        group = client.create_connection("Shop", "odnoklassniki", {"api_key": Secret("ok-1")})
    verified = verify_key(url, key, remember=False)
    assert [c.id for c in verified.of_type("odnoklassniki")] == [group.id]
    assert not verified.saved and verified.save_error is None
    assert load_key(url).key is None  # not remembered when not asked to
    verified = verify_key(url, key, remember=True)
    assert verified.saved and load_key(url).key == key


def test_a_refused_key_is_neither_listed_nor_remembered(sandbox: Any) -> None:
    url = f"{sandbox.url}/v2"
    with pytest.raises(InvalidAuth):
        verify_key(url, Secret("not-a-key-at-all"), remember=True)
    assert load_key(url).key is None


def test_a_key_that_works_but_cannot_be_saved_says_why(sandbox: Any, phone: SandboxPhone) -> None:
    url = f"{sandbox.url}/v2"
    key = Secret(phone.provider_key())
    use_encrypted_file(PASSPHRASE)  # the file is the choice, and nothing has opened it
    verified = verify_key(url, key, remember=True)
    assert not verified.saved and isinstance(verified.save_error, PassphraseRequired)
    unlocked = open_credential_store(passphrase=PASSPHRASE)
    verified = verify_key(url, key, remember=True, unlocked=unlocked)
    assert verified.saved and key_in(unlocked, url) == key


def test_a_key_that_sees_several_companies_asks_which_and_is_saved_for_the_one_chosen(
    sandbox: Any, phone: SandboxPhone
) -> None:
    url = f"{sandbox.url}/v2"
    account = phone.provider_account(companies=["Shop", "Cafe"])
    key = Secret(account["api_key"])
    shop, cafe = (c["id"] for c in account["companies"])
    with pytest.raises(CompanyChoiceRequired) as asked:
        verify_key(url, key, remember=True)
    assert [c.name for c in asked.value.companies] == ["Shop", "Cafe"]
    assert load_key(url).key is None  # nothing saved while no company was chosen
    verified = verify_key(url, key, remember=True, company="cafe")  # by name, any case
    assert verified.company is not None and verified.company.id == cafe and verified.saved
    assert [c.name for c in verified.companies] == ["Shop", "Cafe"]
    loaded = load_key(url)  # the company remembered for the address, its key with it
    assert loaded.key == key and loaded.company_id == str(cafe)
    assert load_key(url, company_id=shop).key is None  # not saved for the other company
    again = verify_key(url, key, remember=False, preferred=cafe)
    assert again.company is not None and again.company.id == cafe
    with pytest.raises(InputError):
        verify_key(url, key, remember=False, company="Bar")  # a company the key does not see


def test_a_stale_remembered_company_asks_again(sandbox: Any, phone: SandboxPhone) -> None:
    url = f"{sandbox.url}/v2"
    key = Secret(phone.provider_account(companies=["Shop", "Cafe"])["api_key"])
    with pytest.raises(CompanyChoiceRequired):
        verify_key(url, key, remember=False, preferred=999)
