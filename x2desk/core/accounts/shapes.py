"""The connections provider's answers as Python values (API.md section 3): companies, login
sessions, connections, WhatsApp status. Every reader checks the shape and raises
:class:`~x2desk.core.errors.BadAnswer` (with what was missing) rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from x2desk.core.accounts.endpoints import WHATSAPP_QR_LIFETIME_S
from x2desk.core.errors import BadAnswer
from x2desk.core.redact import scrub
from x2desk.core.secret import Secret
from x2desk.i18n import N_, _

SESSION_STATUSES = frozenset(
    {"waiting_for_qr", "waiting_for_code", "waiting_for_password", "authenticated"}
)
CONNECTION_TYPES = frozenset(
    {"telegram", "max_personal", "telegram_bot", "odnoklassniki", "whatsapp"}
)
WHATSAPP_STATUSES = frozenset({"qr", "loading", "authorized"})
SECRET_PARAMS = frozenset({"token", "api_key"})  # connection params that are secrets

ACTIVE = "active"
# Why a connection is not ``active``, and what to do: (reason key, text). A connection works only
# inside a paid subscription, so ``waiting`` right after creating one means "outside it".
INACTIVE: dict[str, tuple[str, str]] = {
    "waiting": (
        "subscription",
        N_(
            "The provider made the connection, but it is not active (status 'waiting'): a "
            "connection works only inside a paid subscription. Check in the provider's dashboard "
            "that the subscription covers {type} connections; until then it does not work."
        ),
    ),
    "unauthorized": (
        "unauthorized",
        N_(
            "The connection is not authorised (status 'unauthorized'): log the account in "
            "again (re-authorise it) to make it work."
        ),
    ),
}
# The provider's status of a connection, as a person says it (another status: as it came).
STATUS_WORDS = {
    "active": N_("working"),
    "waiting": N_("waiting for the subscription"),
    "unauthorized": N_("needs logging in again"),
}


def status_word(status: str) -> str:
    """The provider's ``status`` of a connection in the language of now."""
    word = STATUS_WORDS.get(status)
    return _(word) if word else status


INACTIVE_OTHER = N_(
    "The provider reports this connection as '{status}', not active: it may not work yet. "
    "Check it in the provider's dashboard."
)


# Non-secret params that tell which account a connection is (shown once it is made). The seed does
# not list a connection's params: these are the names x2desk looks for, in this order.
ACCOUNT_PARAMS: dict[str, str] = {
    "phone": N_("Phone: {v}"),
    "username": N_("Username: @{v}"),
    "account_name": N_("Account: {v}"),
    "first_name": N_("Account: {v}"),
    "title": N_("Account: {v}"),
}


@dataclass(frozen=True)
class Company:
    """A company the API key can see; every other provider call is made under one of them."""

    id: int | str
    name: str

    @property
    def label(self) -> str:
        """For a chooser: the name and the id (names need not be unique)."""
        return f"{self.name} (#{self.id})"


@dataclass(frozen=True)
class QrLogin:
    url: str  # tg://login?token=... : render as a QR
    expires_at: float | None  # wall-clock epoch seconds, when known


@dataclass(frozen=True)
class Session:
    session_id: str
    status: str
    qr_login: QrLogin | None = None
    connection_id: int | str | None = None
    password_hint: str | None = None


@dataclass(frozen=True)
class Connection:
    id: int | str
    type: str
    name: str
    status: str  # active | waiting | unauthorized
    params: Mapping[str, Any] = field(default_factory=dict)  # secret params are Secret
    company_id: int | str | None = None  # the company it was read or made under

    @property
    def qr_url(self) -> str | None:
        value = self.params.get("qr_url")
        return value if isinstance(value, str) else None

    @property
    def active(self) -> bool:
        """Whether it works: only an ``active`` connection does (say so when it is not)."""
        return self.status == ACTIVE

    @property
    def inactive_reason(self) -> str | None:
        """Why it is not active (``subscription``, ``unauthorized``, ``unknown``); None if it is."""
        if self.active:
            return None
        return INACTIVE.get(self.status, ("unknown", ""))[0]

    def account_lines(self) -> list[str]:
        """What the provider says about the account (its phone, @username, name), translated
        and escaped; one line each, the same value once."""
        lines: list[str] = []
        seen: set[str] = set()
        for key, text in ACCOUNT_PARAMS.items():
            value = self.params.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
                shown = scrub(str(value)).strip().lstrip("@")[:80]
                if shown not in seen:
                    seen.add(shown)
                    lines.append(_(text).format(v=shown))
        return lines

    @property
    def status_note(self) -> str | None:
        """One translated sentence for a connection that is not active (None when it is)."""
        if self.active:
            return None
        known = INACTIVE.get(self.status)
        if known is not None:
            return _(known[1]).format(type=self.type)
        return _(INACTIVE_OTHER).format(status=scrub(self.status)[:40] or "?")


@dataclass(frozen=True)
class WhatsAppStatus:
    status: str  # qr | loading | authorized
    qr: str | None = None
    expires_at: float | None = None


def parse_expires(value: Any, now: float) -> float | None:
    """An expiry as epoch seconds: epoch numbers, seconds-from-now (small numbers) or ISO 8601."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 1e9 else now + float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_expires(float(text), now)
        except ValueError:
            pass
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return stamp.timestamp()
    return None


def need(data: Any, key: str, kinds: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get(key), kinds):
        raise BadAnswer(
            _("The provider's answer to {what} lacks '{key}'. Try again later.").format(
                what=_(what), key=key
            )
        )
    return data[key]


def parse_company(data: Any) -> Company:
    company_id = need(data, "id", (int, str), N_("the companies list"))
    if isinstance(company_id, bool) or str(company_id) == "":
        raise BadAnswer(_("The provider listed a company without an id. Try again later."))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        name = _("Company {id}").format(id=company_id)
    return Company(id=company_id, name=name.strip())


def parse_session(data: Any, now: float, what: str = N_("the login request")) -> Session:
    session_id = need(data, "session_id", (str, int), what)
    status = need(data, "status", str, what)
    if status not in SESSION_STATUSES:
        raise BadAnswer(
            _("The provider reported an unknown login status '{status}'.").format(
                status=scrub(status)[:40]
            )
        )
    qr = data.get("qr_login")
    qr_login = None
    if isinstance(qr, dict) and isinstance(qr.get("url"), str) and qr["url"]:
        qr_login = QrLogin(url=qr["url"], expires_at=parse_expires(qr.get("expires"), now))
    elif status == "waiting_for_qr":
        raise BadAnswer(_("The provider is waiting for a QR scan but sent no QR. Try again later."))
    connection_id = data.get("connection_id")
    hint = data.get("password_hint", data.get("hint"))
    return Session(
        session_id=str(session_id),
        status=status,
        qr_login=qr_login,
        connection_id=connection_id if isinstance(connection_id, int | str) else None,
        password_hint=hint if isinstance(hint, str) and hint else None,
    )


def parse_connection(
    data: Any, what: str = N_("the connection request"), company_id: int | str | None = None
) -> Connection:
    conn_id = need(data, "id", (int, str), what)
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    safe = {
        k: Secret(v) if k in SECRET_PARAMS and isinstance(v, str) else v for k, v in params.items()
    }
    return Connection(
        id=conn_id,
        type=str(data.get("type", "")),
        name=str(data.get("name", "")),
        status=str(data.get("status", "")),
        params=safe,
        company_id=company_id,
    )


def parse_whatsapp_status(data: Any, now: float) -> WhatsAppStatus:
    status = need(data, "status", str, N_("the WhatsApp status request"))
    if status not in WHATSAPP_STATUSES:
        raise BadAnswer(
            _("The provider reported an unknown WhatsApp status '{status}'.").format(
                status=scrub(status)[:40]
            )
        )
    qr = data.get("qr") if isinstance(data.get("qr"), str) and data.get("qr") else None
    if status == "qr" and qr is None:
        raise BadAnswer(_("The provider says WhatsApp waits for a scan but sent no QR. Try again."))
    expires = parse_expires(data.get("expires"), now)
    if status == "qr" and expires is None:
        expires = now + WHATSAPP_QR_LIFETIME_S
    return WhatsAppStatus(status=status, qr=qr, expires_at=expires)
