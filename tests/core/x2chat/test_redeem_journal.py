"""The redeem flow writes its intent to the journal before the request leaves and follows it to
the end (issue 17 item 4); a token this computer already sent is named at once, without a
request (issue 12). Against the sandbox over 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers import MemoryStore

from x2desk.core.clock import FakeClock
from x2desk.core.errors import StoreError
from x2desk.core.store.audit import audit
from x2desk.core.store.journal import Journal, open_journal
from x2desk.core.store.records import open_records
from x2desk.core.x2chat.client import X2ChatClient
from x2desk.core.x2chat.flow import RedeemFlow, Step
from x2desk.core.x2chat.redeem_journal import RedeemJournal
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"


def redeems(phone: SandboxPhone) -> int:
    return sum(1 for r in phone.requests() if r["path"] == REDEEM)


def intents() -> list[tuple[str, str | None]]:
    with open_journal() as journal:
        rows = journal._select("", ())
    return [(i.state, i.note) for i in rows]


def unfinished_findings() -> list[str]:
    with open_journal() as journal, open_records() as records:
        return [f.summary for f in audit(journal, records, None).findings]


def test_a_finished_redeem_leaves_a_done_intent_and_no_finding(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    flow.submit(phone.issue_token()["deep_link"])
    assert flow.redeem().step is Step.CHECKING
    assert intents() == [("done", None)]
    assert unfinished_findings() == []


def test_an_answer_lost_after_the_commit_stays_unfinished_and_is_reported(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    flow = make_flow(confirm_rotation=False)
    flow.submit(issued["token"])
    phone.fault(REDEEM, "drop_after_commit")
    state = flow.redeem()
    assert state.failure is not None and state.failure.token_may_be_spent
    assert intents() == [("sent", None)]
    (finding,) = unfinished_findings()
    assert "got no answer" in finding
    # Scanned again: named at once, no second request.
    flow.scan_again()
    sent = redeems(phone)
    intake = flow.submit(issued["deep_link"])
    assert intake.kind == "used_here" and intake.token is None
    assert "already sent to X2Chat from this computer at" in intake.explanation
    assert flow.state.step is Step.INTAKE and redeems(phone) == sent


def test_a_token_used_here_names_the_time_and_the_bot(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    first = make_flow(confirm_rotation=False)
    first.submit(issued["token"])
    assert first.redeem().step is Step.CHECKING
    username = phone.state()["bots"][issued["bot_id"]]["username"]
    again = make_flow(confirm_rotation=True)
    sent = redeems(phone)
    intake = again.submit(issued["deep_link"])
    assert "already used on this computer at" in intake.explanation
    assert f"for @{username}" in intake.explanation
    assert again.state.step is Step.INTAKE  # not the rotation warning
    assert redeems(phone) == sent
    # another token for the same bot is not held up
    assert again.submit(phone.issue_token(bot_id=issued["bot_id"])["token"]).ok


def test_a_refused_token_is_named_but_one_not_sent_is_not(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone, tmp_path: Path
) -> None:
    spent = phone.issue_token()
    elsewhere = RedeemJournal(open_journal=lambda: open_journal(tmp_path / "other.sqlite3"))
    other = make_flow(confirm_rotation=False, journal=elsewhere)  # another computer spends it
    other.submit(spent["token"])
    assert other.redeem().step is Step.CHECKING
    flow = make_flow(confirm_rotation=False)  # gets 410 from X2Chat: abandoned, with why
    flow.submit(spent["token"])
    assert flow.redeem().failure is not None
    assert intents() == [("abandoned", "token_spent")]
    flow.scan_again()
    assert "already used or has expired" in flow.submit(spent["token"]).explanation
    # a rate-limited one stays usable
    fresh = phone.issue_token()
    flow.submit(fresh["token"])
    phone.fault(REDEEM, "status", 429)
    assert flow.redeem().failure is not None
    flow.scan_again()
    assert flow.submit(fresh["token"]).ok


def test_no_connection_abandons_and_a_retry_writes_a_new_intent(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    flow = make_flow(confirm_rotation=False)
    flow.submit(phone.issue_token()["token"])
    phone.fault(REDEEM, "status", 503)  # a 5xx: maybe spent, the intent stays
    assert flow.redeem().failure is not None
    assert intents() == [("sent", None)]
    assert flow.retry()
    assert flow.redeem().step is Step.CHECKING
    assert intents() == [("done", None)]  # the retry went on with the same intent
    assert unfinished_findings() == []


def test_cannot_connect_abandons_the_intent(
    client: X2ChatClient, sandbox: SandboxServer, phone: SandboxPhone, fake_clock: FakeClock
) -> None:
    token = phone.issue_token()["token"]
    with X2ChatClient("http://127.0.0.1:9/api/v1") as closed:
        flow = RedeemFlow(closed, clock=fake_clock, confirm_rotation=False)
        flow.submit(token)
        state = flow.redeem()
    assert state.failure is not None and state.failure.recovery == "retry"
    assert intents() == [("abandoned", "cannot_connect")]
    assert unfinished_findings() == []


def test_a_journal_that_cannot_be_written_sends_nothing(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    def broken() -> Journal:
        raise StoreError("The journal is on a full disk.")

    flow = make_flow(confirm_rotation=False, journal=RedeemJournal(open_journal=broken))
    flow.submit(phone.issue_token()["token"])
    state = flow.redeem()
    assert state.step is Step.FAILED and state.failure is not None
    assert state.failure.recovery == "retry" and not state.failure.token_may_be_spent
    assert "full disk" in state.failure.message
    assert redeems(phone) == 0


def test_credentials_that_could_not_be_stored_leave_an_answered_intent(
    make_flow: Callable[..., RedeemFlow], phone: SandboxPhone
) -> None:
    issued = phone.issue_token()
    store = MemoryStore(failures=1)
    flow = make_flow(confirm_rotation=False, open_store=lambda: store)
    flow.submit(issued["token"])
    assert flow.redeem().step is Step.STORE_FAILED
    assert intents() == [("answered", None)]
    (finding,) = unfinished_findings()
    assert "handed over bot" in finding
    assert flow.retry_store().step is Step.CHECKING  # the store works again
    assert intents() == [("done", None)] and unfinished_findings() == []
