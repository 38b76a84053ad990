"""The login session state machine, driven by a fake clock against an in-process fake provider.

The fake implements the client's methods (not HTTP): pure logic, every transition and rule.
Integration over real HTTP with the sandbox lives in test_connections_client.py/test_cli_connect.py.
"""

from __future__ import annotations

import itertools
from typing import Any, cast

import pytest

from x2desk.core.accounts.client import (
    Connection,
    ConnectionsClient,
    QrLogin,
    Session,
    WhatsAppStatus,
)
from x2desk.core.accounts.drivers import (
    MaxCodeDriver,
    OdnoklassnikiDriver,
    TelegramBotDriver,
    TelegramCodeDriver,
    TelegramQrDriver,
    WhatsAppDriver,
)
from x2desk.core.clock import FakeClock
from x2desk.core.errors import (
    CannotConnect,
    CodeInvalid,
    InputError,
    PasswordInvalid,
    SessionExpired,
    SubscriptionRequired,
    X2DeskError,
)
from x2desk.core.secret import Secret
from x2desk.core.session.machine import LoginSession, Snapshot, State, Step
from x2desk.core.session.poller import ManualScheduler

BOT_TOKEN = "123456789:" + "A" * 35


class FakeProvider:
    """Plays the provider: a session that moves when the 'phone' acts. Records every call."""

    base_url = "https://provider.test/v2"  # the journal and the records name it

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls: list[tuple[float, str]] = []
        self.status = "waiting_for_qr"
        self.qr_n = 0
        self.qr_expires_at = clock.time() + 30
        self.password = ""  # the 2FA password, when the account has one
        self.hint: str | None = None
        self.code = "12345"
        self.latency = 0.0
        self.fail: list[X2DeskError] = []  # raised by the next calls, in order
        self.during: Any = None  # called inside the next request (e.g. cancel)
        self.connections: dict[int, Connection] = {}
        self.wa_status = "qr"
        self.in_flight = 0
        self.max_in_flight = 0

    # the phone
    def scan(self, password: str = "", hint: str | None = None) -> None:
        self.password, self.hint = password, hint
        self.status = "waiting_for_password" if password else "authenticated"

    def rotate(self) -> None:
        self.qr_n += 1
        self.qr_expires_at = self.clock.time() + 30

    # the API
    def _enter(self, name: str) -> None:
        self.calls.append((self.clock.monotonic(), name))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.during is not None:
                during, self.during = self.during, None
                during()
            if self.latency:
                self.clock.advance(self.latency)
            if self.fail:
                raise self.fail.pop(0)
        finally:
            self.in_flight -= 1

    def _session(self) -> Session:
        qr = None
        if self.status == "waiting_for_qr":
            qr = QrLogin(f"tg://login?token=QR{self.qr_n}", self.qr_expires_at)
        return Session("s1", self.status, qr, None, self.hint)

    def telegram_init(
        self, auth_type: str, phone: str | None = None, connection_id: Any = None
    ) -> Session:
        self._enter(f"telegram_init:{auth_type}:{phone}:{connection_id}")
        if auth_type == "code":
            self.status = "waiting_for_code"
        return self._session()

    def telegram_login(
        self, session_id: str, code: Secret | None = None, password: Secret | None = None
    ) -> Session:
        kind = "code" if code else "password" if password else "poll"
        self._enter(f"telegram_login:{kind}")
        if code is not None:
            if code.reveal() != self.code:
                raise CodeInvalid()
            self.status = "waiting_for_password" if self.password else "authenticated"
        if password is not None:
            if password.reveal() != self.password:
                raise PasswordInvalid()
            self.status = "authenticated"
        return self._session()

    def max_init(self, phone: str, connection_id: Any = None) -> Session:
        self._enter(f"max_init:{phone}:{connection_id}")
        self.status = "waiting_for_code"
        return self._session()

    def max_login(self, session_id: str, code: Secret) -> Session:
        self._enter("max_login")
        if code.reveal() != self.code:
            raise CodeInvalid()
        self.status = "authenticated"
        return self._session()

    def create_connection(self, name: str, type: str, params: Any = None) -> Connection:
        self._enter(f"create:{type}")
        conn_id = len(self.connections) + 1
        conn = Connection(conn_id, type, name, "active", dict(params or {}))
        self.connections[conn_id] = conn
        return conn

    def get_connection(self, connection_id: Any) -> Connection:
        self._enter(f"get:{connection_id}")
        return self.connections.get(connection_id) or Connection(
            connection_id, "telegram", "old", "active", {}
        )

    def update_key(self, connection_id: Any, api_key: Secret) -> Connection:
        self._enter(f"patch:{connection_id}")
        return Connection(connection_id, "odnoklassniki", "group", "active", {"api_key": api_key})

    def whatsapp_status(self, connection_id: Any) -> WhatsAppStatus:
        self._enter(f"wa_status:{connection_id}")
        if self.wa_status == "qr":
            return WhatsAppStatus("qr", f"WA{self.qr_n}", self.qr_expires_at)
        return WhatsAppStatus(self.wa_status)

    def names(self) -> list[str]:
        return [name for _, name in self.calls]

    def times(self, prefix: str) -> list[float]:
        return [t for t, name in self.calls if name.startswith(prefix)]


@pytest.fixture
def server(fake_clock: FakeClock) -> FakeProvider:
    return FakeProvider(fake_clock)


def client(server: FakeProvider) -> ConnectionsClient:
    return cast(ConnectionsClient, server)


class Run:
    """A session plus everything its observers saw."""

    def __init__(self, session: LoginSession, manual: ManualScheduler) -> None:
        self.session = session
        self.manual = manual
        self.seen: list[Snapshot] = []
        session.subscribe(self.seen.append)

    def start(self) -> Run:
        self.session.start()
        self.manual.run_due()
        return self

    @property
    def snap(self) -> Snapshot:
        return self.session.snapshot()

    def states(self) -> list[State]:
        out: list[State] = []
        for snap in self.seen:
            if not out or out[-1] is not snap.state:
                out.append(snap.state)
        return out


def run(driver: Any, fake_clock: FakeClock, manual: ManualScheduler, **kw: Any) -> Run:
    return Run(LoginSession(driver, clock=fake_clock, scheduler=manual, **kw), manual)


# ---- Telegram by QR ------------------------------------------------------------------------------


def test_qr_flow_scan_then_connection(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server), name="Shop"), fake_clock, manual).start()
    assert r.snap.state is State.WAITING_FOR_QR
    assert r.snap.qr == "tg://login?token=QR0"
    assert r.snap.actions == {"cancel"}
    server.scan()
    manual.advance(5)
    assert r.snap.state is State.CONNECTED
    assert r.states() == [
        State.STARTING,
        State.WAITING_FOR_QR,
        State.AUTHENTICATED,
        State.CREATING_CONNECTION,
        State.CONNECTED,
    ]
    assert server.names() == [
        "telegram_init:qr:None:None",
        "telegram_login:poll",
        "create:telegram",
    ]
    conn = r.snap.result
    assert conn.type == "telegram" and conn.name == "Shop" and conn.params == {"session_id": "s1"}
    assert r.snap.qr is None and r.snap.actions == frozenset()
    manual.advance(60)
    assert len(server.calls) == 3  # nothing after connected


def test_poll_cadence_is_five_seconds(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    t0 = fake_clock.monotonic()
    manual.advance(30)
    polls = server.times("telegram_login")
    assert polls == [t0 + 5 * i for i in range(1, 7)]
    assert r.snap.state is State.WAITING_FOR_QR


def test_poll_interval_configurable_never_below_one_second(fake_clock, manual, server) -> None:
    run(TelegramQrDriver(client(server)), fake_clock, manual, interval_s=0.2).start()
    manual.advance(5)
    assert len(server.times("telegram_login")) == 5


def test_no_overlap_under_a_slow_server(fake_clock, manual, server) -> None:
    server.qr_expires_at = fake_clock.time() + 1000
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.latency = 8.0
    manual.advance(60)
    assert server.max_in_flight == 1
    polls = server.times("telegram_login")
    assert all(b - a == 13.0 for a, b in itertools.pairwise(polls))
    assert r.snap.state is State.WAITING_FOR_QR


def test_errors_back_off_and_say_so_then_recover(fake_clock, manual, server) -> None:
    server.qr_expires_at = fake_clock.time() + 1000
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.fail = [CannotConnect(), CannotConnect(), CannotConnect(), CannotConnect()]
    manual.advance(5)
    assert r.snap.retry_in == 5 and "Trying again in 5 seconds" in r.snap.text
    assert r.snap.error_key == "cannot_connect" and r.snap.state is State.WAITING_FOR_QR
    manual.advance(5)
    assert r.snap.retry_in == 10
    manual.advance(10)
    assert r.snap.retry_in == 20
    manual.advance(20)
    assert r.snap.retry_in == 20  # capped
    manual.advance(20)  # this poll succeeds
    assert r.snap.retry_in is None and r.snap.error_key is None
    assert r.snap.text == "Scan the QR with your phone."
    before = len(server.times("telegram_login"))
    manual.advance(10)
    assert len(server.times("telegram_login")) == before + 2  # back to every 5 s


def test_changed_qr_is_shown_at_once(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    first = r.snap
    manual.advance(4)
    server.rotate()
    manual.advance(1)  # the next poll sees it
    assert r.seen[-1].qr == "tg://login?token=QR1"
    assert r.seen[-1].qr_version == first.qr_version + 1
    manual.advance(5)
    assert r.snap.qr_version == first.qr_version + 1  # same QR again: not a "new" one


def test_qr_countdown_and_an_expired_qr_is_withdrawn(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    assert r.snap.qr_seconds_left == 30
    manual.advance(12)
    assert r.snap.qr_seconds_left == 18
    server.fail = [CannotConnect()] * 10  # the server stops answering: the QR must not stay
    manual.advance(18)
    assert r.snap.qr is None and r.snap.qr_seconds_left is None
    assert any(s.qr is None and "expired" in s.text for s in r.seen)
    server.fail = []
    server.rotate()
    manual.advance(20)
    assert r.snap.qr == "tg://login?token=QR1"


def test_qr_expiry_polls_at_once_for_the_new_one(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual, interval_s=7).start()
    server.qr_expires_at = fake_clock.time() + 10
    manual.advance(7)  # poll at 7 s learns the expiry at 10 s
    server.rotate()
    manual.advance(3)  # at 10 s: withdrawn, and a poll at once (not at 14 s)
    assert server.times("telegram_login")[-1] == pytest.approx(fake_clock.monotonic())
    assert r.snap.qr == "tg://login?token=QR1"


def test_answer_with_an_already_expired_qr_shows_none(fake_clock, manual, server) -> None:
    server.qr_expires_at = fake_clock.time() - 1
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    assert r.snap.state is State.WAITING_FOR_QR and r.snap.qr is None
    assert "expired" in r.snap.text


def test_two_step_password_with_hint_wrong_then_right(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan(password="correct horse", hint="the stable")
    manual.advance(5)
    assert r.snap.state is State.WAITING_FOR_PASSWORD
    assert r.snap.password_hint == "the stable" and "Hint: the stable" in r.snap.text
    assert r.snap.actions == {"submit_password", "cancel"}
    polls = len(server.times("telegram_login"))
    manual.advance(30)
    assert len(server.times("telegram_login")) == polls  # no polling while the person types
    assert r.session.submit_password(Secret("wrong one"))
    assert r.snap.busy
    manual.run_due()
    assert r.snap.state is State.WAITING_FOR_PASSWORD
    assert r.snap.error_key == "password_invalid" and "password is wrong" in r.snap.text
    assert State.EXPIRED not in r.states()
    r.session.submit_password(Secret("correct horse"))
    manual.run_due()
    assert r.snap.state is State.CONNECTED
    assert all("correct horse" not in repr(s) and "wrong one" not in repr(s) for s in r.seen)


def test_empty_password_is_refused_before_sending(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan(password="pw")
    manual.advance(5)
    with pytest.raises(InputError, match="cannot be empty"):
        r.session.submit_password(Secret(""))
    assert "telegram_login:password" not in server.names()


def test_cancel_stops_polling_and_nothing_is_sent_after(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    manual.advance(10)
    sent = len(server.calls)
    r.session.cancel()
    assert r.snap.state is State.CANCELLED and r.snap.actions == {"restart"}
    manual.advance(120)
    assert len(server.calls) == sent
    assert manual.pending() == []


def test_cancel_while_a_poll_is_in_flight_ignores_its_answer(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan()  # the answer in flight would say "authenticated"
    server.during = r.session.cancel
    manual.advance(5)
    assert r.snap.state is State.CANCELLED
    manual.advance(60)
    assert "create:telegram" not in server.names()
    assert server.names()[-1] == "telegram_login:poll"


def test_session_lifetime_ends_in_expired_and_restart(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    assert r.snap.session_seconds_left == 600
    manual.advance(599)
    assert r.snap.state is State.WAITING_FOR_QR and r.snap.session_seconds_left == 1
    sent = len(server.calls)
    manual.advance(1)
    assert r.snap.state is State.EXPIRED and "Start again" in r.snap.text
    assert r.snap.actions == {"restart"} and r.snap.qr is None
    manual.advance(60)
    assert len(server.calls) == sent
    r.session.restart()
    manual.run_due()
    assert r.snap.state is State.WAITING_FOR_QR and server.names()[-1].startswith("telegram_init")


def test_404_on_poll_means_expired(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.fail = [SessionExpired()]
    manual.advance(5)
    assert r.snap.state is State.EXPIRED and r.snap.error_key == "session_expired"


def test_404_on_password_means_expired_not_wrong(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan(password="pw")
    manual.advance(5)
    server.fail = [SessionExpired()]
    r.session.submit_password(Secret("pw"))
    manual.run_due()
    assert r.snap.state is State.EXPIRED


def test_transient_error_on_password_keeps_the_step(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan(password="pw")
    manual.advance(5)
    server.fail = [CannotConnect()]
    r.session.submit_password(Secret("pw"))
    manual.run_due()
    assert r.snap.state is State.WAITING_FOR_PASSWORD and r.snap.error_key == "cannot_connect"
    r.session.submit_password(Secret("pw"))
    manual.run_due()
    assert r.snap.state is State.CONNECTED


def test_reauthorisation_creates_no_new_connection(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server), connection_id=42), fake_clock, manual).start()
    assert server.names()[0] == "telegram_init:qr:None:42"
    server.scan()
    manual.advance(5)
    assert r.snap.state is State.CONNECTED
    assert not any(n.startswith("create:") for n in server.names())
    assert r.snap.result.id == 42 and "Re-authorised" in r.snap.text


def test_fatal_error_fails_then_a_retry_succeeds(fake_clock, manual, server) -> None:
    r = run(TelegramQrDriver(client(server)), fake_clock, manual).start()
    server.scan()  # the poll passes; the create gets 402
    orig = server.create_connection

    def create_402(*a: Any, **k: Any) -> Connection:
        server.create_connection = orig  # type: ignore[method-assign]
        raise SubscriptionRequired()

    server.create_connection = create_402  # type: ignore[method-assign]
    manual.advance(5)
    assert r.snap.state is State.FAILED and r.snap.error_key == "subscription_required"
    assert "paid subscription" in r.snap.text and r.snap.actions == {"restart"}
    server.status = "waiting_for_qr"
    r.session.restart()
    manual.run_due()
    server.scan()
    manual.advance(5)
    assert r.snap.state is State.CONNECTED


def test_a_server_going_backwards_is_a_clear_failure(fake_clock, manual, server) -> None:
    class Backwards(TelegramCodeDriver):
        def submit_code(self, code: Secret) -> Step:
            return Step(State.WAITING_FOR_QR, qr="tg://login?token=x")

    r = run(Backwards(client(server), "+442079460958"), fake_clock, manual).start()
    r.session.submit_code(Secret("12345"))
    manual.run_due()
    assert r.snap.state is State.FAILED and "does not expect" in r.snap.text


# ---- Telegram and MAX by code ------------------------------------------------------------


@pytest.mark.parametrize("phone", ["", "79991234567", "+0123456789", "+12", "+4420794609581234"])
def test_phone_must_be_e164(server, phone: str) -> None:
    with pytest.raises(InputError):
        TelegramCodeDriver(client(server), phone)
    assert server.calls == []


def test_phone_is_normalised(server) -> None:
    assert TelegramCodeDriver(client(server), " +44 (20) 7946-0958 ").phone == "+442079460958"
    assert MaxCodeDriver(client(server), "007 999 123 45 67").phone == "+79991234567"


def test_telegram_code_wrong_then_right_then_password(fake_clock, manual, server) -> None:
    server.password = "pw"
    r = run(TelegramCodeDriver(client(server), "+442079460958"), fake_clock, manual).start()
    assert server.names() == ["telegram_init:code:+442079460958:None"]
    assert r.snap.state is State.WAITING_FOR_CODE and r.snap.actions == {"submit_code", "cancel"}
    manual.advance(30)
    assert len(server.calls) == 1  # nothing to poll while waiting for the code
    with pytest.raises(InputError):
        r.session.submit_code(Secret("12a45"))
    r.session.submit_code(Secret("11111"))
    manual.run_due()
    assert r.snap.state is State.WAITING_FOR_CODE and r.snap.error_key == "code_invalid"
    r.session.submit_code(Secret("12 345"))
    manual.run_due()
    assert r.snap.state is State.WAITING_FOR_PASSWORD
    r.session.submit_password(Secret("pw"))
    manual.run_due()
    assert r.snap.state is State.CONNECTED and r.snap.result.type == "telegram"


def test_max_by_code(fake_clock, manual, server) -> None:
    r = run(MaxCodeDriver(client(server), "+79991234567", name="MAX"), fake_clock, manual).start()
    assert r.snap.state is State.WAITING_FOR_CODE
    assert r.session.submit_password(Secret("x")) is False  # not the step for it
    r.session.submit_code(Secret("00000"))
    manual.run_due()
    assert r.snap.error_key == "code_invalid"
    r.session.submit_code(Secret("12345"))
    manual.run_due()
    assert r.snap.state is State.CONNECTED and r.snap.result.type == "max_personal"


def test_max_reauthorisation(fake_clock, manual, server) -> None:
    r = run(MaxCodeDriver(client(server), "+79991234567", connection_id=7), fake_clock, manual)
    r.start()
    r.session.submit_code(Secret("12345"))
    manual.run_due()
    assert r.snap.state is State.CONNECTED
    assert server.names()[0] == "max_init:+79991234567:7"
    assert not any(n.startswith("create:") for n in server.names())


# ---- WhatsApp, bot token, Odnoklassniki --------------------------------------------------


def test_whatsapp_qr_refresh_until_authorized(fake_clock, manual, server) -> None:
    r = run(WhatsAppDriver(client(server)), fake_clock, manual).start()
    assert server.names() == ["create:whatsapp", "wa_status:1"]
    assert r.snap.state is State.WAITING_FOR_QR and r.snap.qr == "WA0"
    manual.advance(25)
    server.rotate()
    manual.advance(5)
    assert r.snap.qr == "WA1"
    server.wa_status = "loading"
    manual.advance(5)
    assert r.snap.state is State.LOADING and r.snap.qr is None and "loading" in r.snap.text
    server.wa_status = "authorized"
    manual.advance(5)
    assert r.snap.state is State.CONNECTED and r.snap.result.id == 1
    assert server.names().count("create:whatsapp") == 1


def test_whatsapp_restart_does_not_create_twice(fake_clock, manual, server) -> None:
    r = run(WhatsAppDriver(client(server)), fake_clock, manual).start()
    r.session.cancel()
    r.session.restart()
    manual.run_due()
    assert server.names().count("create:whatsapp") == 1
    assert r.snap.state is State.WAITING_FOR_QR


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("", "Paste"),
        ("no colon here", "not a bot token"),
        ("abc:" + "A" * 35, "number"),
        ("123:", "empty"),
        ("123:" + "A" * 34 + "!", "cannot have"),
    ],
)
def test_bot_token_form_checked_before_sending(server, token: str, says: str) -> None:
    with pytest.raises(InputError, match=says) as info:
        TelegramBotDriver(client(server), Secret(token))
    assert server.calls == []
    if len(token) > 8:
        assert token not in str(info.value)


def test_bot_token_connection(fake_clock, manual, server) -> None:
    r = run(TelegramBotDriver(client(server), Secret(f" {BOT_TOKEN}\n")), fake_clock, manual)
    r.start()
    assert r.snap.state is State.CONNECTED
    conn = r.snap.result
    assert conn.type == "telegram_bot" and conn.params["token"].reveal() == BOT_TOKEN
    assert BOT_TOKEN not in repr(r.seen)


def test_odnoklassniki_create_and_change_key(fake_clock, manual, server) -> None:
    with pytest.raises(InputError):
        OdnoklassnikiDriver(client(server), Secret("has space"))
    r = run(OdnoklassnikiDriver(client(server), Secret("okkey123")), fake_clock, manual).start()
    assert r.snap.state is State.CONNECTED and server.names() == ["create:odnoklassniki"]
    r2 = run(
        OdnoklassnikiDriver(client(server), Secret("newkey456"), connection_id=1),
        fake_clock,
        manual,
    ).start()
    assert r2.snap.state is State.CONNECTED and server.names()[-1] == "patch:1"
    assert "changed" in r2.snap.text


def test_one_shot_flow_failure_then_success(fake_clock, manual, server) -> None:
    server.fail = [SubscriptionRequired()]
    r = run(TelegramBotDriver(client(server), Secret(BOT_TOKEN)), fake_clock, manual).start()
    assert r.snap.state is State.FAILED and r.snap.error_key == "subscription_required"
    r.session.restart()
    manual.run_due()
    assert r.snap.state is State.CONNECTED


def test_observer_errors_do_not_break_the_session(fake_clock, manual, server) -> None:
    session = LoginSession(TelegramQrDriver(client(server)), clock=fake_clock, scheduler=manual)

    def broken(_: Snapshot) -> None:
        raise RuntimeError("boom")

    session.subscribe(broken)
    seen: list[State] = []
    unsubscribe = session.subscribe(lambda s: seen.append(s.state))
    session.start()
    manual.run_due()
    assert seen[-1] is State.WAITING_FOR_QR
    unsubscribe()
    session.cancel()
    assert seen[-1] is State.WAITING_FOR_QR and session.state is State.CANCELLED
