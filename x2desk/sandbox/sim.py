"""The simulator's state: bots, integration tokens, messages, provider keys, login sessions,
connections, Green-API instances and the QR payloads handed out. One lock guards it all.

``SandboxServer.sim`` is an instance of :class:`Simulator`; tests may read it (for example a bot's
current token: ``sim.bots[bot_id].token``) or poke it under ``sim.lock``.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from x2desk.core.clock import Clock
from x2desk.sandbox.faults import FaultBook
from x2desk.sandbox.limits import Limits
from x2desk.sandbox.ratelimit import SlidingWindow

_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def new_bot_token(user_id: int) -> str:
    """``<digits>:<35 of [A-Za-z0-9_-]>``, like the seed's ``52829374815:Ju1X...a88``."""
    return f"{user_id}:" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(35))


def new_qr_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(24)).decode("ascii").rstrip("=")


@dataclass
class Bot:
    bot_id: str  # a UUID, as in the seed's redeem answer
    user_id: int  # the numeric id: getMe's ``id`` and the token's prefix
    username: str
    first_name: str
    token: str
    chat_ids: list[int]
    owner: str = "owner"
    webhook_url: str = ""
    updates: list[dict[str, Any]] = field(default_factory=list)
    rotations: int = 0
    past_tokens: list[str] = field(default_factory=list)  # rotated away (for the leak checks)


@dataclass
class IntegrationToken:
    token: str
    bot_id: str
    chat_id: int
    issued_at: float
    expires_at: float
    redeemed_at: float | None = None
    revoked: bool = False


@dataclass
class Company:
    id: int
    name: str


@dataclass
class ProviderKey:
    api_key: str
    scope: bool = True
    unpaid_types: list[str] = field(default_factory=list)  # creating one: 402
    inactive_types: list[str] = field(default_factory=list)  # created, but 'waiting'
    company_ids: list[int] = field(default_factory=list)  # the companies this key sees


@dataclass
class LoginSession:
    session_id: str
    kind: str  # "telegram" | "max_personal"
    auth_type: str  # "qr" | "code"
    status: str
    created_at: float
    phone: str | None = None
    connection_id: int | None = None
    code: str | None = None
    password: str | None = None  # the account's 2FA password, once the phone revealed it
    qr_started_at: float = 0.0
    used_by_connection: int | None = None
    company_id: int = 0


@dataclass
class Connection:
    id: int
    type: str
    name: str
    status: str
    params: dict[str, Any]
    created_at: float
    qr_started_at: float = 0.0  # WhatsApp: when the current QR cycle began
    scanned_at: float | None = None  # WhatsApp: when the phone scanned
    company_id: int = 0

    def public(self) -> dict[str, Any]:
        from x2desk.sandbox.connections import public_params

        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "status": self.status,
            "params": public_params(self.type, self.params),
        }


@dataclass
class Instance:
    id_instance: int
    api_token: str
    state: str = "notAuthorized"
    password: str | None = None
    qr_started_at: float = 0.0
    starting_until: float | None = None
    qr_errors: list[str] = field(default_factory=list)  # injected ``{type: error}`` answers
    already_type: str = "alreadyLogged"
    state_body: str | None = None  # "empty" or "null": getStateInstance while being created
    code: str | None = None  # the phone-login code startAuthorization "sent" to the app
    code_at: float | None = None
    code_phone: int | None = None
    account_phone: str | None = None  # the Telegram account's number, once paired
    auth_fail: list[str] = field(default_factory=list)  # reasons the next auth calls fail with


@dataclass
class QrCode:
    """A QR payload the sandbox handed out: whose it is and in which rotation period."""

    payload: str
    kind: str  # "telegram" | "whatsapp" | "greenapi"
    owner: str  # session id, connection id or instance id (as text)
    epoch: int
    expires_at: float


class Simulator:
    """Everything the sandbox knows. Hold :attr:`lock` while reading or changing it."""

    def __init__(self, clock: Clock, limits: Limits) -> None:
        self.clock = clock
        self.limits = limits
        self.lock = threading.RLock()
        self.faults = FaultBook()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.bots: dict[str, Bot] = {}
            self.tokens: dict[str, IntegrationToken] = {}
            self.messages: list[dict[str, Any]] = []
            self.keys: dict[str, ProviderKey] = {}
            self.companies: dict[int, Company] = {}
            self.sessions: dict[str, LoginSession] = {}
            self.connections: dict[int, Connection] = {}
            self.instances: dict[int, Instance] = {}
            self.qr_codes: dict[str, QrCode] = {}
            self._qr_by_epoch: dict[tuple[str, str, int], str] = {}
            self.requests: list[dict[str, Any]] = []
            self.redeem_limiter = SlidingWindow(self.limits.redeem_per_hour, 3600.0)
            self.issue_limiter = SlidingWindow(self.limits.issue_per_hour, 3600.0)
            self.greenapi_limiter = SlidingWindow(self.limits.greenapi_per_second, 1.0)
            self._user_ids = itertools.count(5282937401)
            self._chat_ids = itertools.count(92)
            self._message_ids = itertools.count(1)
            self._connection_ids = itertools.count(1)
            self._company_ids = itertools.count(1)
            self._shared_company: Company | None = None
            self._instance_ids = itertools.count(1101000001)
            self.faults.clear()

    def now(self) -> float:
        return self.clock.time()

    def next_user_id(self) -> int:
        return next(self._user_ids)

    def next_chat_id(self) -> int:
        return next(self._chat_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def next_connection_id(self) -> int:
        return next(self._connection_ids)

    def next_instance_id(self) -> int:
        return next(self._instance_ids)

    def shared_company(self) -> Company:
        """The company every key sees unless asked otherwise (made on first use)."""
        if self._shared_company is None:
            self._shared_company = self.new_company("Sandbox company")
        return self._shared_company

    def new_company(self, name: str) -> Company:
        company = Company(next(self._company_ids), name)
        self.companies[company.id] = company
        return company

    # ---- rotating QR codes ---------------------------------------------------------------------

    def current_qr(
        self, kind: str, owner: str, started_at: float, period_s: float, make: Callable[[], str]
    ) -> QrCode:
        """The QR payload of ``owner`` for the current rotation period (made on first use)."""
        now = self.now()
        epoch = max(0, int((now - started_at) // period_s))
        key = (kind, owner, epoch)
        payload = self._qr_by_epoch.get(key)
        if payload is None:
            payload = make()
            self._qr_by_epoch[key] = payload
            self.qr_codes[payload] = QrCode(
                payload, kind, owner, epoch, started_at + (epoch + 1) * period_s
            )
        return self.qr_codes[payload]

    def is_current(self, code: QrCode, started_at: float, period_s: float) -> bool:
        """Whether ``code`` is still the one on screen (same period, same QR cycle)."""
        epoch = int((self.now() - started_at) // period_s)
        return self._qr_by_epoch.get((code.kind, code.owner, epoch)) == code.payload

    def forget_qrs(self, kind: str, owner: str) -> None:
        """Retire every QR of ``owner`` (after a scan, a logout or a new cycle)."""
        for key in [k for k in self._qr_by_epoch if k[0] == kind and k[1] == owner]:
            del self._qr_by_epoch[key]

    # ---- the whole state, secrets included (GET /_sandbox/state) -------------------------------

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "now": self.now(),
                "limits": asdict(self.limits),
                "bots": {k: asdict(v) for k, v in self.bots.items()},
                "tokens": {k: asdict(v) for k, v in self.tokens.items()},
                "messages": list(self.messages),
                "provider_keys": {k: asdict(v) for k, v in self.keys.items()},
                "companies": {str(k): asdict(v) for k, v in self.companies.items()},
                "sessions": {k: asdict(v) for k, v in self.sessions.items()},
                "connections": {str(k): asdict(v) for k, v in self.connections.items()},
                "instances": {str(k): asdict(v) for k, v in self.instances.items()},
                "qr_codes": {k: asdict(v) for k, v in self.qr_codes.items()},
                "faults": self.faults.pending(),
            }
