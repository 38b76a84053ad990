"""Kill a real `x2desk redeem` at random moments around the server's commit (issue 17 item 4).

    python bench/kill.py --trials 100 --store file [--json]
    dbus-run-session -- tests/with-keyring.sh .venv/bin/python bench/kill.py --store keyring

Each trial issues a token for a new bot on an in-process sandbox, starts ``x2desk redeem TOKEN
--yes`` as its own process and holds the redeem inside the sandbox until the bench decides: it
kills the process (SIGKILL) a random time around the moment the server commits (spends the
token and rotates the bot's token): up to 15 ms before the commit (the request is on the
server, the answer will never be read), or 0-60 ms after it (the answer is on its way, the
process is saving it); one trial in ten is killed before its request even leaves. Then it looks:

- ``committed``: the server spent the token (the bot's old token is gone);
- ``ok``: the bot's current token is in the credential store and its record is written;
- ``lost``: committed, but the current token is not retrievable from the store;
- ``orphaned``: the token is in the store but no record points at it;
- ``reported``: the audit the next start runs (the CLI's note, the window, ``doctor``) names it
  (an unfinished request with this token's hash, or a secret without a record).

``lost_unnoticed`` (lost and not reported) and ``orphaned_unnoticed`` must be 0.
``integrity_ok``: after every trial the records and the journal pass SQLite's integrity check and
the credential store opens. The store is the system keyring (run it inside a Secret Service:
``tests/with-keyring.sh`` starts gnome-keyring in a private D-Bus session; the bench refuses to
run against any other keyring backend) or the encrypted file (made here once, at its real scrypt
cost; each process opens it with ``X2DESK_PASSPHRASE_FILE``). All trials share one data folder,
as one computer would. Prints a summary (``--json``: one JSON object).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "kill-bench passphrase 1"
BEFORE_MS = 15.0  # kills up to this long before the commit
AFTER_MS = 60.0  # ... and up to this long after it
EARLY = 0.1  # the share of trials killed before the request leaves
REDEEM_PATH = "/api/v1/integrations/redeem"
GATE_TIMEOUT_S = 60.0


@dataclass
class Trial:
    offset_ms: float | None  # kill time minus commit time; None: killed before the request
    committed: bool = False
    ok: bool = False
    lost: bool = False
    orphaned: bool = False
    reported: bool = False
    integrity_ok: bool = True
    exit_code: int | None = None


@dataclass
class Summary:
    trials: int
    store: str
    committed: int = 0
    ok: int = 0
    not_committed: int = 0
    lost_unnoticed: int = 0
    lost_reported: int = 0
    orphaned_unnoticed: int = 0
    orphaned_reported: int = 0
    finished_before_kill: int = 0
    killed_0_36_ms_after_commit: int = 0
    integrity_ok: bool = True
    cli_note_findings: int | None = None
    secrets_checked: int = 0  # every secret the sandbox issued, looked for in the data folder
    leaks: int = 0  # ... and in the processes' output: found (must be 0)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        unnoticed = self.lost_unnoticed + self.orphaned_unnoticed
        return unnoticed == 0 and self.integrity_ok and self.leaks == 0


class Gate:
    """Holds each redeem inside the sandbox until the bench lets it commit."""

    def __init__(self, sandbox: Any) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.committed = threading.Event()
        self.commit_at = 0.0
        inner = sandbox.dispatch

        def gated(req: Any) -> Any:
            if req.path != REDEEM_PATH:
                return inner(req)
            self.arrived.set()
            self.release.wait(GATE_TIMEOUT_S)
            response = inner(req)  # the commit: the token is spent, the bot's token rotated
            self.commit_at = time.monotonic()
            self.committed.set()
            return response

        sandbox.dispatch = gated

    def reset(self) -> None:
        self.arrived.clear()
        self.release.clear()
        self.committed.clear()


class Bench:
    def __init__(self, store: str, home: Path) -> None:
        from x2desk.sandbox.server import SandboxServer

        self.store_kind = store
        self.home = home
        self.outputs = home.parent / "outputs"  # what each process printed
        limits = {"issue_per_hour": 10**6, "redeem_per_hour": 10**6}
        self.sandbox = SandboxServer(**limits).start()
        self.gate = Gate(self.sandbox)
        self.env = dict(os.environ, X2DESK_HOME=str(home), X2DESK_API_BASE=self.api)
        self.env.pop("X2DESK_PASSPHRASE_FILE", None)
        self.store = self._make_store()

    @property
    def api(self) -> str:
        return f"{self.sandbox.url}/api/v1"

    def close(self) -> None:
        self.gate.release.set()
        self.sandbox.stop()

    def _make_store(self) -> Any:
        from x2desk.core.secret import Secret

        if self.store_kind == "keyring":
            import keyring

            backend = type(keyring.get_keyring()).__module__
            if "SecretService" not in backend and "secretservice" not in backend.lower():
                raise SystemExit(
                    f"kill.py --store keyring needs the Secret Service (the keyring backend here "
                    f"is {backend}): run it as  dbus-run-session -- tests/with-keyring.sh "
                    ".venv/bin/python bench/kill.py --store keyring"
                )
            from x2desk.core.store.credentials import KeyringStore

            return KeyringStore()
        from x2desk.core.store.credentials import use_encrypted_file

        store = use_encrypted_file(Secret(PASSPHRASE))  # the settings now choose it
        secret_file = self.home / "passphrase.txt"
        secret_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
        secret_file.chmod(0o600)
        self.env["X2DESK_PASSPHRASE_FILE"] = str(secret_file)
        return store

    # ---- one trial ----

    def trial(self, rng: random.Random) -> Trial:
        from x2desk.sandbox.phone import SandboxPhone

        with SandboxPhone(self.sandbox.url) as phone:
            issued = phone.issue_token()
        self.gate.reset()
        early = rng.random() < EARLY
        offset = None if early else rng.uniform(-BEFORE_MS, AFTER_MS)
        argv = [sys.executable, "-m", "x2desk", "redeem", issued["token"], "--yes"]
        self.outputs.mkdir(exist_ok=True)
        output = open(self.outputs / f"trial-{len(list(self.outputs.iterdir()))}.log", "wb")  # noqa: SIM115
        child = subprocess.Popen(argv, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        result = Trial(offset)
        try:
            self._kill_when(child, offset, rng)
        finally:
            self.gate.release.set()  # a held redeem commits whatever happened to the process
            self.gate.committed.wait(5 if not early else 0.5)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            output.close()
        result.exit_code = child.returncode
        self._judge(result, issued)
        return result

    def leaks(self) -> tuple[int, int]:
        """(secrets the sandbox issued, how many were found in the data folder or output)."""
        from x2desk.sandbox.leaks import find_leaks, fingerprints, secrets_in_state

        prints = fingerprints(secrets_in_state(self.sandbox.sim.snapshot()))
        leaks, _files = find_leaks(prints, [self.home, self.outputs])
        return len(prints["secrets"]), len(leaks)

    def _kill_when(self, child: subprocess.Popen[bytes], offset: float | None, rng: Any) -> None:
        if offset is None:  # before the request leaves: somewhere in the process's start
            time.sleep(rng.uniform(0.05, 0.6))
            _kill(child)
            return
        if not self.gate.arrived.wait(GATE_TIMEOUT_S):
            raise RuntimeError("the redeem never reached the sandbox")
        if offset < 0:
            _kill(child)
            time.sleep(-offset / 1000)
            self.gate.release.set()
            return
        self.gate.release.set()
        self.gate.committed.wait(GATE_TIMEOUT_S)
        delay = self.gate.commit_at + offset / 1000 - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        _kill(child)

    def _judge(self, result: Trial, issued: dict[str, Any]) -> None:
        from x2desk.core.store.credentials import secret_ref

        bot_id = issued["bot_id"]
        with self.sandbox.sim.lock:
            token = self.sandbox.sim.tokens[issued["token"]]
            result.committed = token.redeemed_at is not None
            current = self.sandbox.sim.bots[bot_id].token
        ref = secret_ref("x2chat_bot", bot_id)
        saved = self.store.load(ref)
        stored = saved is not None and saved.reveal() == current
        recorded = self._recorded(bot_id)
        result.ok = stored and recorded
        if result.committed and not stored:
            result.lost = True
        elif stored and not recorded:
            result.orphaned = True
        result.reported = self._reported(issued["token"], bot_id, ref)
        result.integrity_ok = self._integrity()

    def _recorded(self, bot_id: str) -> bool:
        from x2desk.core.store.records import open_records

        with open_records() as records:
            record = records.find("x2chat_bot", bot_id)
        return record is not None and record.secret_ref is not None

    def _reported(self, token: str, bot_id: str, ref: str) -> bool:
        from x2desk.core.store.audit import audit
        from x2desk.core.store.journal import open_journal, token_hash
        from x2desk.core.store.records import open_records

        digest = token_hash(token)
        with open_journal() as journal, open_records() as records:
            findings = audit(journal, records, self.store).findings
            intents = {i.id: i for i in journal.unfinished()}
        for finding in findings:
            intent = intents.get(finding.intent_id or -1)
            if intent is not None and (
                intent.token_sha256 == digest or intent.external_id == bot_id
            ):
                return True
            if finding.secret_ref == ref:
                return True
        return False

    def _integrity(self) -> bool:
        import sqlite3

        from x2desk.core.store.settings import load_settings

        try:
            for name in ("records.sqlite3", "journal.sqlite3"):
                path = self.home / name
                if path.exists():
                    with sqlite3.connect(path) as db:
                        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                            return False
            load_settings()
            if self.store_kind == "file":
                self.store.refs()  # the file still opens and decrypts with the key
        except Exception:
            return False
        return True


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it had already finished
        os.kill(child.pid, signal.SIGKILL)


def cli_note(home: Path, env: dict[str, str]) -> int | None:
    """How many leftovers the next command's note names (`x2desk list`'s first line)."""
    done = subprocess.run(
        [sys.executable, "-m", "x2desk", "list"], env=env, capture_output=True, text=True
    )
    first = (done.stderr.splitlines() or [""])[0]
    words = first.split()
    for index, word in enumerate(words):
        if word == "left" and index + 1 < len(words) and words[index + 1].isdigit():
            return int(words[index + 1])
    return 0 if done.returncode == 0 else None


def run(trials: int, store: str, seed: int | None = None) -> tuple[Summary, list[Trial]]:
    started = time.monotonic()
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="x2desk-kill-") as folder:
        home = Path(folder) / "home"
        os.environ["X2DESK_HOME"] = str(home)  # this process reads the same data folder
        bench = Bench(store, home)
        results: list[Trial] = []
        try:
            for _ in range(trials):
                results.append(bench.trial(rng))
            summary = summarise(results, store)
            summary.cli_note_findings = cli_note(home, bench.env)
            summary.secrets_checked, summary.leaks = bench.leaks()
        finally:
            bench.close()
    summary.seconds = round(time.monotonic() - started, 1)
    return summary, results


def summarise(results: list[Trial], store: str) -> Summary:
    s = Summary(trials=len(results), store=store)
    for r in results:
        s.committed += r.committed
        s.not_committed += not r.committed
        s.ok += r.ok
        s.finished_before_kill += r.exit_code == 0
        if r.offset_ms is not None and 0 <= r.offset_ms <= 36 and r.committed:
            s.killed_0_36_ms_after_commit += 1
        if r.lost:
            s.lost_reported += r.reported
            s.lost_unnoticed += not r.reported
        if r.orphaned:
            s.orphaned_reported += r.reported
            s.orphaned_unnoticed += not r.reported
        s.integrity_ok &= r.integrity_ok
    return s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--store", choices=("keyring", "file"), default="file")
    parser.add_argument("--seed", type=int, help="repeat a run exactly (the kill moments)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    summary, _results = run(args.trials, args.store, args.seed)
    if args.json:
        print(json.dumps(asdict(summary) | {"passed": summary.passed}))
    else:
        for key, value in asdict(summary).items():
            print(f"{key:28} {value}")
        print("PASSED" if summary.passed else "FAILED: lost or orphaned unnoticed, or damage")
    return 0 if summary.passed else 1


if __name__ == "__main__":
    sys.exit(main())
