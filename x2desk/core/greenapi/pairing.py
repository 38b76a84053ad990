"""Pairing a Green-API for Telegram instance: by its rotating QR, or by a login code sent to the
Telegram app (issue 6 item 2, issue 11). No Qt here.

The state machine is the login sessions' own (:class:`~x2desk.core.session.machine.LoginSession`,
with its :class:`~x2desk.core.session.poller.Poller`): this module only adds a *driver*,
:class:`GreenApiDriver`, that answers each step with what the instance says, and a small front,
:class:`GreenApiPairing`, for the GUI, the CLI and the autopilot.

The path through the machine:
- ``starting``: getStateInstance. ``notAuthorized`` asks for a QR at once (or, by phone, sends
  the login code: startAuthorization); ``authorized`` means the instance was already paired: the
  attempt stops with :class:`AlreadyAuthorised` and offers :meth:`GreenApiPairing.keep` or
  :meth:`GreenApiPairing.log_out_and_pair`.
- ``waiting_for_qr``: every 5 s getStateInstance, then (while ``notAuthorized``) a new QR
  (``qr_image``: checked PNG bytes), each withdrawn after :data:`QR_LIFETIME_S` if no newer one
  came. The state is read first because the qr call need not reveal ``pendingPassword`` (it may
  keep answering ``qrCode``). ``{type: error}`` answers are shown and polling goes on.
- ``waiting_for_code`` (by phone): the code from the Telegram app goes to sendAuthorizationCode; a
  wrong one keeps the page, saying so; then the state says what follows.
- ``pendingPassword`` -> ``waiting_for_password``: the cloud password goes to
  sendAuthorizationPassword; a wrong one (``data.reason: invalid_password``) keeps the page with
  its message; another refusal is explained. ``starting`` (or an empty state: being created)
  and ``sleepMode`` -> ``loading`` with what to do; ``blocked``, ``yellowCard`` and ``suspended``
  end the attempt with what to do.
- ``authenticated`` only once getStateInstance says ``authorized``; then the apiTokenInstance goes
  to the credential store (``secret_ref("greenapi", idInstance)``) and idInstance with its apiUrl
  to a record of kind ``greenapi``: ``connected``, with a :class:`PairedInstance` as ``result``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import (
    AlreadyAuthorised,
    AuthorizationRefused,
    InstanceBlocked,
    InstanceSuspended,
    InstanceYellowCard,
    RequestRejected,
    StoreError,
)
from x2desk.core.greenapi.client import QR_ERRORS, GreenApiClient, paired_phone
from x2desk.core.greenapi.endpoints import PAIRING_LIFETIME_S, QR_LIFETIME_S, QR_REFRESH_S
from x2desk.core.greenapi.pairing_texts import (
    TEXT_CODE_CONFIRMING,
    TEXT_CODE_SENT,
    TEXT_CONFIRMING,
    TEXT_KEPT,
    TEXT_LOGGED_OUT,
    TEXT_PAIRED,
    TEXT_PASSWORD,
    TEXT_PASSWORD_AGAIN,
    TEXT_QR,
    TEXT_SLEEP,
    TEXT_STARTING,
)
from x2desk.core.saving import Outcome, record_connection
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession, Observer, Snapshot, State, Step
from x2desk.core.session.poller import DEFAULT_BACKOFF_S, Scheduler
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record, RecordStore

log = logging.getLogger(__name__)

KIND = "greenapi"
FLOW_PAIR = "greenapi_qr"
FLOW_CODE = "greenapi_code"  # paired by a login code sent to the Telegram app
FLOW_REPAIR = "greenapi_repair"
FLOW_KEEP = "greenapi_keep"

# actions the snapshot offers besides the machine's own
ACTION_KEEP = "keep"
ACTION_LOG_OUT_AND_PAIR = "log_out_and_pair"
ACTION_SAVE_AGAIN = "save_again"  # paired, but its token could not be saved

_ENDS = {
    "blocked": InstanceBlocked,
    "yellowCard": InstanceYellowCard,
    "suspended": InstanceSuspended,
}


@dataclass(frozen=True)
class PairedInstance:
    """The outcome: what was saved (the token itself is only in the credential store)."""

    id_instance: str
    record_id: int
    secret_ref: str
    store: str  # the credential store's description, for people
    kept: bool = False  # True: it was already authorised and the person chose to keep it
    api_url: str = ""  # the instance's apiUrl, kept in the record for re-pairing
    phone: str = ""  # the paired Telegram account's number, when Green-API says it


class GreenApiDriver:
    """The :class:`~x2desk.core.session.machine.LoginDriver` for one Green-API instance.

    ``mode`` is ``pair`` (an already authorised instance stops with :class:`AlreadyAuthorised`),
    ``keep`` (already authorised: just save it) or ``logout`` (log out first, then pair). With
    ``phone`` it pairs by a login code sent to the Telegram app instead of a QR. ``records`` and
    ``credentials`` are opened on first use when not given.
    """

    flow = KIND
    session_lifetime_s: float | None = PAIRING_LIFETIME_S  # x2desk stops waiting then
    begin_repeatable = True  # the start reads the state (and asks for a QR or a code again)
    expired_text = N_(
        "x2desk stopped waiting after 10 minutes: the instance was not paired. Start again "
        "when the phone with the account is at hand."
    )

    def __init__(
        self,
        client: GreenApiClient,
        name: str = "",
        records: RecordStore | None = None,
        credentials: CredentialStore | None = None,
        clock: Clock = SYSTEM_CLOCK,
        qr_lifetime_s: float = QR_LIFETIME_S,
        repair: bool = False,
        phone: str | None = None,
    ) -> None:
        from x2desk.core.accounts.inputs import normalise_phone

        self.client = client
        self.name = name
        self.records = records
        self.credentials = credentials
        self.clock = clock
        self.qr_lifetime_s = qr_lifetime_s
        self.repair = repair
        self.phone = normalise_phone(phone) if phone is not None else None  # InputError first
        self.mode = "pair"
        self.authorised = False  # Green-API confirmed the pairing (what fails now is saving)
        self.code_sent = False
        self.states_seen: list[str] = []  # every stateInstance read (tests, reports)

    # -- LoginDriver --

    def begin(self) -> Step:
        self.authorised = False
        self.code_sent = False
        if self.mode == "logout":
            self.client.logout()
            self.mode = "pair"
            return Step(State.LOADING, note=_(TEXT_LOGGED_OUT))
        return self._from_state(self._state(), at_start=True)

    def poll(self) -> Step:
        """getStateInstance first (the qr call need not reveal the state), then a QR."""
        return self._from_state(self._state())

    def submit_code(self, code: Secret) -> Step:
        if self.phone is None:
            raise RequestRejected(_("This pairing is by QR; it has no login code."))
        try:
            self.client.send_code(code)
        except AuthorizationRefused as exc:
            return self._refused(exc, State.WAITING_FOR_CODE, "notAuthorized")
        return self._from_state(self._state(), ask=False, after_code=True)

    def submit_password(self, password: Secret) -> Step:
        try:
            self.client.send_password(password)
        except AuthorizationRefused as exc:
            return self._refused(exc, State.WAITING_FOR_PASSWORD, "pendingPassword")
        except RequestRejected:
            # e.g. sent twice and the first one did pass: the state tells
            return self._from_state(self._state(), ask=False)
        return self._from_state(self._state(), ask=False, after_password=True)

    def finish(self) -> Step:
        self.authorised = True
        kept = self.mode == "keep"
        paired = self._save(kept, paired_phone(self.client))
        return Step(State.CONNECTED, note=_(TEXT_KEPT if kept else TEXT_PAIRED), result=paired)

    # -- helpers --

    def _state(self) -> str:
        state = self.client.state()
        self.states_seen.append(state)
        return state

    def _refused(self, exc: AuthorizationRefused, keep: State, still: str) -> Step:
        """Refused for a reason other than a wrong entry: while the instance still waits for the
        same thing the page stays, with the reason; otherwise the state says what follows."""
        state = self._state()
        if state == still:
            return Step(keep, note=exc.message)
        return self._from_state(state, ask=False)

    def _ask_qr(self) -> Step:
        answer = self.client.qr()
        if answer.png is not None:
            return Step(
                State.WAITING_FOR_QR,
                qr_image=answer.png,
                qr_expires_at=self.clock.time() + self.qr_lifetime_s,
                note=_(TEXT_QR),
            )
        if answer.already:  # most often the scan just went through: the state confirms
            return self._from_state(self._state(), ask=False)
        return Step(State.WAITING_FOR_QR, note=answer.explanation)

    def _ask_code(self, ask: bool) -> Step:
        if self.code_sent or not ask:  # a code was accepted or is on its way: no new one
            return Step(State.LOADING, note=_(TEXT_CODE_CONFIRMING))
        assert self.phone is not None
        self.client.start_authorization(self.phone)
        self.code_sent = True
        return Step(State.WAITING_FOR_CODE, note=_(TEXT_CODE_SENT))

    def _from_state(
        self,
        state: str,
        at_start: bool = False,
        ask: bool = True,
        after_password: bool = False,
        after_code: bool = False,
    ) -> Step:
        if state == "authorized":
            if at_start and self.mode != "keep":
                raise AlreadyAuthorised()
            return Step(State.AUTHENTICATED, note=_(TEXT_CONFIRMING))
        if state == "pendingCode" and self.phone is not None:  # the code is still awaited
            return Step(State.WAITING_FOR_CODE, note=_(TEXT_CODE_SENT))
        if state in ("notAuthorized", "pendingCode"):
            if self.phone is not None:
                return self._ask_code(ask and not after_code)
            if ask:
                return self._ask_qr()
            return Step(State.WAITING_FOR_QR, note=_(QR_ERRORS["not_ready"]))
        if state == "pendingPassword":
            # sent, accepted, but not through yet: say so and keep the page
            text = TEXT_PASSWORD_AGAIN if after_password else TEXT_PASSWORD
            return Step(State.WAITING_FOR_PASSWORD, note=_(text))
        if state in ("starting", "sleepMode"):
            text = TEXT_SLEEP if state == "sleepMode" else TEXT_STARTING
            return Step(State.LOADING, note=_(TEXT_CODE_CONFIRMING if after_code else text))
        ending = _ENDS.get(state)
        if ending is not None:
            raise ending()
        raise AssertionError(f"unmapped state {state}")  # parse_state refuses unknown ones

    def _save(self, kept: bool, phone: str = "") -> PairedInstance:
        from x2desk.core.store.credentials import open_credential_store, secret_ref
        from x2desk.core.store.records import open_records

        id_instance = self.client.id_instance
        ref = secret_ref(KIND, id_instance)
        if self.credentials is None:
            self.credentials = open_credential_store()
        # the secret first: a record never points at a secret that is not there
        self.credentials.save(ref, self.client.api_token)
        own = self.records is None
        records = self.records if self.records is not None else open_records()
        flow = FLOW_CODE if self.phone is not None else FLOW_PAIR
        flow = FLOW_KEEP if kept else (FLOW_REPAIR if self.repair else flow)
        try:
            named = bool(self.name) or records.find(KIND, id_instance) is None
            name = {"name": self.name or f"Green-API {id_instance}"} if named else {}
            record = record_connection(
                KIND,
                id_instance,
                flow=flow,
                outcome=Outcome.REPAIRED if self.repair else Outcome.CONNECTED,
                records=records,
                phone=phone or None,  # the default label: "Green-API 1101000001 · +7916…"
                **name,
                api_base=self.client.api_url,
                secret_ref=ref,
                details={"stateInstance": "authorized", **({"phone": phone} if phone else {})},
            )
        finally:
            if own:
                records.close()
        store = getattr(self.credentials, "description", None) or _("the credential store")
        log.info("green-api instance %s paired (%s)", id_instance, flow)
        return PairedInstance(
            id_instance, record.id, ref, str(store), kept, self.client.api_url, phone
        )


class GreenApiPairing:
    """One pairing attempt, for the GUI, the CLI and the autopilot.

    Commands: :meth:`start`, :meth:`submit_code` (by phone), :meth:`submit_password`,
    :meth:`keep`, :meth:`log_out_and_pair`, :meth:`save_again` and :meth:`use_file_store`
    (paired, but the token could not be saved), :meth:`cancel` (stops polling within one tick),
    :meth:`restart`, :meth:`close`. Observe with :meth:`subscribe` or :meth:`snapshot` (a
    :class:`~x2desk.core.session.machine.Snapshot`; its ``actions`` include ``submit_code``,
    ``submit_password``, ``keep`` and ``log_out_and_pair`` when the instance was already
    authorised, ``save_again`` when only saving failed). ``phone``: pair by a login code sent to
    the Telegram app instead of a QR. Everything runs on ``scheduler`` (a thread of its own by
    default).
    """

    def __init__(
        self,
        client: GreenApiClient,
        name: str = "",
        records: RecordStore | None = None,
        credentials: CredentialStore | None = None,
        clock: Clock = SYSTEM_CLOCK,
        scheduler: Scheduler | None = None,
        interval_s: float = QR_REFRESH_S,
        backoff_s: tuple[float, ...] = DEFAULT_BACKOFF_S,
        qr_lifetime_s: float = QR_LIFETIME_S,
        repair: bool = False,
        phone: str | None = None,
    ) -> None:
        self.client = client
        self.driver = GreenApiDriver(
            client, name, records, credentials, clock, qr_lifetime_s, repair=repair, phone=phone
        )
        self.session = LoginSession(self.driver, clock, scheduler, interval_s, backoff_s)

    @classmethod
    def from_record(
        cls,
        record: Record,
        credentials: CredentialStore,
        api_url: str | None = None,
        **kwargs: Any,
    ) -> GreenApiPairing:
        """Re-pair a saved instance (from the home list): its id, apiUrl and saved token."""
        if record.kind != KIND:
            said = _("Record {id} is a {kind} connection, not Green-API.")
            raise StoreError(said.format(id=record.id, kind=record.kind))
        token = credentials.load(record.secret_ref or "")
        if token is None:
            said = _(
                "The apiTokenInstance of instance {external_id} is no longer in {credentials}: "
                "connect it again with its id and token."
            )
            store = getattr(credentials, "description", None) or _("the credential store")
            raise StoreError(said.format(external_id=record.external_id, credentials=store))
        client = GreenApiClient(api_url or record.api_base or None, record.external_id, token)
        return cls(client, record.name or "", credentials=credentials, repair=True, **kwargs)

    # -- observing --

    @property
    def by_code(self) -> bool:
        """Paired by a login code (a phone number was given), not by a QR."""
        return self.driver.phone is not None

    @property
    def state(self) -> State:
        return self.session.state

    def snapshot(self) -> Snapshot:
        return self._with_choices(self.session.snapshot())

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        return self.session.subscribe(lambda snap: observer(self._with_choices(snap)))

    def _with_choices(self, snap: Snapshot) -> Snapshot:
        if snap.state is not State.FAILED:
            return snap
        if snap.error_key == AlreadyAuthorised.key:
            actions = (snap.actions - {"restart"}) | {ACTION_KEEP, ACTION_LOG_OUT_AND_PAIR}
            return replace(snap, actions=frozenset(actions))
        if isinstance(snap.error, StoreError) and self.driver.authorised:
            return replace(snap, actions=snap.actions | {ACTION_SAVE_AGAIN})
        return snap

    @property
    def store_failed(self) -> bool:
        """The instance is paired at Green-API, but its token could not be saved here."""
        return ACTION_SAVE_AGAIN in self.snapshot().actions

    # -- commands --

    def start(self) -> None:
        self.session.start()

    def restart(self) -> None:
        self.driver.mode = "pair"
        self.session.restart()

    def submit_code(self, code: Secret) -> bool:
        """Send the login code from the Telegram app (InputError when it is not a few digits);
        False when none is asked for now."""
        return self.session.submit_code(code)

    def submit_password(self, password: Secret) -> bool:
        """Send the cloud password (InputError when empty); False when none is asked for now."""
        return self.session.submit_password(password)

    def keep(self) -> bool:
        """Already authorised: keep it as it is (confirmed, then saved). False if not offered."""
        return self._choose(ACTION_KEEP, "keep")

    def log_out_and_pair(self) -> bool:
        """Already authorised: log it out and pair again. False if not offered."""
        return self._choose(ACTION_LOG_OUT_AND_PAIR, "logout")

    def save_again(self, credentials: CredentialStore | None = None) -> bool:
        """Paired, but the token could not be saved: save it again (in ``credentials``, e.g. the
        encrypted file chosen instead of a failing keyring; None: the chosen store, opened
        afresh). False if not offered."""
        if not self.store_failed:
            return False
        self.driver.credentials = credentials
        return self._choose(ACTION_SAVE_AGAIN, "keep")

    def use_file_store(self, passphrase: Secret) -> CredentialStore:
        """Blocking (a worker): open the encrypted file store with ``passphrase`` (made when
        there is none yet) and save the token there; the store, for the caller to keep.
        Raises the store's error (a wrong passphrase, say): nothing changed then."""
        from x2desk.core.saving import open_file_store

        store = open_file_store(passphrase)
        self.save_again(store)
        return store

    def _choose(self, action: str, mode: str) -> bool:
        if action not in self.snapshot().actions:
            return False
        self.driver.mode = mode
        self.session.restart()
        return True

    def cancel(self) -> None:
        self.session.cancel()

    def close(self) -> None:
        self.session.close()
