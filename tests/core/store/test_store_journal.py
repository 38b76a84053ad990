"""The journal of requests on the wire and the audit that reads it with the records and the
credential store (issue 17, item 4 and "A journal for what is on the wire")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from x2desk.core.clock import FakeClock
from x2desk.core.errors import NotFound, StoreError
from x2desk.core.secret import Secret
from x2desk.core.store import EncryptedFileStore, KeyringStore, open_records
from x2desk.core.store.audit import audit
from x2desk.core.store.journal import RETENTION_S, Journal, open_journal, token_hash

TOKEN = "fc6e2368-b677-430d-9f2f-295ce705c9d0"
BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"


@pytest.fixture
def journal(fake_clock: FakeClock) -> Iterator[Journal]:
    with open_journal(clock=fake_clock) as j:
        yield j


def test_an_intent_holds_a_hash_of_the_token_never_the_token(
    journal: Journal, x2desk_home: Path
) -> None:
    api = "https://ix.x2chat.com/api/v1"
    intent = journal.begin("x2chat_bot", "redeem", origin=api, token=TOKEN)
    entry = journal.get(intent)
    assert entry.state == "sent" and entry.kind == "x2chat_bot" and entry.action == "redeem"
    assert entry.token_sha256 == token_hash(TOKEN) == token_hash(Secret(TOKEN.upper()))
    assert TOKEN not in entry.token_sha256
    for path in x2desk_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert TOKEN.encode() not in data and TOKEN.replace("-", "").encode() not in data
    assert [i.id for i in journal.for_token(TOKEN)] == [intent]


def test_an_intent_moves_to_done_and_leaves_the_unfinished_list(journal: Journal) -> None:
    intent = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    assert [i.id for i in journal.unfinished()] == [intent]
    journal.answered(intent, 1234)
    journal.saved(intent, "x2chat_bot:1234")
    entry = journal.get(intent)
    assert (entry.state, entry.external_id, entry.secret_ref) == (
        "saved",
        "1234",
        "x2chat_bot:1234",
    )
    journal.complete(intent)
    assert journal.unfinished() == [] and journal.get(intent).state == "done"


def test_abandon_keeps_a_scrubbed_note(journal: Journal) -> None:
    intent = journal.begin("whatsapp", "create")
    journal.abandon(intent, f"refused, token {BOT_TOKEN}")
    entry = journal.get(intent)
    assert entry.state == "abandoned" and entry.note and BOT_TOKEN not in entry.note
    assert journal.unfinished() == []


def test_unknown_ids_and_actions_are_refused(journal: Journal) -> None:
    with pytest.raises(NotFound):
        journal.complete(999)
    with pytest.raises(ValueError, match="unknown action"):
        journal.begin("x2chat_bot", "login")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        journal.begin("no_such_flow", "create")


def test_finished_intents_are_pruned_after_the_retention(
    journal: Journal, fake_clock: FakeClock
) -> None:
    old = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    journal.complete(old)
    stuck = journal.begin("whatsapp", "create")
    fake_clock.advance(RETENTION_S + 1)
    journal.begin("whatsapp", "create")
    with pytest.raises(NotFound):
        journal.get(old)
    assert journal.get(stuck).state == "sent"  # an unfinished one is never pruned


def test_an_intent_survives_a_kill_right_after_begin(x2desk_home: Path) -> None:
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                """
                import sys
                from x2desk.core.store.journal import open_journal
                journal = open_journal()
                print(journal.begin("x2chat_bot", "redeem", token=sys.argv[1]), flush=True)
                sys.stdin.readline()  # "the request is on the wire": killed here
                """
            ),
            TOKEN,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, X2DESK_HOME=str(x2desk_home)),
    )
    assert child.stdout is not None
    intent = int(child.stdout.readline())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with open_journal() as journal:
        (left,) = journal.unfinished()
    assert left.id == intent and left.token_sha256 == token_hash(TOKEN)


# ---- the audit ---------------------------------------------------------------------------------


def test_audit_reports_each_problem_with_what_to_do(journal: Journal) -> None:
    store = KeyringStore()
    lost = journal.begin("x2chat_bot", "redeem", token=TOKEN)  # killed before the answer
    handed = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    journal.answered(handed, 77)  # answered, killed before saving
    orphan = journal.begin("whatsapp", "create")
    journal.answered(orphan, 5)  # created at the provider, never recorded
    unknown = journal.begin("telegram_bot", "create")  # create sent, no answer
    half = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    journal.answered(half, 88)
    store.save("x2chat_bot:88", Secret(BOT_TOKEN))
    journal.saved(half, "x2chat_bot:88")  # saved, killed before the record
    with open_records() as records:
        gone = records.upsert("greenapi", 1101000001, secret_ref="greenapi:1101000001")
        result = audit(journal, records, store)
    assert result.secrets_checked
    assert result.counts() == {
        "unfinished": 4,
        "secret_without_record": 1,
        "record_without_secret": 1,
    }
    by_intent = {f.intent_id: f for f in result.findings}
    assert "new integration QR" in by_intent[lost].advice
    assert "bot 77" in by_intent[handed].summary
    assert "connection 5" in by_intent[orphan].summary and "Attach" in by_intent[orphan].advice
    assert "provider's list" in by_intent[unknown].advice
    assert by_intent[half].problem == "secret_without_record"
    assert by_intent[half].secret_ref == "x2chat_bot:88"
    (missing,) = [f for f in result.findings if f.problem == "record_without_secret"]
    assert missing.record_id == gone.id and f"x2desk forget {gone.id}" in missing.advice
    assert "Pair the Green-API instance again" in missing.advice
    for finding in result.findings:
        assert BOT_TOKEN not in repr(finding.to_json()) and TOKEN not in repr(finding.to_json())


def test_finished_or_recorded_intents_are_not_findings(journal: Journal) -> None:
    store = KeyringStore()
    done = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    journal.answered(done, 1)
    journal.complete(done)
    late = journal.begin("x2chat_bot", "redeem", token=TOKEN)
    journal.answered(late, 2)
    journal.saved(late, "x2chat_bot:2")  # the record was written, only complete() was missed
    store.save("x2chat_bot:2", Secret(BOT_TOKEN))
    with open_records() as records:
        records.upsert("x2chat_bot", 2, secret_ref="x2chat_bot:2")
        assert audit(journal, records, store).findings == []


def test_a_listing_store_reports_secrets_no_record_points_at(
    journal: Journal, tmp_path: Path
) -> None:
    store = EncryptedFileStore(tmp_path / "c.x2k", Secret("tr0ub4dor&3-long"))
    store.save("x2chat_bot:9", Secret(BOT_TOKEN))
    store.save("provider_api_key:https://api.example", Secret("k" * 30))  # not a connection
    with open_records() as records:
        (finding,) = audit(journal, records, store).findings
    assert finding.problem == "secret_without_record" and finding.secret_ref == "x2chat_bot:9"


def test_without_a_store_only_the_journal_is_read(journal: Journal) -> None:
    journal.begin("x2chat_bot", "redeem", token=TOKEN)

    class Locked:
        description = "locked"

        def load(self, ref: str) -> Secret | None:
            raise StoreError("the system keyring is locked")

        def save(self, ref: str, secret: Secret) -> None: ...

        def delete(self, ref: str) -> None: ...

    with open_records() as records:
        records.upsert("x2chat_bot", 3, secret_ref="x2chat_bot:3")
        unlocked = audit(journal, records, None)
        failed = audit(journal, records, Locked())
    for result in (unlocked, failed):
        assert not result.secrets_checked
        assert result.counts()["unfinished"] == 1
        assert result.counts()["record_without_secret"] == 0
