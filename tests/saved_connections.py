"""Saved connections of every kind, made against the sandbox over HTTP the way the flows make
them (redeem, create, pair), for the home's tests (checks, forget, export, CLI)."""

from __future__ import annotations

from typing import Any

from x2desk.core.accounts.client import ConnectionsClient
from x2desk.core.accounts.companies import save_provider_key
from x2desk.core.saving import Outcome, record_connection
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import CredentialStore, secret_ref
from x2desk.core.store.records import Record, RecordStore
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.sandbox.phone import SandboxPhone

BOT_TOKEN_FOR_PROVIDER = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789"


def saved_bot(
    phone: SandboxPhone, url: str, store: CredentialStore, records: RecordStore, **issue: Any
) -> tuple[Record, dict[str, Any]]:
    """An X2Chat bot redeemed and saved; (its record, what the sandbox issued)."""
    issued = phone.issue_token(**issue)
    with X2ChatClient(f"{url}/api/v1") as client:
        redeemed = client.redeem(issued["token"])
    ref = secret_ref("x2chat_bot", redeemed.bot_id)
    store.save(ref, redeemed.bot_token)
    record = record_connection(
        "x2chat_bot",
        redeemed.bot_id,
        flow="x2chat_redeem",
        outcome=Outcome.CONNECTED,
        records=records,
        name=redeemed.bot_username,
        username=redeemed.bot_username,
        chat_id=redeemed.chat_id,
        api_base=redeemed.api_base,
        secret_ref=ref,
    )
    return record, issued


def provider_key(phone: SandboxPhone, url: str, store: CredentialStore, **account: Any) -> Secret:
    """A provider key from the sandbox's dashboard, saved for its one company."""
    made = phone.provider_account(**account)
    key = Secret(made["api_key"])
    save_provider_key(store, f"{url}/v2", made["companies"][0]["id"], key)
    return key


def saved_provider_connection(
    url: str, key: Secret, records: RecordStore, name: str = "Shop bot"
) -> Record:
    """A Telegram bot connection made at the provider and recorded (no secret of its own)."""
    base = f"{url}/v2"
    with ConnectionsClient(base, key) as client:
        conn = client.create_connection(
            name, "telegram_bot", {"token": Secret(BOT_TOKEN_FOR_PROVIDER)}
        )
        company = client.company
    return record_connection(
        conn.type,
        conn.id,
        flow="telegram_bot",
        outcome=Outcome.CONNECTED,
        records=records,
        name=conn.name,
        api_base=base,
        details={
            "status": conn.status,
            "provider_connection_id": conn.id,
            "company_id": conn.company_id,
            "company": company.name if company else None,
        },
    )


def saved_instance(
    phone: SandboxPhone,
    url: str,
    store: CredentialStore,
    records: RecordStore,
    state: str = "authorized",
) -> tuple[Record, dict[str, Any]]:
    """A Green-API instance in ``state``, saved as a pairing saves one."""
    made = phone.greenapi_instance()
    phone.greenapi_control(made["idInstance"], state=state)
    id_instance = str(made["idInstance"])
    ref = secret_ref("greenapi", id_instance)
    store.save(ref, Secret(made["apiTokenInstance"]))
    record = record_connection(
        "greenapi",
        id_instance,
        flow="greenapi_qr",
        outcome=Outcome.CONNECTED,
        records=records,
        name=f"Green-API {id_instance}",
        api_base=url,
        secret_ref=ref,
        details={"stateInstance": "authorized"},
    )
    return record, made
