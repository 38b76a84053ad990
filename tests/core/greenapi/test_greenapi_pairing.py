"""Green-API pairing: the login-session machine fed by the Green-API driver.

Unit tests drive it with a fake clock against a fake instance (no HTTP): every state, every qr
``type``, every error, cadence, cancel, storing. Integration tests run the same flow over real HTTP
against the sandbox: a stale QR refused, 2FA with a wrong password first, alreadyLogged then
logout and re-pair, re-pairing from the saved record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from helpers import MemoryStore

from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    BadAnswer,
    CannotConnect,
    InputError,
    InvalidAuth,
    PasswordInvalid,
    RateLimited,
    RequestRejected,
    StoreError,
    X2DeskError,
)
from x2desk.core.greenapi.client import QR_ERRORS, GreenApiClient, QrAnswer, read_qr_png
from x2desk.core.greenapi.pairing import (
    ACTION_KEEP,
    ACTION_LOG_OUT_AND_PAIR,
    TEXT_SLEEP,
    TEXT_STARTING,
    GreenApiPairing,
    PairedInstance,
)
from x2desk.core.secret import Secret
from x2desk.core.session.machine import Snapshot, State
from x2desk.core.session.poller import ManualScheduler
from x2desk.core.store.credentials import KeyringStore, secret_ref
from x2desk.core.store.records import RecordStore, open_records
from x2desk.sandbox.phone import QrRefused, SandboxPhone
from x2desk.sandbox.qrpng import qr_png
from x2desk.sandbox.server import SandboxServer

TOKEN = "c3" * 25
ID = "1101000042"


class FakeInstance:
    """Plays a Green-API instance and its phone; records every call (time, method)."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.state_value = "notAuthorized"
        self.qr_n = 0
        self.qr_errors: list[str] = []
        self.already_type = "alreadyLogged"
        self.password = ""
        self.fail: list[X2DeskError] = []
        self.calls: list[tuple[float, str]] = []
        self.id_instance = ID
        self.api_url = "https://api.green-api.com"
        self.api_token = Secret(TOKEN)

    def scan(self, password: str = "") -> None:
        self.password = password
        self.state_value = "pendingPassword" if password else "authorized"

    def _enter(self, name: str) -> None:
        self.calls.append((self.clock.monotonic(), name))
        if self.fail:
            raise self.fail.pop(0)

    def qr(self) -> QrAnswer:
        self._enter("qr")
        if self.qr_errors:
            return QrAnswer("error", error=self.qr_errors.pop(0))
        if self.state_value == "authorized":
            return QrAnswer(self.already_type)
        if self.state_value != "notAuthorized":
            return QrAnswer("error", error="not_ready")
        self.qr_n += 1
        return QrAnswer("qrCode", png=qr_png(f"qr-{self.qr_n}", scale=2))

    def state(self) -> str:
        self._enter("state")
        return self.state_value

    def send_password(self, password: Secret) -> None:
        self._enter("password")
        if self.state_value != "pendingPassword":
            raise RequestRejected("not pending")
        if password.reveal() != self.password:
            raise PasswordInvalid()
        self.state_value = "authorized"

    def logout(self) -> bool:
        self._enter("logout")
        self.state_value = "starting"
        return True

    def count(self, name: str) -> int:
        return sum(1 for _, call in self.calls if call == name)


class Rig:
    def __init__(self, clock: FakeClock, records: RecordStore, store: MemoryStore) -> None:
        self.clock = clock
        self.fake = FakeInstance(clock)
        self.scheduler = ManualScheduler(clock)
        self.records = records
        self.store = store
        self.pairing = GreenApiPairing(
            cast(GreenApiClient, self.fake),
            records=records,
            credentials=store,
            clock=clock,
            scheduler=self.scheduler,
        )
        self.seen: list[Snapshot] = []
        self.pairing.subscribe(self.seen.append)

    def start(self) -> Snapshot:
        self.pairing.start()
        self.scheduler.run_due()
        return self.pairing.snapshot()

    def advance(self, seconds: float) -> Snapshot:
        self.scheduler.advance(seconds)
        return self.pairing.snapshot()

    def run(self) -> Snapshot:
        self.scheduler.run_due()
        return self.pairing.snapshot()


@pytest.fixture
def records() -> Iterator[RecordStore]:
    with open_records() as store:
        yield store


@pytest.fixture
def rig(fake_clock: FakeClock, records: RecordStore) -> Rig:
    return Rig(fake_clock, records, MemoryStore())


def assert_saved(rig: Rig, kept: bool = False, flow: str = "greenapi_qr") -> PairedInstance:
    snap = rig.pairing.snapshot()
    assert snap.state is State.CONNECTED, snap.text
    result = snap.result
    assert isinstance(result, PairedInstance) and result.kept is kept
    assert rig.store.items[secret_ref("greenapi", ID)].reveal() == TOKEN
    record = rig.records.find("greenapi", ID)
    assert record is not None and record.secret_ref == f"greenapi:{ID}"
    assert record.flow == flow and record.outcome == "connected"
    assert TOKEN not in str(record.to_json())
    return result


# ---- unit: the QR rhythm -----------------------------------------------------------------------


def test_a_new_qr_every_5_s_each_published_at_once(rig: Rig) -> None:
    snap = rig.start()
    assert snap.state is State.WAITING_FOR_QR
    assert read_qr_png(snap.qr_image or b"") == "qr-1" and snap.qr_version == 1
    assert rig.fake.calls == [(rig.clock.monotonic(), "state"), (rig.clock.monotonic(), "qr")]
    start = rig.clock.monotonic()
    versions = []
    for _ in range(4):
        versions.append(rig.advance(5).qr_version)
    assert versions == [2, 3, 4, 5]
    qr_times = [at - start for at, name in rig.fake.calls if name == "qr"]
    assert qr_times == [0, 5, 10, 15, 20]
    assert "new QR comes every 5 s" in snap.text
    # every new QR went to observers as it came, not only to snapshot()
    assert sorted({s.qr_version for s in rig.seen if s.qr_image}) == [1, 2, 3, 4, 5]


def test_a_qr_is_withdrawn_when_polling_backs_off_past_its_lifetime(rig: Rig) -> None:
    rig.start()
    rig.fake.fail = [CannotConnect() for _ in range(5)]
    snap = rig.advance(5)
    assert snap.retry_in == 5 and "Trying again in 5 seconds" in snap.text
    assert snap.qr_image is not None  # still fresh (5 s old)
    snap = rig.advance(16)  # 21 s after it was fetched: never left on screen
    assert snap.qr_image is None
    rig.fake.fail = []
    snap = rig.advance(30)
    assert snap.qr_image is not None and snap.retry_in is None and snap.error_key is None


@pytest.mark.parametrize("error", ["timeout", "not_ready", "connection_closed", "odd_one"])
def test_each_qr_error_is_explained_and_polling_goes_on(rig: Rig, error: str) -> None:
    rig.fake.qr_errors = [error]
    snap = rig.start()
    assert snap.state is State.WAITING_FOR_QR and snap.qr_image is None
    assert snap.text == QR_ERRORS.get(error, snap.text)
    if error == "odd_one":
        assert "odd_one" in snap.text and "support" in snap.text
    snap = rig.advance(5)
    assert snap.qr_image is not None and "Scan this QR" in snap.text


# ---- unit: every state -------------------------------------------------------------------------


def test_scan_without_password_is_confirmed_then_saved(rig: Rig) -> None:
    rig.start()
    rig.fake.scan()
    rig.advance(5)
    assert_saved(rig)
    history = rig.pairing.session.history
    assert history[-3:] == [State.AUTHENTICATED, State.CREATING_CONNECTION, State.CONNECTED]
    assert rig.fake.calls[-1][1] == "state"  # authorised only once getStateInstance said so
    polls = len(rig.fake.calls)
    rig.advance(60)
    assert len(rig.fake.calls) == polls  # and nothing more is asked


def test_already_logged_is_not_done_until_the_state_says_authorized(rig: Rig) -> None:
    rig.start()
    rig.fake.scan(password="pw-1")
    rig.fake.state_value = "authorized"  # the qr call says alreadyLogged...
    rig.fake.qr_errors = []
    answers = iter(["pendingPassword"])  # ...but getStateInstance says pendingPassword
    real_state = rig.fake.state

    def state() -> str:
        value = real_state()
        return next(answers, value)

    rig.fake.state = state  # type: ignore[method-assign]
    snap = rig.advance(5)
    assert snap.state is State.WAITING_FOR_PASSWORD
    assert "submit_password" in snap.actions


def test_two_factor_wrong_password_keeps_the_page_then_right_one_passes(rig: Rig) -> None:
    rig.start()
    rig.fake.scan(password="cloud-pw")
    snap = rig.advance(5)
    assert snap.state is State.WAITING_FOR_PASSWORD and "cloud" in snap.text
    with pytest.raises(InputError):
        rig.pairing.submit_password(Secret(""))
    assert rig.pairing.submit_password(Secret("wrong-pw"))
    snap = rig.run()
    assert snap.state is State.WAITING_FOR_PASSWORD
    assert snap.error_key == "password_invalid" and "wrong" in snap.text
    assert "submit_password" in snap.actions
    assert rig.pairing.submit_password(Secret("cloud-pw"))
    rig.run()
    assert_saved(rig)


def test_a_password_sent_twice_is_settled_by_the_state(rig: Rig) -> None:
    rig.start()
    rig.fake.scan(password="pw")
    rig.advance(5)
    rig.fake.state_value = "authorized"  # the first one passed; its answer was lost
    rig.pairing.submit_password(Secret("pw"))
    rig.run()
    assert_saved(rig)


@pytest.mark.parametrize(
    ("state", "text"), [("starting", TEXT_STARTING), ("sleepMode", TEXT_SLEEP)]
)
def test_starting_and_sleep_mode_wait_and_say_what_to_do(rig: Rig, state: str, text: str) -> None:
    rig.fake.state_value = state
    snap = rig.start()
    assert snap.state is State.LOADING and snap.text == text and snap.qr_image is None
    snap = rig.advance(5)  # still so: qr says not_ready, the state says why
    assert snap.state is State.LOADING and snap.text == text
    rig.fake.state_value = "notAuthorized"
    snap = rig.advance(5)
    assert snap.state is State.WAITING_FOR_QR and snap.qr_image is not None


@pytest.mark.parametrize(
    ("state", "key", "words"),
    [
        ("blocked", "instance_blocked", "blocked"),
        ("yellowCard", "instance_yellow_card", "yellow card"),
    ],
)
def test_blocked_and_yellow_card_end_with_what_to_do(
    rig: Rig, state: str, key: str, words: str
) -> None:
    rig.start()
    rig.fake.state_value = state
    snap = rig.advance(5)
    assert snap.state is State.FAILED and snap.error_key == key and words in snap.text
    assert "restart" in snap.actions and rig.store.items == {}
    calls = len(rig.fake.calls)
    rig.advance(60)
    assert len(rig.fake.calls) == calls


def test_already_authorised_offers_keep(rig: Rig) -> None:
    rig.fake.state_value = "authorized"
    snap = rig.start()
    assert snap.state is State.FAILED and snap.error_key == "already_authorised"
    assert {ACTION_KEEP, ACTION_LOG_OUT_AND_PAIR} <= snap.actions
    assert rig.fake.count("logout") == 0 and rig.store.items == {}
    assert rig.pairing.keep()
    rig.run()
    result = assert_saved(rig, kept=True, flow="greenapi_keep")
    assert result.id_instance == ID
    assert not rig.pairing.keep()  # nothing to choose any more


def test_already_authorised_then_log_out_and_pair_again(rig: Rig) -> None:
    rig.fake.state_value = "authorized"
    rig.fake.already_type = "already_registered"
    rig.start()
    assert rig.pairing.log_out_and_pair()
    snap = rig.run()
    assert rig.fake.count("logout") == 1
    assert snap.state is State.LOADING and "logged out" in snap.text
    snap = rig.advance(5)
    assert snap.state is State.LOADING and snap.text == TEXT_STARTING
    rig.fake.state_value = "notAuthorized"
    snap = rig.advance(5)
    assert snap.state is State.WAITING_FOR_QR and snap.qr_image is not None
    rig.fake.scan()
    rig.advance(5)
    assert_saved(rig)


def test_keep_is_refused_when_not_offered(rig: Rig) -> None:
    rig.start()
    assert not rig.pairing.keep() and not rig.pairing.log_out_and_pair()
    assert rig.fake.count("logout") == 0


# ---- unit: errors ------------------------------------------------------------------------------


def test_invalid_auth_stops_at_once_with_a_plain_message(rig: Rig) -> None:
    rig.fake.fail = [InvalidAuth("Green-API refused instance 1101000042: wrong id or token.")]
    snap = rig.start()
    assert snap.state is State.FAILED and snap.error_key == "invalid_auth"
    assert "wrong id or token" in snap.text
    rig.fake.fail = []
    rig.pairing.restart()  # and recovers once the details are right
    snap = rig.run()
    assert snap.state is State.WAITING_FOR_QR


def test_invalid_auth_while_polling_stops_polling(rig: Rig) -> None:
    rig.start()
    rig.fake.fail = [InvalidAuth()]
    snap = rig.advance(5)
    assert snap.state is State.FAILED
    calls = len(rig.fake.calls)
    rig.advance(60)
    assert len(rig.fake.calls) == calls


def test_rate_limit_is_honoured_then_the_rhythm_resumes(rig: Rig) -> None:
    rig.start()
    rig.fake.fail = [RateLimited(retry_after=12)]
    snap = rig.advance(5)
    assert snap.retry_in == 12 and snap.error_key == "rate_limited"
    before = rig.fake.count("qr")
    rig.advance(11)
    assert rig.fake.count("qr") == before  # not before Retry-After
    snap = rig.advance(1)
    assert rig.fake.count("qr") == before + 1 and snap.retry_in is None
    rig.advance(5)
    assert rig.fake.count("qr") == before + 2


def test_a_bad_png_backs_off_then_recovers(rig: Rig) -> None:
    rig.start()
    rig.fake.fail = [BadAnswer("Green-API sent a QR that is not a PNG image.")]
    snap = rig.advance(5)
    assert snap.error_key == "bad_answer" and "not a PNG" in snap.text and snap.retry_in == 5
    snap = rig.advance(5)
    assert snap.error_key is None and snap.qr_image is not None


def test_cancel_stops_polling_within_a_tick(rig: Rig) -> None:
    rig.start()
    rig.advance(5)
    rig.pairing.cancel()
    calls = len(rig.fake.calls)
    snap = rig.advance(120)
    assert snap.state is State.CANCELLED and len(rig.fake.calls) == calls


def test_cancel_during_a_request_ignores_its_answer(rig: Rig) -> None:
    rig.start()
    real_qr = rig.fake.qr

    def qr_then_cancel() -> QrAnswer:
        rig.pairing.cancel()
        return real_qr()

    rig.fake.qr = qr_then_cancel  # type: ignore[method-assign]
    snap = rig.advance(5)
    assert snap.state is State.CANCELLED
    calls = len(rig.fake.calls)
    rig.advance(60)
    assert len(rig.fake.calls) == calls


def test_a_store_failure_fails_with_its_message_and_saves_nothing(
    fake_clock: FakeClock, records: RecordStore
) -> None:
    rig = Rig(fake_clock, records, MemoryStore(fail=True))
    rig.start()
    rig.fake.scan()
    snap = rig.advance(5)
    assert snap.state is State.FAILED and snap.error_key == "store_error"
    assert "full" in snap.text and records.find("greenapi", ID) is None
    rig.store.fail = False  # a retry after fixing the store: already authorised -> keep
    rig.pairing.restart()
    rig.run()
    assert rig.pairing.keep()
    rig.run()
    assert_saved(rig, kept=True, flow="greenapi_keep")


def test_snapshots_hold_no_secret(rig: Rig) -> None:
    rig.start()
    rig.fake.scan(password="hunter2-cloud")
    rig.advance(5)
    rig.pairing.submit_password(Secret("hunter2-cloud"))
    rig.run()
    assert rig.seen[-1].state is State.CONNECTED
    for snap in rig.seen:
        assert TOKEN not in repr(snap) and "hunter2-cloud" not in repr(snap)


# ---- integration: the sandbox over real HTTP ---------------------------------------------------


class Live:
    """A pairing against the sandbox over HTTP, on the fake clock the sandbox also runs on."""

    def __init__(self, sandbox: SandboxServer, clock: FakeClock, instance: dict[str, Any]) -> None:
        self.clock = clock
        self.phone = SandboxPhone(sandbox.url)
        self.id = str(instance["idInstance"])
        self.token = instance["apiTokenInstance"]
        self.client = GreenApiClient(sandbox.url, self.id, Secret(self.token))
        self.scheduler = ManualScheduler(clock)
        self.pairing = GreenApiPairing(self.client, clock=clock, scheduler=self.scheduler)

    def payload(self) -> str:
        snap = self.pairing.snapshot()
        assert snap.qr_image is not None, snap.text
        text = read_qr_png(snap.qr_image)
        assert text is not None
        return text

    def close(self) -> None:
        self.pairing.close()
        self.client.close()
        self.phone.close()


@pytest.fixture
def live(sandbox: SandboxServer, fake_clock: FakeClock) -> Iterator[Live]:
    with SandboxPhone(sandbox.url) as phone:
        instance = phone.greenapi_instance()
    rig = Live(sandbox, fake_clock, instance)
    yield rig
    rig.close()


def saved_token(id_instance: str) -> str | None:
    secret = KeyringStore().load(secret_ref("greenapi", id_instance))
    return secret.reveal() if secret else None


def test_live_stale_qr_is_refused_then_the_current_one_pairs(live: Live) -> None:
    live.pairing.start()
    live.scheduler.run_due()
    stale = live.payload()
    live.scheduler.advance(25)  # the sandbox rotates its payload every 20 s; we poll every 5 s
    current = live.payload()
    assert current != stale
    with pytest.raises(QrRefused):
        live.phone.scan(stale)
    live.phone.scan(current)
    live.scheduler.advance(5)
    snap = live.pairing.snapshot()
    assert snap.state is State.CONNECTED, snap.text
    assert saved_token(live.id) == live.token
    with open_records() as records:
        record = records.find("greenapi", live.id)
    assert record is not None and record.api_base == live.client.api_url
    assert live.token not in str(record.to_json())
    paths = [r["path"] for r in live.phone.requests()]
    assert live.token not in " ".join(paths)  # the sandbox's own log masks it too


def test_live_two_factor_wrong_password_first(live: Live) -> None:
    live.pairing.start()
    live.scheduler.run_due()
    live.phone.scan(live.payload(), password="right-one")
    live.scheduler.advance(5)
    snap = live.pairing.snapshot()
    assert snap.state is State.WAITING_FOR_PASSWORD
    live.pairing.submit_password(Secret("wrong-one"))
    live.scheduler.run_due()
    snap = live.pairing.snapshot()
    assert snap.state is State.WAITING_FOR_PASSWORD and snap.error_key == "password_invalid"
    live.pairing.submit_password(Secret("right-one"))
    live.scheduler.run_due()
    assert live.pairing.snapshot().state is State.CONNECTED
    assert live.phone.state()["instances"]  # sanity: the sandbox knows the instance
    assert saved_token(live.id) == live.token


def test_live_already_logged_then_logout_and_pair_again_then_repair_from_record(
    live: Live, fake_clock: FakeClock
) -> None:
    live.pairing.start()
    live.scheduler.run_due()
    live.phone.scan(live.payload())
    live.scheduler.advance(5)
    assert live.pairing.snapshot().state is State.CONNECTED

    # a second attempt finds it already authorised (alreadyLogged): log out and pair again
    again = GreenApiPairing(live.client, clock=fake_clock, scheduler=live.scheduler)
    again.start()
    live.scheduler.run_due()
    assert ACTION_LOG_OUT_AND_PAIR in again.snapshot().actions
    assert again.log_out_and_pair()
    live.scheduler.run_due()
    assert again.snapshot().state is State.LOADING
    live.scheduler.advance(5)  # the sandbox is 'starting' for 3 s after a logout
    snap = again.snapshot()
    assert snap.state is State.WAITING_FOR_QR and snap.qr_image is not None
    payload = read_qr_png(snap.qr_image)
    assert payload is not None
    live.phone.scan(payload)
    live.scheduler.advance(5)
    assert again.snapshot().state is State.CONNECTED

    # the home list's re-pair: from the saved record and its saved token
    live.phone.greenapi_control(int(live.id), state="notAuthorized")
    with open_records() as records:
        record = records.find("greenapi", live.id)
        assert record is not None
        repair = GreenApiPairing.from_record(
            record, KeyringStore(), clock=fake_clock, scheduler=live.scheduler
        )
        repair.start()
        live.scheduler.run_due()
        payload = read_qr_png(repair.snapshot().qr_image or b"")
        assert payload is not None
        live.phone.scan(payload)
        live.scheduler.advance(5)
        assert repair.snapshot().state is State.CONNECTED
        repair.client.close()
        events = [(event.flow, event.outcome) for event in records.history(record.id)]
    assert events == [
        ("greenapi_qr", "connected"),
        ("greenapi_qr", "connected"),
        ("greenapi_repair", "repaired"),
    ]


def test_repair_from_a_record_without_its_token_says_so(records: RecordStore) -> None:
    record = records.upsert("greenapi", ID, secret_ref=secret_ref("greenapi", ID))
    with pytest.raises(StoreError, match="no longer in"):
        GreenApiPairing.from_record(record, MemoryStore())
    other = records.upsert("telegram", "5")
    with pytest.raises(StoreError, match="not Green-API"):
        GreenApiPairing.from_record(other, MemoryStore())


# ---- issue 17 item 5: the first transient error is not fatal -----------------------------------


@pytest.mark.parametrize("call", ["getStateInstance", "qr"])
@pytest.mark.parametrize(
    ("kind", "value"),
    [("status", 500), ("status", 502), ("status", 503), ("drop", None), ("malformed", None)],
)
def test_a_first_transient_error_backs_off_and_tries_again(
    live: Live, call: str, kind: str, value: int | None
) -> None:
    live.phone.fault(f"/waInstance{live.id}/{call}/", kind, value)
    live.pairing.start()
    live.scheduler.run_due()
    snap = live.pairing.snapshot()
    assert snap.state is State.STARTING and snap.busy, snap.text
    assert "Trying again in 5 seconds" in snap.text
    live.scheduler.advance(5)
    snap = live.pairing.snapshot()
    assert snap.state is State.WAITING_FOR_QR and snap.qr_image is not None, snap.text


def test_a_slow_first_answer_past_the_deadline_is_tried_again(live: Live) -> None:
    from x2desk.core.deadline import overall_deadline

    live.phone.fault(f"/waInstance{live.id}/getStateInstance/", "latency", 0.3)
    with overall_deadline(0.1):  # the requests run on this thread (the manual scheduler)
        live.pairing.start()
        live.scheduler.run_due()
    assert "Trying again in 5 seconds" in live.pairing.snapshot().text
    live.scheduler.advance(5)
    assert live.pairing.snapshot().state is State.WAITING_FOR_QR


def test_the_retries_are_bounded(live: Live) -> None:
    live.phone.fault(f"/waInstance{live.id}/getStateInstance/", "status", 503, times=10)
    live.pairing.start()
    live.scheduler.run_due()
    said = [live.pairing.snapshot().text]
    for wait in (5, 10, 20):
        live.scheduler.advance(wait)
        said.append(live.pairing.snapshot().text)
    snap = live.pairing.snapshot()
    assert snap.state is State.FAILED and snap.error_key == "server_error", snap.text
    assert [s.split("Trying again in ")[-1] for s in said[:3]] == [
        "5 seconds.",
        "10 seconds.",
        "20 seconds.",
    ]
    states = [r for r in live.phone.requests() if "getStateInstance" in r["path"]]
    assert len(states) == 4


def test_a_pairing_has_a_lifetime(live: Live) -> None:
    """Issue 17 item 3: Green-API pairing had no session lifetime."""
    live.pairing.start()
    live.scheduler.run_due()
    live.scheduler.advance(590)
    assert live.pairing.snapshot().state is State.WAITING_FOR_QR
    live.scheduler.advance(11)
    snap = live.pairing.snapshot()
    assert snap.state is State.EXPIRED and "stopped waiting after 10 minutes" in snap.text
    polls = len(live.phone.requests())
    live.scheduler.advance(60)
    assert len(live.phone.requests()) == polls  # nothing more is asked
