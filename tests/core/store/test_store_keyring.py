"""The real Secret Service (gnome-keyring in a private D-Bus session, set up by ./run test)."""

from __future__ import annotations

import uuid

import keyring
import pytest

from x2desk.core.secret import Secret
from x2desk.core.store import SERVICE, KeyringStore, keyring_status, open_credential_store

pytestmark = pytest.mark.secret_service

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"


def test_the_real_backend_is_chosen() -> None:
    store = open_credential_store()
    assert isinstance(store, KeyringStore)
    assert "Secret Service" in store.description or "libsecret" in store.description
    ok, description = keyring_status()
    assert ok, description


def test_round_trip_rotation_and_delete() -> None:
    store = open_credential_store()
    ref = f"x2chat_bot:test-{uuid.uuid4().hex[:8]}"
    try:
        assert store.load(ref) is None
        store.save(ref, Secret(TOKEN))
        assert store.load(ref) == Secret(TOKEN)
        assert keyring.get_password(SERVICE, ref) == TOKEN
        store.save(ref, Secret(TOKEN + "Z"))
        assert store.load(ref) == Secret(TOKEN + "Z")
    finally:
        store.delete(ref)
    assert store.load(ref) is None
    store.delete(ref)  # already gone: fine


def test_doctor_reports_the_secret_service() -> None:
    from x2desk.commands.doctor import check_credentials

    check = check_credentials()
    assert check.status == "ok", check.detail
    assert "Secret Service" in check.detail or "libsecret" in check.detail
