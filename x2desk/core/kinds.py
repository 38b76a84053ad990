"""The one table of what x2desk can connect: connection kinds (what a saved record is) and the
flows that make them (how a person connects one). Home, the wizards, the CLI and the record store
all read these tables; nothing else lists the kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from x2desk.i18n import N_


class Service(StrEnum):
    """Which remote service a kind belongs to (and so which client and wizard handle it)."""

    X2CHAT = "x2chat"
    ACCOUNTS = "accounts"  # the connections provider
    GREENAPI = "greenapi"


class Fix(StrEnum):
    """What an operator can do when a saved connection stops working."""

    REAUTHORISE = "reauthorise"  # log the account in again, same connection
    REPAIR = "repair"  # pair the Green-API instance again by a new QR
    CHANGE_KEY = "change_key"  # give the provider a new API key (Odnoklassniki)


class Entry(StrEnum):
    """What a flow asks the person for before it can start."""

    TOKEN = "token"  # the X2Chat integration QR or token
    QR = "qr"  # nothing: the phone scans a QR x2desk shows
    PHONE = "phone"  # a phone number, then a login code
    BOT_TOKEN = "bot_token"
    GROUP_KEY = "group_key"
    INSTANCE = "instance"  # a Green-API idInstance + apiTokenInstance


@dataclass(frozen=True)
class Kind:
    id: str  # the record's kind, and the provider's connection type where there is one
    service: Service
    name: str  # N_: translate with _() when shown
    fix: Fix | None = None


@dataclass(frozen=True)
class Flow:
    id: str
    kind: str  # a Kind id
    title: str  # N_
    detail: str  # N_
    cli: str  # the `x2desk connect` word (with --code for the phone flows of a QR kind)
    entry: Entry


KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind("x2chat_bot", Service.X2CHAT, N_("X2Chat bot")),
        Kind("telegram", Service.ACCOUNTS, N_("Telegram account"), Fix.REAUTHORISE),
        Kind("max_personal", Service.ACCOUNTS, N_("MAX account"), Fix.REAUTHORISE),
        Kind("whatsapp", Service.ACCOUNTS, N_("WhatsApp account")),
        Kind("telegram_bot", Service.ACCOUNTS, N_("Telegram bot")),
        Kind("odnoklassniki", Service.ACCOUNTS, N_("Odnoklassniki group"), Fix.CHANGE_KEY),
        Kind("greenapi", Service.GREENAPI, N_("Green-API instance"), Fix.REPAIR),
    )
}

FLOWS: dict[str, Flow] = {
    f.id: f
    for f in (
        Flow(
            "x2chat_bot",
            "x2chat_bot",
            N_("X2Chat bot"),
            N_("Show the integration QR from the X2Chat app to the camera, or paste its token."),
            "redeem",
            Entry.TOKEN,
        ),
        Flow(
            "telegram_qr",
            "telegram",
            N_("Telegram account, by QR"),
            N_("Scan a QR with Telegram on the phone (Settings > Devices)."),
            "telegram",
            Entry.QR,
        ),
        Flow(
            "telegram_code",
            "telegram",
            N_("Telegram account, by login code"),
            N_("Type the phone number, then the code Telegram sends."),
            "telegram",
            Entry.PHONE,
        ),
        Flow(
            "max_code",
            "max_personal",
            N_("MAX account"),
            N_("Type the phone number, then the code MAX sends."),
            "max",
            Entry.PHONE,
        ),
        Flow(
            "whatsapp",
            "whatsapp",
            N_("WhatsApp account"),
            N_("Scan a QR with WhatsApp on the phone (Linked devices)."),
            "whatsapp",
            Entry.QR,
        ),
        Flow(
            "telegram_bot",
            "telegram_bot",
            N_("Telegram bot"),
            N_("Paste the bot's token from @BotFather."),
            "telegram-bot",
            Entry.BOT_TOKEN,
        ),
        Flow(
            "odnoklassniki",
            "odnoklassniki",
            N_("Odnoklassniki group"),
            N_("Paste the group's API key, or change the key of a connected group."),
            "odnoklassniki",
            Entry.GROUP_KEY,
        ),
        Flow(
            "greenapi_qr",
            "greenapi",
            N_("Green-API instance"),
            N_("Pair an instance by the QR it shows, scanned with Telegram on the phone."),
            "green-api",
            Entry.INSTANCE,
        ),
        Flow(
            "greenapi_code",
            "greenapi",
            N_("Green-API instance, by login code"),
            N_(
                "Pair an instance by a code Telegram sends to its app, for a phone that cannot "
                "scan."
            ),
            "green-api",
            Entry.INSTANCE,
        ),
    )
}

# The flow that re-authorises a saved connection of each kind that can be.
REAUTH_FLOW = {"telegram": "telegram_qr", "max_personal": "max_code"}


def kind(kind_id: str) -> Kind:
    """The kind ``kind_id`` (``x2chat`` is an old name of ``x2chat_bot``); KeyError if unknown."""
    return KINDS["x2chat_bot" if kind_id == "x2chat" else kind_id]


def flows_of(service: Service) -> list[Flow]:
    """The flows of one service, in the table's order (the order choosers show them in)."""
    return [f for f in FLOWS.values() if KINDS[f.kind].service is service]
