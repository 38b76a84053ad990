"""Re-pairing a Green-API instance and re-authorising an account when the saved secret is in the
encrypted file store and it is locked: the passphrase dialog is offered, a wrong passphrase is
said so and asked again, the store opens in a worker, and the flow goes on (sandbox, loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import AccountsDriver
from helpers import GreenApiDriver as GreenDriver
from helpers import make_accounts_wizard as make_accounts
from helpers import make_greenapi_wizard as make_greenapi
from PySide6.QtCore import Qt

from x2desk.core.clock import FakeClock
from x2desk.core.secret import Secret
from x2desk.core.session.poller import ManualScheduler
from x2desk.sandbox.phone import SandboxPhone
from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.context import AppContext
from x2desk.ui.greenapi.wizard import GreenApiWizard

PASSPHRASE = "correct horse battery"


def lock_into_file(ref: str, value: str) -> None:
    """Choose the encrypted file store, keep ``value`` there; a new open needs the passphrase."""
    from x2desk.core.store.credentials import use_encrypted_file

    use_encrypted_file(Secret(PASSPHRASE)).save(ref, Secret(value))


def answer_dialog(qtbot: Any, wiz: Any, passphrase: str) -> None:
    qtbot.waitUntil(lambda: wiz.unlock_dialog is not None and wiz.unlock_dialog.isVisible())
    dlg = wiz.unlock_dialog
    wiz.unlock_dialog = None
    assert dlg.first.echoMode() == dlg.first.EchoMode.Password
    qtbot.keyClicks(dlg.first, passphrase)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def green(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[GreenApiWizard]:
    w = make_greenapi(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    yield w
    w.shutdown()


def test_greenapi_repair_unlocks_the_encrypted_file(
    qtbot: Any, green: GreenApiWizard, phone: SandboxPhone, manual: ManualScheduler
) -> None:
    from x2desk.core.store.records import RecordStore

    info = phone.greenapi_instance()
    ref = f"greenapi:{info['idInstance']}"
    lock_into_file(ref, info["apiTokenInstance"])
    with RecordStore.open() as records:
        record = records.upsert(
            "greenapi",
            str(info["idInstance"]),
            secret_ref=ref,
            api_base=green.ctx.greenapi_url,
        )
    d = GreenDriver(qtbot, green, manual)
    green.start_repair(record.id)
    qtbot.waitUntil(lambda: green.result.outcome == "locked")
    assert "passphrase" in green.result.banner.text()
    answer_dialog(qtbot, green, "not the passphrase")
    # wrong: said so on the page and in the dialog, which asks again
    qtbot.waitUntil(lambda: green.unlock_dialog is not None and green.unlock_dialog.isVisible())
    assert green.unlock_dialog is not None
    assert "does not open" in green.unlock_dialog.hint.text()
    assert green.result.unlock_button.isVisible()
    answer_dialog(qtbot, green, PASSPHRASE)
    d.wait_page("greenapi_qr")
    assert "Re-pairing instance" in green.qr.instance_label.text()
    phone.scan(d.qr_payload())
    d.until(lambda: green.result.outcome == "paired", "re-paired", step_s=5)
    assert info["apiTokenInstance"] not in green.result.details.text()


def test_greenapi_repair_cancelled_unlock_can_be_reopened(
    qtbot: Any, green: GreenApiWizard, phone: SandboxPhone
) -> None:
    from x2desk.core.store.records import RecordStore

    info = phone.greenapi_instance()
    ref = f"greenapi:{info['idInstance']}"
    lock_into_file(ref, info["apiTokenInstance"])
    with RecordStore.open() as records:
        record = records.upsert("greenapi", str(info["idInstance"]), secret_ref=ref)
    green.start_repair(record.id)
    qtbot.waitUntil(lambda: green.unlock_dialog is not None and green.unlock_dialog.isVisible())
    assert green.unlock_dialog is not None
    green.unlock_dialog.reject()
    green.unlock_dialog = None
    assert green.result.outcome == "locked" and green.result.unlock_button.isVisible()
    qtbot.mouseClick(green.result.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: green.unlock_dialog is not None and green.unlock_dialog.isVisible())
    assert green.unlock_dialog is not None
    green.unlock_dialog.reject()


@pytest.fixture
def accounts(
    qtbot: Any, sandbox: Any, fake_clock: FakeClock, manual: ManualScheduler
) -> Iterator[AccountsWizard]:
    w = make_accounts(qtbot, AppContext.for_sandbox(sandbox.url), fake_clock, manual)
    yield w
    w.shutdown()


def test_accounts_reauth_unlocks_the_saved_provider_key(
    qtbot: Any,
    accounts: AccountsWizard,
    phone: SandboxPhone,
    sandbox: Any,
    manual: ManualScheduler,
) -> None:
    from x2desk.core.accounts.client import provider_key_ref
    from x2desk.core.session.machine import State

    key = phone.provider_key()
    lock_into_file(provider_key_ref(f"{sandbox.url}/v2"), key)
    d = AccountsDriver(qtbot, accounts, manual)
    accounts.start_reauth("telegram", 7)
    d.wait_page("account_provider")
    answer_dialog(qtbot, accounts, "wrong one")
    qtbot.waitUntil(lambda: accounts.unlock_dialog is not None)
    assert "does not open" in accounts.provider.banner.text()
    answer_dialog(qtbot, accounts, PASSPHRASE)
    qtbot.waitUntil(lambda: accounts.provider.key_edit.text() == key)
    assert not accounts.unlock_button.isVisible()
    assert "Re-authorising connection 7" in accounts.provider.banner.text()
    assert key not in accounts.provider.banner.text()
    d.next()  # the provider accepts the unlocked key: the re-authorisation goes on
    d.wait_for(
        lambda: d.page != "account_provider" and d.state() is not None, "left the provider page"
    )
    assert d.state() is not None and d.state() is not State.WAITING_FOR_CODE
