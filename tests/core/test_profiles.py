"""Named profiles: the default keeps today's layout; another has its own records, addresses,
companies and secrets; which one is active; removing one with its secrets."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from helpers import MemoryStore, write_v1_records

from x2desk.core import profiles
from x2desk.core.accounts.companies import (
    load_provider_key,
    provider_key_ref,
    remember_company,
    remembered_company,
    save_provider_key,
)
from x2desk.core.addresses import resolve_address
from x2desk.core.errors import InputError
from x2desk.core.home.profiles import remove_profile
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import KeyringStore, secret_ref
from x2desk.core.store.records import RecordStore
from x2desk.core.store.settings import load_settings, update_settings

PROVIDER = "https://api.radist.online/v2"


def write_old_data_folder(home: Path) -> None:
    """A data folder as x2desk wrote it before profiles: settings, records, keyring entries."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(
        json.dumps(
            {
                "credential_store": "keyring",
                "confirm_rotation": False,
                "api_bases": {"x2chat": "https://old.x2chat.example/api/v1"},
                "credentials_file": None,
                "phone_region": "RU",
                "provider_companies": {PROVIDER: "7"},
            }
        )
    )
    write_v1_records(home / "records.sqlite3")
    keyring.set_password("x2desk", "x2chat_bot:55", "55:old-bot-token-value")
    keyring.set_password("x2desk", f"provider_api_key:{PROVIDER}#company=7", "old-provider-key")


def test_a_data_folder_from_before_profiles_is_the_default_profile(x2desk_home: Path) -> None:
    write_old_data_folder(x2desk_home)
    assert profiles.active_profile() == "default"
    assert [p.name for p in profiles.list_profiles()] == ["default"]
    assert profiles.profile_folder() == x2desk_home
    assert secret_ref("x2chat_bot", 55) == "x2chat_bot:55"
    with RecordStore.open() as records:
        bot = records.list()[0]
    token = KeyringStore().load(bot.secret_ref or "")
    assert token is not None and token.reveal() == "55:old-bot-token-value"
    key, company = load_provider_key(KeyringStore(), PROVIDER)
    assert company == "7" and key is not None and key.reveal() == "old-provider-key"
    assert resolve_address("x2chat", environ={}) == "https://old.x2chat.example/api/v1"
    settings = load_settings()
    assert settings.phone_region == "RU" and settings.confirm_rotation is False

    # a second profile changes nothing of the default's
    profiles.add_profile("acme", "Acme Ltd", {"x2chat": "https://acme.x2chat.example/api/v1"})
    profiles.set_session_profile("acme")
    assert profiles.profile_folder() == x2desk_home / "profiles" / "acme"
    with RecordStore.open() as records:
        assert records.list() == []
    assert resolve_address("x2chat", environ={}) == "https://acme.x2chat.example/api/v1"
    assert load_settings().phone_region == "RU"  # the computer's settings are shared
    assert load_provider_key(KeyringStore(), PROVIDER) == (None, None)
    profiles.set_session_profile(None)
    assert resolve_address("x2chat", environ={}) == "https://old.x2chat.example/api/v1"
    saved = json.loads((x2desk_home / "settings.json").read_text())
    assert saved["api_bases"] == {"x2chat": "https://old.x2chat.example/api/v1"}
    assert saved["provider_companies"] == {PROVIDER: "7"}


def test_each_profile_has_its_own_secrets_companies_and_addresses(x2desk_home: Path) -> None:
    store = KeyringStore()
    save_provider_key(store, PROVIDER, 7, Secret("default-key"))
    profiles.add_profile("acme")
    profiles.set_session_profile("acme")
    assert secret_ref("greenapi", 1101) == "profile:acme:greenapi:1101"
    assert provider_key_ref(PROVIDER, 9) == f"profile:acme:provider_api_key:{PROVIDER}#company=9"
    assert remembered_company(PROVIDER) is None
    save_provider_key(store, PROVIDER, 9, Secret("acme-key"))
    remember_company(PROVIDER, 9)
    update_settings(lambda s: s.set_api_base("greenapi", "https://acme.green.example"))
    assert load_settings().api_bases == {"greenapi": "https://acme.green.example"}
    key, company = load_provider_key(store, PROVIDER)
    assert (key.reveal() if key else None, company) == ("acme-key", "9")

    profiles.set_session_profile(None)
    key, company = load_provider_key(store, PROVIDER)
    assert (key.reveal() if key else None, company) == ("default-key", "7")
    assert load_settings().api_bases == {}
    acme = profiles.get_profile("acme")
    assert acme.settings == {
        "api_bases": {"greenapi": "https://acme.green.example"},
        "provider_companies": {PROVIDER: "9"},
    }


def test_which_profile_is_active(x2desk_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profiles.add_profile("acme")
    profiles.add_profile("shop-2", "Second shop")
    assert profiles.active_profile() == "default"
    monkeypatch.setenv("X2DESK_PROFILE", "acme")
    assert profiles.active_profile() == "acme"
    profiles.use_profile("SHOP-2")  # names are case-insensitive; this process switches at once
    assert profiles.active_profile() == "shop-2"
    profiles.set_session_profile(None)  # the next run: the environment over the remembered one
    assert profiles.active_profile() == "acme"
    monkeypatch.delenv("X2DESK_PROFILE")
    assert profiles.active_profile() == "shop-2"
    monkeypatch.setenv("X2DESK_PROFILE", "acme")
    profiles.set_session_profile("default")
    assert profiles.active_profile() == "default"
    monkeypatch.setenv("X2DESK_PROFILE", "nope")
    profiles.set_session_profile(None)
    with pytest.raises(InputError, match="profile add nope"):
        profiles.active_profile()
    with pytest.raises(InputError, match="There is already"):
        profiles.add_profile("acme")
    for bad in ("", "a b", "../x", "x" * 33, "имя"):
        with pytest.raises(InputError):
            profiles.check_name(bad)
    monkeypatch.delenv("X2DESK_PROFILE")
    assert [(p.name, p.display_name) for p in profiles.list_profiles()] == [
        ("default", "Default"),
        ("acme", "acme"),
        ("shop-2", "Second shop"),
    ]


def test_removing_a_profile_deletes_its_secrets_and_keeps_the_others(x2desk_home: Path) -> None:
    store = KeyringStore()
    store.save(secret_ref("x2chat_bot", 1), Secret("default-bot-token"))
    profiles.add_profile("acme")
    profiles.use_profile("acme")
    profiles.set_session_profile("acme")
    ref = secret_ref("x2chat_bot", 1)
    store.save(ref, Secret("acme-bot-token"))
    save_provider_key(store, PROVIDER, 9, Secret("acme-key"))
    with RecordStore.open() as records:
        records.upsert("x2chat_bot", 1, secret_ref=ref)
    with pytest.raises(InputError, match="still has 1 connection"):
        remove_profile("acme", store)
    removed = remove_profile("acme", store, force=True)
    assert set(removed.secrets) >= {ref, provider_key_ref(PROVIDER, 9, profile="acme")}
    assert store.load(ref) is None
    assert store.load("x2chat_bot:1") is not None  # the default profile's own
    assert not (x2desk_home / "profiles" / "acme").exists()
    assert [p.name for p in profiles.list_profiles()] == ["default"]
    assert profiles.active_profile() == "default"
    with pytest.raises(InputError):
        remove_profile("default", store)


def test_a_store_that_lists_its_entries_gives_up_every_one_of_the_profile(
    x2desk_home: Path,
) -> None:
    class Listing(MemoryStore):
        def refs(self) -> list[str]:
            return list(self.items)

    store = Listing()
    profiles.add_profile("acme")
    store.save("profile:acme:greenapi:5", Secret("t" * 30))
    store.save("profile:acmex:greenapi:5", Secret("u" * 30))
    store.save("greenapi:5", Secret("v" * 30))
    remove_profile("acme", store)
    assert set(store.items) == {"profile:acmex:greenapi:5", "greenapi:5"}


def test_each_profile_s_audit_sees_only_its_own_orphan_secrets(x2desk_home: Path) -> None:
    from x2desk.core.store.audit import audit
    from x2desk.core.store.journal import open_journal

    class Listing(MemoryStore):
        def refs(self) -> list[str]:
            return list(self.items)

    store = Listing()
    store.save("x2chat_bot:1", Secret("1:default-token-value"))
    store.save("profile:acme:x2chat_bot:2", Secret("2:acme-token-value"))
    profiles.add_profile("acme")
    for name, orphan in (("default", "x2chat_bot:1"), ("acme", "profile:acme:x2chat_bot:2")):
        profiles.set_session_profile(name)
        with open_journal() as journal, RecordStore.open() as records:
            found = audit(journal, records, store).findings
        assert [(f.problem, f.secret_ref) for f in found] == [("secret_without_record", orphan)]


def test_addresses_per_profile_are_validated(x2desk_home: Path) -> None:
    profiles.add_profile("acme")
    assert profiles.set_addresses("acme", {"x2chat": "https://acme.example/api/v1/"}) == {
        "x2chat": "https://acme.example/api/v1"
    }
    assert profiles.set_addresses("default", {"greenapi": "http://127.0.0.1:8765"}) == {
        "greenapi": "http://127.0.0.1:8765"
    }
    with pytest.raises(InputError, match="https"):
        profiles.set_addresses("acme", {"provider": "http://provider.example/v2"})
    with pytest.raises(InputError, match="Unknown service"):
        profiles.set_addresses("acme", {"mail": "https://mail.example"})
    assert profiles.set_addresses("acme", {"x2chat": None}) == {}
    assert profiles.profile_addresses("default") == {"greenapi": "http://127.0.0.1:8765"}
    profiles.set_session_profile("acme")
    assert load_settings().api_bases == {}
