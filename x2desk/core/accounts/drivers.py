"""The login-session drivers of the connections provider (API.md section 3): each answers the
:class:`~x2desk.core.session.machine.LoginSession`'s calls with a
:class:`~x2desk.core.session.machine.Step`. Telegram (QR or login code) and MAX accounts log in,
then make a connection (or, re-authorising, keep theirs); WhatsApp makes its connection first and
polls its status; a Telegram bot and an Odnoklassniki group connect by a token or key at once.

:func:`make_driver` builds the driver of a flow of :data:`x2desk.core.kinds.FLOWS` from what the
person gave, for the GUI and the CLI alike; each driver says which :class:`Outcome` its
connection is recorded with.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING

from x2desk.core.accounts.client import (
    Connection,
    ConnectionsClient,
    Session,
    WhatsAppStatus,
    check_api_key,
    check_bot_token,
    normalise_phone,
)
from x2desk.core.accounts.creating import create_recorded, unfinished_connection
from x2desk.core.accounts.endpoints import SESSION_LIFETIME_S, WHATSAPP_LINK_LIFETIME_S
from x2desk.core.errors import InputError, SessionExpired, X2DeskError
from x2desk.core.kinds import FLOWS, KINDS, Entry
from x2desk.core.saving import Outcome, record_connection
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession, State, Step
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.store.records import Record


class ProviderDriver:
    """Shared parts of the provider's flows. ``recorded``: the record written the moment the
    create answered (:func:`~x2desk.core.accounts.creating.create_recorded`); ``resumed``: the
    unfinished connection of an earlier run this one continues with."""

    flow = "provider"
    session_lifetime_s: float | None = None

    def __init__(self, client: ConnectionsClient, name: str = "") -> None:
        self.client = client
        self.name = name
        self.recorded: Record | None = None
        self.resumed: Record | None = None

    def _create(
        self,
        name: str,
        connection_type: str,
        params: dict[str, str | Secret] | None = None,
        outcome: Outcome | None = None,
    ) -> Connection:
        """Create the connection, journalled and recorded the moment it answers."""
        connection, self.recorded = create_recorded(
            self.client, self.flow, name, connection_type, params, outcome=outcome or self.outcome
        )
        return connection

    @property
    def outcome(self) -> Outcome:
        """How the connection this driver makes is recorded."""
        return Outcome.CONNECTED

    def begin(self) -> Step:
        raise NotImplementedError

    def poll(self) -> Step:
        raise NotImplementedError

    def submit_code(self, code: Secret) -> Step:
        raise InputError(_("This kind of connection does not use a login code."))

    def submit_password(self, password: Secret) -> Step:
        raise InputError(_("This kind of connection does not use a password."))

    def finish(self) -> Step:
        raise NotImplementedError


def default_name(connection_type: str) -> str:
    """The name a new connection gets when the person gives none: its kind's (untranslated: the
    provider keeps it)."""
    kind = KINDS.get(connection_type)
    return kind.name if kind is not None else connection_type


_SESSION_STATES = {
    "waiting_for_qr": State.WAITING_FOR_QR,
    "waiting_for_code": State.WAITING_FOR_CODE,
    "waiting_for_password": State.WAITING_FOR_PASSWORD,
    "authenticated": State.AUTHENTICATED,
}


class _AccountDriver(ProviderDriver):
    """Telegram and MAX accounts: a login session, then a connection (unless re-authorising)."""

    connection_type = ""
    session_lifetime_s: float | None = SESSION_LIFETIME_S

    def __init__(
        self, client: ConnectionsClient, name: str = "", connection_id: int | str | None = None
    ) -> None:
        super().__init__(client, name)
        self.connection_id = connection_id
        self.session: Session | None = None

    @property
    def outcome(self) -> Outcome:
        return Outcome.CONNECTED if self.connection_id is None else Outcome.REAUTHORISED

    def _step(self, session: Session) -> Step:
        self.session = session
        qr = session.qr_login
        return Step(
            state=_SESSION_STATES[session.status],
            qr=qr.url if qr and session.status == "waiting_for_qr" else None,
            qr_expires_at=qr.expires_at if qr and session.status == "waiting_for_qr" else None,
            password_hint=session.password_hint,
        )

    @property
    def session_id(self) -> str:
        if self.session is None:
            raise SessionExpired(_("There is no login session yet. Start again."))
        return self.session.session_id

    def finish(self) -> Step:
        if self.connection_id is not None:  # re-authorisation: no new connection
            try:
                connection: Connection | None = self.client.get_connection(self.connection_id)
            except X2DeskError:
                connection = None
            return Step(State.CONNECTED, note=_("Re-authorised the connection."), result=connection)
        name = self.name or default_name(self.connection_type)
        connection = self._create(name, self.connection_type, {"session_id": self.session_id})
        return Step(State.CONNECTED, result=connection)


class TelegramQrDriver(_AccountDriver):
    flow = "telegram_qr"
    connection_type = "telegram"
    begin_repeatable = True  # a second init only opens another session (they end by themselves)

    def begin(self) -> Step:
        return self._step(self.client.telegram_init("qr", connection_id=self.connection_id))

    def poll(self) -> Step:
        return self._step(self.client.telegram_login(self.session_id))

    def submit_password(self, password: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, password=password))


class _PhoneDriver(_AccountDriver):
    """An account login that starts from a phone number (checked before anything is sent)."""

    def __init__(
        self,
        client: ConnectionsClient,
        phone: str,
        name: str = "",
        connection_id: int | str | None = None,
    ) -> None:
        super().__init__(client, name, connection_id)
        self.phone = normalise_phone(phone)  # InputError before anything is sent


class TelegramCodeDriver(_PhoneDriver):
    flow = "telegram_code"
    connection_type = "telegram"

    def begin(self) -> Step:
        return self._step(
            self.client.telegram_init("code", phone=self.phone, connection_id=self.connection_id)
        )

    def poll(self) -> Step:
        return self._step(self.client.telegram_login(self.session_id))

    def submit_code(self, code: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, code=code))

    def submit_password(self, password: Secret) -> Step:
        return self._step(self.client.telegram_login(self.session_id, password=password))


class MaxCodeDriver(_PhoneDriver):
    flow = "max_code"
    connection_type = "max_personal"
    can_recheck = False  # MAX's login has no poll: a lost answer cannot be checked first

    def begin(self) -> Step:
        return self._step(self.client.max_init(self.phone, connection_id=self.connection_id))

    def poll(self) -> Step:
        raise SessionExpired(_("A MAX login has nothing to poll. Start again."))

    def submit_code(self, code: Secret) -> Step:
        return self._step(self.client.max_login(self.session_id, code))


class WhatsAppDriver(ProviderDriver):
    """Create a ``whatsapp`` connection (or reuse ``connection_id``), then poll its status: a QR
    (refreshed as it expires, about every 30 s) until ``authorized``. The connection is recorded
    (outcome ``created``) as soon as the create answers, so an error or a stop afterwards never
    orphans it; x2desk waits for the scan :data:`WHATSAPP_LINK_LIFETIME_S`."""

    flow = "whatsapp"
    session_lifetime_s: float | None = WHATSAPP_LINK_LIFETIME_S
    expired_text = N_(
        "x2desk stopped waiting for the WhatsApp scan after 10 minutes. The connection stays: "
        "show its QR again when the phone is at hand."
    )

    @property
    def begin_repeatable(self) -> bool:
        """Once the connection exists, starting again only asks for its status."""
        return self.connection_id is not None

    def __init__(
        self, client: ConnectionsClient, name: str = "", connection_id: int | str | None = None
    ) -> None:
        super().__init__(client, name)
        self.connection_id = connection_id
        self.connection: Connection | None = None
        self.created = False  # this run made the connection

    def begin(self) -> Step:
        if self.connection_id is None:
            name = self.name or default_name("whatsapp")
            self.connection = self._create(name, "whatsapp", outcome=Outcome.CREATED)
            self.connection_id = self.connection.id
            self.created = True
        step = self.poll()
        if self.resumed is not None and step.state is State.WAITING_FOR_QR and not step.note:
            note = _(
                "Continuing with WhatsApp connection {id}, made earlier and not linked yet (no "
                "new connection is made)."
            ).format(id=self.resumed.external_id)
            step = replace(step, note=note)
        return step

    def poll(self) -> Step:
        assert self.connection_id is not None
        return self._step(self.client.whatsapp_status(self.connection_id))

    def _step(self, status: WhatsAppStatus) -> Step:
        link = self.connection.qr_url if self.connection else None
        if status.status == "qr":
            return Step(
                State.WAITING_FOR_QR, qr=status.qr, qr_expires_at=status.expires_at, qr_link=link
            )
        if status.status == "loading":
            return Step(State.LOADING, note=_("WhatsApp is loading; wait a moment…"))
        return self.finish()

    def finish(self) -> Step:
        assert self.connection_id is not None
        with contextlib.suppress(X2DeskError):
            self.connection = self.client.get_connection(self.connection_id)
        return Step(State.CONNECTED, result=self.connection)


class TelegramBotDriver(ProviderDriver):
    flow = "telegram_bot"

    def __init__(self, client: ConnectionsClient, token: Secret, name: str = "") -> None:
        super().__init__(client, name)
        self.token = check_bot_token(token)  # InputError before anything is sent

    def begin(self) -> Step:
        name = self.name or default_name("telegram_bot")
        connection = self._create(name, "telegram_bot", {"token": self.token})
        return Step(State.CONNECTED, result=connection)


class OdnoklassnikiDriver(ProviderDriver):
    """Connect an Odnoklassniki group by its API key, or change the key of ``connection_id``."""

    flow = "odnoklassniki"

    def __init__(
        self,
        client: ConnectionsClient,
        api_key: Secret,
        name: str = "",
        connection_id: int | str | None = None,
    ) -> None:
        super().__init__(client, name)
        self.api_key = check_api_key(api_key, N_("group's API key"))
        self.connection_id = connection_id

    def begin(self) -> Step:
        if self.connection_id is not None:
            connection = self.client.update_key(self.connection_id, self.api_key)
            return Step(State.CONNECTED, note=_("The group's key was changed."), result=connection)
        name = self.name or default_name("odnoklassniki")
        connection = self._create(name, "odnoklassniki", {"api_key": self.api_key})
        return Step(State.CONNECTED, result=connection)


DRIVERS: dict[str, type[ProviderDriver]] = {
    d.flow: d
    for d in (
        TelegramQrDriver,
        TelegramCodeDriver,
        MaxCodeDriver,
        WhatsAppDriver,
        TelegramBotDriver,
        OdnoklassnikiDriver,
    )
}


def make_driver(
    flow: str,
    client: ConnectionsClient,
    *,
    name: str = "",
    phone: str = "",
    secret: Secret | None = None,
    connection_id: int | str | None = None,
    resume: bool = True,
) -> ProviderDriver:
    """The driver of ``flow`` (a provider flow of :data:`x2desk.core.kinds.FLOWS`) with what the
    person gave: ``phone`` for a login-code flow, ``secret`` (the bot token or the group's key)
    for the others that need one; ``connection_id``: re-authorise, reconnect or change the key of
    that connection; ``resume``: WhatsApp continues with a connection made here and never linked
    (:func:`whatsapp_driver`). InputError (nothing sent) when something needed is missing or
    malformed."""
    if flow not in DRIVERS:
        raise InputError(_("Unknown kind of connection '{flow}'.").format(flow=flow))
    entry = FLOWS[flow].entry
    if entry is Entry.PHONE:
        phone_driver = TelegramCodeDriver if flow == "telegram_code" else MaxCodeDriver
        return phone_driver(client, phone, name, connection_id=connection_id)
    if entry in (Entry.BOT_TOKEN, Entry.GROUP_KEY):
        if secret is None:
            raise InputError(_("Type the token or key first."))
        if entry is Entry.BOT_TOKEN:
            return TelegramBotDriver(client, secret, name)
        return OdnoklassnikiDriver(client, secret, name, connection_id=connection_id)
    if flow == "whatsapp":
        return whatsapp_driver(client, name, connection_id, resume=resume)
    return TelegramQrDriver(client, name, connection_id=connection_id)


def whatsapp_driver(
    client: ConnectionsClient,
    name: str = "",
    connection_id: int | str | None = None,
    *,
    resume: bool = True,
) -> WhatsAppDriver:
    """The WhatsApp driver; with no ``connection_id`` and ``resume``, it continues with the
    connection an earlier run made here and never linked (no second one is created)."""
    earlier = None
    if connection_id is None and resume:
        earlier = unfinished_connection("whatsapp", client.base_url)
    if earlier is None:
        return WhatsAppDriver(client, name, connection_id)
    driver = WhatsAppDriver(client, name, earlier.external_id)
    driver.resumed = earlier
    return driver


def record_login(session: LoginSession) -> Record | None:
    """Record what a finished provider login made (or re-authorised), with its driver's
    :class:`Outcome`; None when it made nothing to record. Blocking (SQLite)."""
    driver = session.driver
    snap = session.snapshot()
    conn = snap.result
    if snap.state is not State.CONNECTED or not isinstance(conn, Connection):
        return None
    if not isinstance(driver, ProviderDriver):
        raise TypeError("record_login records the provider's logins only")
    details = {
        "status": conn.status,
        "provider_connection_id": conn.id,
        # re-authorising needs the company the connection lives in (and its key)
        "company_id": conn.company_id or driver.client.company_id,
        "company": driver.client.company.name if driver.client.company else None,
    }
    recorded = driver.recorded
    if recorded is not None and recorded.outcome == driver.outcome.value:
        # recorded when the create answered: only what changed since (no second history entry)
        from x2desk.core.store.records import open_records

        with open_records() as records:
            return records.upsert(conn.type, conn.id, details=details)
    return record_connection(
        conn.type,
        conn.id,
        flow=snap.flow,
        outcome=driver.outcome,
        name=conn.name or None,
        api_base=driver.client.base_url,
        details=details,
    )
