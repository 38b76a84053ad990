"""Check a saved connection now, against its service, and write what was found.

- an X2Chat bot: getMe (the token works), then getWebhookInfo (where its updates go);
- a provider connection: its status at the provider (``GET /companies/{id}/connections/{id}``),
  with the profile's saved provider key for that address and company;
- a Green-API instance: getStateInstance.

Each answer (or error) becomes a :class:`~x2desk.core.home.verdicts.Verdict`; :meth:`Checker.check`
writes it to the record (status, reason, checked_at) and to its history, and returns a
:class:`CheckResult`. A check never raises for what the service said: a failed check is a result
("check failed" with the reason). :meth:`Checker.send_test_message` sends a bot's test message
through the same X2Chat client as the wizard. Blocking (HTTP, SQLite, the credential store):
run it in a worker. One :class:`Checker` shares one HTTP connection pool and one provider client
per address and company across many checks (:class:`~x2desk.core.home.check_all.CheckAll`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.errors import InputError, RateLimited, StoreError, X2DeskError
from x2desk.core.home.verdicts import (
    Verdict,
    bot_verdict,
    connection_verdict,
    error_verdict,
    instance_verdict,
)
from x2desk.core.kinds import KINDS, Service
from x2desk.core.status import Status
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    import httpx

    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record, RecordStore
    from x2desk.core.x2chat.client import SentMessage

log = logging.getLogger(__name__)

EVENT_TEST_MESSAGE = "test_message"
RATE_LIMIT_PAUSE_S = 60.0  # a 429 without a Retry-After
TEST_TEXT = N_("Hello from x2desk: this bot is connected.")  # as the wizard's (flow_state)


@dataclass(frozen=True)
class CheckResult:
    """What one check found (what the record now says)."""

    record_id: int
    label: str
    kind: str
    status: Status
    reason: str | None
    checked_at: float | None
    error_key: str | None = None  # the error the check ran into, if any (``cannot_connect``...)
    retry_after_s: float | None = None  # the service asked to slow down for this long


class Checker:
    """Checks saved connections (``records``: the profile's open record store; ``credentials``:
    the credential store, unlocked; ``known_keys``: provider keys held in memory, by (address,
    company), for a key that was checked but not saved: the window's). Use as a context manager
    or call :meth:`close`."""

    def __init__(
        self,
        records: RecordStore,
        credentials: CredentialStore,
        http: httpx.Client | None = None,
        known_keys: dict[tuple[str, str | None], Secret] | None = None,
    ) -> None:
        from x2desk.core.net import make_http_client

        self.records = records
        self.credentials = credentials
        self.known_keys = dict(known_keys or {})
        self._own_http = http is None
        self._http = http if http is not None else make_http_client()
        self._providers: dict[tuple[str, str | None], ConnectionsClient] = {}

    def close(self) -> None:
        self._providers.clear()
        if self._own_http:
            self._http.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- checking ----

    def check(self, record_id: int | str) -> CheckResult:
        """Check the connection now and write the result to its record and history."""
        record = self.records.get(record_id)
        if record.forgotten:
            raise InputError(
                _("Connection {id} was forgotten: there is nothing to check.").format(id=record.id)
            )
        error_key, retry_after = None, None
        try:
            verdict = self.probe(record)
        except RateLimited as exc:
            verdict, error_key = error_verdict(exc, record.kind), exc.key
            retry_after = exc.retry_after if exc.retry_after is not None else RATE_LIMIT_PAUSE_S
        except X2DeskError as exc:
            verdict, error_key = error_verdict(exc, record.kind), exc.key
        except Exception as exc:  # a bug must not stop a "check all": said, logged
            log.warning("checking %s %s failed: %s", record.kind, record.id, type(exc).__name__)
            verdict, error_key = error_verdict(exc, record.kind), "unexpected"
        saved = self.records.set_status(record.id, verdict.status, verdict.reason)
        log.info("checked %s %s: %s", record.kind, record.id, verdict.status.value)
        return CheckResult(
            saved.id,
            saved.display_label,
            saved.kind,
            saved.status,
            saved.status_reason,
            saved.checked_at,
            error_key,
            retry_after,
        )

    def probe(self, record: Record) -> Verdict:
        """Ask the service (nothing is written). Raises the client's errors."""
        entry = KINDS.get("x2chat_bot" if record.kind == "x2chat" else record.kind)
        if entry is None:
            raise InputError(
                _("x2desk cannot check a '{kind}' connection.").format(kind=record.kind)
            )
        if entry.service is Service.X2CHAT:
            return self._bot(record)
        if entry.service is Service.GREENAPI:
            return self._instance(record)
        return self._provider(record)

    def _secret(self, record: Record, what: str) -> Secret:
        token = self.credentials.load(record.secret_ref) if record.secret_ref else None
        if token is None:
            raise StoreError(
                _(
                    "The {what} of this connection is no longer in {store}: connect it again."
                ).format(
                    what=what,
                    store=getattr(self.credentials, "description", None) or _("the store"),
                )
            )
        return token

    def _bot(self, record: Record) -> Verdict:
        from x2desk.core.x2chat.client import X2ChatClient

        token = self._secret(record, _("bot token"))
        client = X2ChatClient(self._address(record), http=self._http)
        me = client.get_me(token)
        try:
            return bot_verdict(me, client.get_webhook_info(token))
        except X2DeskError as exc:
            return bot_verdict(me, None, exc)

    def _instance(self, record: Record) -> Verdict:
        from x2desk.core.greenapi.client import GreenApiClient

        token = self._secret(record, "apiTokenInstance")
        client = GreenApiClient(record.api_base or None, record.external_id, token, self._http)
        return instance_verdict(client.state())

    def _provider(self, record: Record) -> Verdict:
        client = self._provider_client(self._address(record), record.company_id)
        return connection_verdict(client.get_connection(record.external_id).status)

    def _provider_client(self, base_url: str, company_id: str | None) -> ConnectionsClient:
        from x2desk.core.accounts.client import ConnectionsClient
        from x2desk.core.accounts.companies import load_provider_key

        client = self._providers.get((base_url, company_id))
        if client is not None:
            return client
        key, company = load_provider_key(self.credentials, base_url, company_id)
        if key is None:  # a key checked in this window but not saved (its company, or any)
            key = self.known_keys.get((base_url, company_id)) or self.known_keys.get(
                (base_url, None)
            )
            company = company_id if key is not None else company
        if key is None:
            raise StoreError(
                _(
                    "No API key for the provider at {address} is saved in this profile: connect "
                    "an account once with the key saved, then check again."
                ).format(address=base_url)
            )
        client = ConnectionsClient(base_url, key, http=self._http, company_id=company)
        self._providers[(base_url, company_id)] = client
        return client

    @staticmethod
    def _address(record: Record) -> str:
        if not record.api_base:
            raise InputError(
                _("Connection {id} has no saved address to check it at: connect it again.").format(
                    id=record.id
                )
            )
        return record.api_base

    # ---- a bot's test message ----

    def send_test_message(self, record_id: int | str, text: str | None = None) -> SentMessage:
        """Send the bot's chat a test message (``text``, else x2desk's greeting); the history
        says whether it went. Raises the client's error when it did not."""
        from x2desk.core.x2chat.client import X2ChatClient

        record = self.records.get(record_id)
        entry = KINDS.get("x2chat_bot" if record.kind == "x2chat" else record.kind)
        if entry is None or entry.service is not Service.X2CHAT or record.forgotten:
            raise InputError(_("Only a saved X2Chat bot can send a test message."))
        if record.chat_id is None:
            raise InputError(
                _("X2Chat gave this bot no chat id, so there is no chat to send a message to.")
            )
        token = self._secret(record, _("bot token"))
        client = X2ChatClient(self._address(record), http=self._http)
        try:
            sent = client.send_message(token, int(record.chat_id), text or _(TEST_TEXT))
        except X2DeskError as exc:
            self.records.add_event(record.id, EVENT_TEST_MESSAGE, "failed", exc.key)
            raise
        self.records.add_event(record.id, EVENT_TEST_MESSAGE, "sent", f"message {sent.message_id}")
        return sent
