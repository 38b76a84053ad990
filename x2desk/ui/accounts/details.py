"""Which page asks for a flow's details (the connection's name, the phone number, the bot token,
the group's key), and the login driver made from what those pages hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.kinds import FLOWS, Entry

if TYPE_CHECKING:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.accounts.drivers import ProviderDriver
    from x2desk.ui.accounts.wizard import AccountsWizard

# The page that asks for what each kind of entry needs.
DETAILS_PAGE = {
    Entry.QR: "account_name",  # the connection's name (none when re-authorising)
    Entry.PHONE: "account_phone",
    Entry.BOT_TOKEN: "account_bot",
    Entry.GROUP_KEY: "account_group",
}
LOGIN_PAGES = frozenset({"account_qr", "account_code", "account_password"})


def details_page(flow: str | None, reauth: bool = False) -> str | None:
    """The page of ``flow``'s details (name, phone, token, key), or None when it needs none (a
    QR login that re-authorises a connection makes none, so it needs no name)."""
    entry = FLOWS[flow].entry if flow in FLOWS else None
    if entry is None or (reauth and entry is Entry.QR):
        return None
    return DETAILS_PAGE.get(entry)


def is_qr_flow(flow: str | None) -> bool:
    return flow in FLOWS and FLOWS[flow].entry is Entry.QR


def driver_from_pages(wiz: AccountsWizard, kind: str, client: ConnectionsClient) -> ProviderDriver:
    """The driver of ``kind`` with what the accounts wizard's pages hold (InputError: nothing
    was sent)."""
    from x2desk.core.accounts.drivers import make_driver

    entry = FLOWS[kind].entry if kind in FLOWS else None
    if entry is Entry.PHONE:
        return make_driver(
            kind,
            client,
            phone=wiz.phone.phone(),
            name=wiz.phone.name_edit.text().strip(),
            connection_id=wiz.reauth_id,
        )
    if entry is Entry.BOT_TOKEN:
        name = wiz.bot.name_edit.text().strip()
        return make_driver(kind, client, secret=wiz.bot.token(), name=name)
    if entry is Entry.GROUP_KEY:
        name, target = wiz.group.name_edit.text().strip(), wiz.group.target()
        return make_driver(kind, client, secret=wiz.group.key(), name=name, connection_id=target)
    name = wiz.name_page.value() if wiz.reauth_id is None else ""
    return make_driver(kind, client, name=name, connection_id=wiz.reauth_id)
