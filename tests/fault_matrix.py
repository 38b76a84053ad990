"""The fault matrix (issue 17, "Proof that stays"): every endpoint x2desk calls, crossed with
every way a server fails, each case run through x2desk's own client against the sandbox over
loopback. Shared by ``tests/core/test_fault_matrix.py`` and ``bench/redteam.py``.

A case: make what the call needs (outside the fault), inject one fault for the call's path, make
the call, and check that x2desk raised the one error that fault means (with the capped
Retry-After), sent exactly one request (a client never retries by itself), finished within the
deadline, and said no secret. ``drop_after_commit`` rows (the redeem, a create) also check the
server did commit and that the journal kept the request for the next start.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from x2desk.core.errors import (
    MAX_RETRY_AFTER_S,
    AnswerLost,
    BadAnswer,
    RateLimited,
    ServerError,
    X2DeskError,
)
from x2desk.core.secret import Secret

DEADLINE_S = 0.1  # the overall deadline the latency rows run under
LATENCY_S = 0.3  # the sandbox's delay: well past it
HUGE_RETRY_AFTER = 99_999_999
# The sandbox's own limits, raised: a matrix issues and redeems far more than a person would.
LIMITS: dict[str, Any] = {
    "issue_per_hour": 1_000_000,
    "redeem_per_hour": 1_000_000,
    "greenapi_per_second": 1_000_000,
}


@dataclass(frozen=True)
class Fault:
    name: str
    kind: str
    value: float | None = None
    retry_after: float | None = None
    no_retry_after: bool = False  # a 429 without any Retry-After

    def spec(self, path: str) -> dict[str, Any]:
        spec: dict[str, Any] = {"path_prefix": path, "kind": self.kind, "times": 1}
        if self.value is not None:
            spec["value"] = self.value
        if self.retry_after is not None:
            spec["retry_after"] = self.retry_after
        if self.no_retry_after:
            spec["retry_after"] = None
        return spec


FAULTS: tuple[Fault, ...] = (
    Fault("500", "status", 500),
    Fault("502", "status", 502),
    Fault("503", "status", 503),
    Fault("429", "status", 429, no_retry_after=True),
    Fault("429+retry-after", "status", 429, retry_after=7),
    Fault("429+huge-retry-after", "status", 429, retry_after=HUGE_RETRY_AFTER),
    Fault("drop", "drop"),
    Fault("malformed", "malformed"),
    Fault("latency", "latency", LATENCY_S),
)
COMMIT = Fault("drop_after_commit", "drop_after_commit")


def expected(fault: Fault) -> tuple[type[X2DeskError], float | None]:
    """The error a fault must become, and the Retry-After x2desk must keep (capped)."""
    if fault.kind == "status" and fault.value == 429:
        if fault.no_retry_after:
            return RateLimited, None
        return RateLimited, min(float(fault.retry_after or 0), MAX_RETRY_AFTER_S)
    if fault.kind == "status":
        return ServerError, None
    if fault.kind == "malformed":
        return BadAnswer, None
    return AnswerLost, None  # drop, latency past the deadline, drop after the commit


# ---- the world the calls run in ----------------------------------------------------------------


class World:
    """The sandbox's clients as x2desk makes them, and what the calls need (made lazily). One
    world may serve many cases (its sandbox keeps running; each case injects its own fault)."""

    def __init__(self, sandbox: Any, phone: Any, clock: Any) -> None:
        self.sandbox, self.phone, self.clock = sandbox, phone, clock
        self.url = sandbox.url
        self._closers: list[Callable[[], None]] = []
        self._cache: dict[str, Any] = {}

    def close(self) -> None:
        for close in reversed(self._closers):
            close()

    def _once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    @property
    def x2chat(self) -> Any:
        from x2desk.core.x2chat.client import X2ChatClient

        def make() -> Any:
            client = X2ChatClient(f"{self.url}/api/v1")
            self._closers.append(client.close)
            return client

        return self._once("x2chat", make)

    def bot(self) -> tuple[Secret, int]:
        """A redeemed bot: its token and chat."""

        def make() -> tuple[Secret, int]:
            issued = self.phone.issue_token()
            redeemed = self.x2chat.redeem(issued["token"])
            return redeemed.bot_token, int(issued["chat_id"])

        return self._once("bot", make)  # type: ignore[no-any-return]

    def provider(self, company: bool = True) -> Any:
        from x2desk.core.accounts.client import ConnectionsClient

        key = self._once("key", lambda: Secret(self.phone.provider_key()))
        client = ConnectionsClient(f"{self.url}/v2", key, wall_time=self.clock.time)
        self._closers.append(client.close)
        if company:
            client.resolve_company()  # outside the fault: the calls below are under it
        return client

    def green(self) -> Any:
        from x2desk.core.greenapi.client import GreenApiClient

        def make() -> Any:
            instance = self.phone.greenapi_instance()
            token = Secret(instance["apiTokenInstance"])
            client = GreenApiClient(self.url, instance["idInstance"], token)
            self._closers.append(client.close)
            return client

        return self._once("green", make)

    def secrets(self) -> set[str]:
        """Every secret the sandbox issued or was given so far (none may be said)."""
        return issued_secrets(self.sandbox)

    def inject(self, fault: Fault, path: str) -> None:
        httpx.delete(f"{self.url}/_sandbox/faults", timeout=5)  # none left from an earlier case
        response = httpx.post(f"{self.url}/_sandbox/faults", json=fault.spec(path), timeout=5)
        response.raise_for_status()

    def forget_requests(self) -> None:
        """Empty the sandbox's request log (each case counts its own requests)."""
        with self.sandbox.sim.lock:
            self.sandbox.sim.requests.clear()

    def requests(self, pattern: str) -> int:
        from x2desk.sandbox.faults import matches

        with self.sandbox.sim.lock:
            paths = [r["path"] for r in self.sandbox.sim.requests]
        return sum(1 for path in paths if matches(path, pattern))


class MemoryStore:
    """A credential store in memory (the matrix is about the wire, not the keyring)."""

    description = "memory"

    def __init__(self) -> None:
        self.items: dict[str, Secret] = {}

    def save(self, ref: str, secret: Secret) -> None:
        self.items[ref] = secret

    def load(self, ref: str) -> Secret | None:
        return self.items.get(ref)

    def delete(self, ref: str) -> None:
        self.items.pop(ref, None)


def issued_secrets(sandbox: Any) -> set[str]:
    """Bot tokens (and their secret halves), integration tokens, provider keys, Green-API
    instance tokens, login codes and passwords the sandbox knows of (6 characters or more)."""
    sim = sandbox.sim
    found: set[str] = set()
    with sim.lock:
        for bot in sim.bots.values():
            found |= {bot.token, bot.token.split(":")[1]}
        found |= set(sim.tokens) | set(sim.keys)
        found |= {instance.api_token for instance in sim.instances.values()}
        for session in sim.sessions.values():
            found |= {v for v in (session.code, session.password) if v}
        for connection in sim.connections.values():
            found |= {str(v) for k, v in connection.params.items() if k in ("token", "api_key")}
    return {s for s in found if len(s) >= 6}


# ---- the endpoints -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    service: str  # x2chat | provider | greenapi
    path: str  # the fault's path prefix (``*``: one segment)
    prepare: Callable[[World], Callable[[], Any]]  # makes what the call needs; the call
    # drop_after_commit rows: the call through the flow that journals it, and how to tell the
    # server did commit (the token spent, the connection made)
    commit: Callable[[World], tuple[Callable[[], Any], Callable[[], bool]]] | None = None


def _code() -> Secret:
    return Secret("12345")


def _x2chat() -> list[Endpoint]:
    def redeem(w: World) -> Callable[[], Any]:
        token = w.phone.issue_token()["token"]
        return lambda: w.x2chat.redeem(token)

    def redeem_flow(w: World) -> tuple[Callable[[], Any], Callable[[], bool]]:
        from x2desk.core.x2chat.flow import RedeemFlow

        token = w.phone.issue_token()["token"]
        flow = RedeemFlow(w.x2chat, confirm_rotation=False, open_store=MemoryStore)
        flow.submit(token)

        def run() -> None:
            state = flow.redeem()
            if state.failure is not None:
                if not state.failure.token_may_be_spent:
                    raise AssertionError("the flow does not say the token may be spent")
                raise state.failure.error

        return run, lambda: w.phone.state()["tokens"][token]["redeemed_at"] is not None

    def bot_call(method: str) -> Callable[[World], Callable[[], Any]]:
        def prepare(w: World) -> Callable[[], Any]:
            token, chat = w.bot()
            if method == "getMe":
                return lambda: w.x2chat.get_me(token)
            if method == "getWebhookInfo":
                return lambda: w.x2chat.get_webhook_info(token)
            return lambda: w.x2chat.send_message(token, chat, "fault matrix")

        return prepare

    base = "/api/v1"
    return [
        Endpoint("redeem", "x2chat", f"{base}/integrations/redeem", redeem, redeem_flow),
        Endpoint("getMe", "x2chat", f"{base}/bot*/getMe", bot_call("getMe")),
        Endpoint(
            "getWebhookInfo", "x2chat", f"{base}/bot*/getWebhookInfo", bot_call("getWebhookInfo")
        ),
        Endpoint("sendMessage", "x2chat", f"{base}/bot*/sendMessage", bot_call("sendMessage")),
    ]


def _provider() -> list[Endpoint]:
    company = "/v2/companies/*"

    def call(fn: Callable[[Any], Any], company_known: bool = True) -> Callable[[World], Any]:
        def prepare(w: World) -> Callable[[], Any]:
            client = w.provider(company_known)
            return lambda: fn(client)

        return prepare

    def bot_token() -> Secret:
        return Secret(f"{int(time.time() * 1000) % 10**9}:" + "Fm" * 17 + "x")

    def create(w: World) -> Callable[[], Any]:
        client, token = w.provider(), bot_token()
        return lambda: client.create_connection("Matrix", "telegram_bot", {"token": token})

    def create_journalled(w: World) -> tuple[Callable[[], Any], Callable[[], bool]]:
        from x2desk.core.accounts.creating import create_recorded

        client, token = w.provider(), bot_token()
        made = len(w.phone.state()["connections"])

        def run() -> Any:
            return create_recorded(
                client, "telegram_bot", "Matrix", "telegram_bot", {"token": token}
            )

        return run, lambda: len(w.phone.state()["connections"]) == made + 1

    login, conns = f"{company}/telegram/login", f"{company}/connections/"
    return [
        Endpoint("companies", "provider", "/v2/companies/", call(lambda c: c.companies(), False)),
        Endpoint(
            "telegram init", "provider", f"{company}/telegram/init",
            call(lambda c: c.telegram_init("qr")),
        ),
        Endpoint("telegram poll", "provider", login, call(lambda c: c.telegram_login("s-1"))),
        Endpoint(
            "telegram code", "provider", login,
            call(lambda c: c.telegram_login("s-1", code=_code())),
        ),
        Endpoint(
            "telegram password", "provider", login,
            call(lambda c: c.telegram_login("s-1", password=Secret("pw-matrix-1"))),
        ),
        Endpoint(
            "max init", "provider", f"{company}/max_personal/init",
            call(lambda c: c.max_init("+79991234567")),
        ),
        Endpoint(
            "max code", "provider", f"{company}/max_personal/login",
            call(lambda c: c.max_login("s-1", _code())),
        ),
        Endpoint("connections list", "provider", conns, call(lambda c: c.list_connections())),
        Endpoint("connection", "provider", f"{conns}1", call(lambda c: c.get_connection(1))),
        Endpoint("create connection", "provider", conns, create, create_journalled),
        Endpoint(
            "change key", "provider", f"{conns}1",
            call(lambda c: c.update_key(1, Secret("ok-key-matrix-1"))),
        ),
        Endpoint(
            "whatsapp status", "provider", f"{conns}1/whatsapp/status",
            call(lambda c: c.whatsapp_status(1)),
        ),
    ]  # fmt: skip


def _greenapi() -> list[Endpoint]:
    def call(method: str, fn: Callable[[Any], Any]) -> Endpoint:
        def prepare(w: World) -> Callable[[], Any]:
            client = w.green()
            return lambda: fn(client)

        return Endpoint(method, "greenapi", f"/waInstance*/{method}/", prepare)

    return [
        call("getStateInstance", lambda c: c.state()),
        call("qr", lambda c: c.qr()),
        call("startAuthorization", lambda c: c.start_authorization("+79991234567")),
        call("sendAuthorizationCode", lambda c: c.send_code(_code())),
        call("sendAuthorizationPassword", lambda c: c.send_password(Secret("pw-matrix-2"))),
        call("logout", lambda c: c.logout()),
    ]


ENDPOINTS: tuple[Endpoint, ...] = (*_x2chat(), *_provider(), *_greenapi())


def cases() -> Iterator[tuple[Endpoint, Fault]]:
    """Every (endpoint, fault) row: all faults everywhere, drop_after_commit where a server
    commits."""
    for endpoint in ENDPOINTS:
        for fault in FAULTS:
            yield endpoint, fault
        if endpoint.commit is not None:
            yield endpoint, COMMIT


def case_id(case: tuple[Endpoint, Fault]) -> str:
    endpoint, fault = case
    return f"{endpoint.service}:{endpoint.name}:{fault.name}".replace(" ", "-")


# ---- running one case --------------------------------------------------------------------------


@contextmanager
def _deadline(fault: Fault) -> Iterator[None]:
    if fault.kind != "latency":
        yield
        return
    from x2desk.core.deadline import overall_deadline

    with overall_deadline(DEADLINE_S):
        yield


def run_case(world: World, endpoint: Endpoint, fault: Fault) -> list[str]:
    """Run one row; the list of what went wrong (empty: it passed)."""
    committed: Callable[[], bool] | None = None
    if fault is COMMIT:
        assert endpoint.commit is not None
        call, committed = endpoint.commit(world)
    else:
        call = endpoint.prepare(world)
    world.forget_requests()
    world.inject(fault, endpoint.path)
    started = time.monotonic()
    error: BaseException | None = None
    try:
        with _deadline(fault):
            call()
    except Exception as exc:  # anything but the expected error is a finding
        error = exc
    took = time.monotonic() - started
    problems = _check_error(error, fault)
    sent = _landed(world, endpoint.path, wait_s=LATENCY_S + 2 if fault.kind == "latency" else 0)
    if sent != 1:
        problems.append(f"{sent} requests reached the server, not 1")
    if fault.kind == "latency" and took > DEADLINE_S + 1.0:
        problems.append(f"took {took:.2f} s past a {DEADLINE_S} s deadline")
    problems += _check_said(world, error)
    if committed is not None:
        if not committed():
            problems.append("the server did not commit (the fault did not apply)")
        if not _journal_kept(endpoint):
            problems.append("the request that may have committed is not in the journal")
    return problems


def _landed(world: World, path: str, wait_s: float) -> int:
    """Requests the server logged for ``path`` in this case (a delayed one is logged once its
    delay is over: waited for, up to ``wait_s``)."""
    end = time.monotonic() + wait_s
    while True:
        sent = world.requests(path)
        if sent or time.monotonic() >= end:
            return sent
        time.sleep(0.02)


def _check_error(error: BaseException | None, fault: Fault) -> list[str]:
    kind, retry_after = expected(fault)
    if error is None:
        return ["no error was raised"]
    if not isinstance(error, kind):
        return [f"{type(error).__name__} ({error}) instead of {kind.__name__}"]
    if isinstance(error, RateLimited):
        if error.retry_after != retry_after:
            return [f"Retry-After {error.retry_after} kept, not {retry_after}"]
        if retry_after == MAX_RETRY_AFTER_S and str(int(MAX_RETRY_AFTER_S)) not in error.message:
            return [f"the capped wait is not said: {error.message!r}"]
    return []


def _check_said(world: World, error: BaseException | None) -> list[str]:
    if error is None:
        return []
    said = f"{error} {error!r} {getattr(error, 'message', '')}"
    if any(secret in said for secret in world.secrets()):
        return [f"a secret is in the error ({type(error).__name__})"]
    return []


def _journal_kept(endpoint: Endpoint) -> bool:
    """The next start reports it: the audit has an unfinished request of this action."""
    from x2desk.core.store.audit import audit
    from x2desk.core.store.journal import open_journal
    from x2desk.core.store.records import open_records

    action = "redeem" if endpoint.service == "x2chat" else "create"
    with open_journal() as journal, open_records() as records:
        findings = audit(journal, records, None).findings
        unfinished = {i.id: i.action for i in journal.unfinished()}
    return any(
        f.problem == "unfinished" and unfinished.get(f.intent_id or -1) == action for f in findings
    )
