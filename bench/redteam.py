"""The red-team table of issue 17, re-run: each category of its opening paragraph, how many cases
were tried and how many failed (every row must say 0).

    python bench/redteam.py [--kills 100] [--pairs 25] [--json]
    dbus-run-session -- tests/with-keyring.sh .venv/bin/python bench/redteam.py   # + keyring kills

Rows (loopback only, the sandbox in this process unless said):
- redeem/bot-API faults, provider-flow faults, Green-API faults: the fault matrix
  (``tests/fault_matrix.py``: each endpoint x 500/502/503/429 +- Retry-After/drop/malformed/
  latency past the deadline, drop_after_commit on the redeem and a create); for the provider also
  whole WhatsApp sessions with a fault on the create or the status calls (no connection may be
  left unknown: recorded, or in the journal; a second run makes no second one), for Green-API
  also a pairing whose first call fails transiently (it must back off and go on);
- process kills: ``bench/kill.py`` (the encrypted file; the keyring too inside a Secret Service);
- concurrent redeem pairs: two ``x2desk redeem`` processes answered at the same moment;
- fuzzed tokens, fuzzed phones, hostile images: the hypothesis properties of the test suite
  (``tests/core/test_fuzz.py``, ``tests/core/scan/test_fuzz_images.py``), run again here;
- issued secrets checked for leaks: the demo's autopilot (its own process) and a CLI session at
  DEBUG, then every secret their sandboxes issued looked for in their data folders and output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests", ROOT / "tests" / "core", ROOT / "tests" / "core" / "scan"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("X2DESK_FUZZ_SCALE", "2.5")  # more fuzzed inputs than a test run tries


# Secrets looked for in the kill and pair runs' data folders and output: [count, found]; the
# leak row adds them to its own (the autopilot's and a CLI session's).
LEAKS = [0, 0]


@dataclass
class Row:
    category: str
    count: int = 0
    failures: int = 0
    seconds: float = 0.0
    note: str = ""


@contextmanager
def data_folder() -> Iterator[Path]:
    """A fresh X2DESK_HOME for what runs inside (this process's stores read it)."""
    before = os.environ.get("X2DESK_HOME")
    with tempfile.TemporaryDirectory(prefix="x2desk-redteam-") as folder:
        os.environ["X2DESK_HOME"] = folder
        try:
            yield Path(folder)
        finally:
            if before is None:
                os.environ.pop("X2DESK_HOME", None)
            else:
                os.environ["X2DESK_HOME"] = before


def timed(row: Row, work: Callable[[Row], None]) -> Row:
    started = time.monotonic()
    try:
        work(row)
    except Exception as exc:  # the bench itself broke: a failure, said
        row.failures += 1
        row.note = f"{row.note} (bench error: {type(exc).__name__}: {exc})".strip()
    row.seconds = round(time.monotonic() - started, 1)
    print(f"  {row.category}: {row.count} tried, {row.failures} failed", file=sys.stderr)
    return row


# ---- the fault matrix --------------------------------------------------------------------------


def matrix_rows(service: str, row: Row) -> None:
    from fault_matrix import LIMITS, World, case_id, cases, run_case

    from x2desk.core.clock import FakeClock
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    clock = FakeClock()
    with SandboxServer(clock=clock, **LIMITS) as sandbox, SandboxPhone(sandbox.url) as phone:
        world = World(sandbox, phone, clock)
        try:
            for endpoint, fault in cases():
                if endpoint.service != service:
                    continue
                with data_folder():
                    problems = run_case(world, endpoint, fault)
                row.count += 1
                if problems:
                    row.failures += 1
                    print(f"    {case_id((endpoint, fault))}: {problems}", file=sys.stderr)
        finally:
            world.close()


# ---- whole provider sessions -------------------------------------------------------------------

WA_FAULTS: list[tuple[str, str, float | None]] = [
    ("status", "status", 500), ("status", "status", 503), ("status", "status", 429),
    ("status", "drop", None), ("status", "malformed", None), ("status", "status", 401),
    ("status", "status", 403), ("status", "status", 404), ("status", "status", 400),
    ("create", "status", 500), ("create", "status", 503), ("create", "status", 429),
    ("create", "drop", None), ("create", "drop_after_commit", None),
    ("create", "malformed", None), ("create", "status", 402), ("create", "status", 403),
]  # fmt: skip


def whatsapp_session_rows(row: Row) -> None:
    from x2desk.core.clock import FakeClock
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    for where, kind, value in WA_FAULTS:
        for later in (False, True) if where == "status" else (False,):
            clock = FakeClock()
            with (
                data_folder(),
                SandboxServer(clock=clock) as sandbox,
                SandboxPhone(sandbox.url) as phone,
            ):
                problems = _whatsapp_case(sandbox, phone, clock, where, kind, value, later)
            row.count += 1
            if problems:
                row.failures += 1
                print(
                    f"    whatsapp {where} {kind} {value} later={later}: {problems}",
                    file=sys.stderr,
                )


def _whatsapp_case(
    sandbox: Any, phone: Any, clock: Any, where: str, kind: str, value: float | None, later: bool
) -> list[str]:
    from x2desk.core.accounts.client import ConnectionsClient
    from x2desk.core.accounts.drivers import whatsapp_driver
    from x2desk.core.secret import Secret
    from x2desk.core.session.machine import LoginSession
    from x2desk.core.session.poller import ManualScheduler

    path = "/v2/companies/*/connections/"
    path += "*/whatsapp/status" if where == "status" else ""
    client = ConnectionsClient(
        f"{sandbox.url}/v2", Secret(phone.provider_key()), wall_time=clock.time
    )
    problems: list[str] = []
    recorded_first = 0
    for run in (1, 2):  # a second run must not make a second connection when one is recorded
        manual = ManualScheduler(clock)
        session = LoginSession(whatsapp_driver(client), clock=clock, scheduler=manual)
        if run == 1 and not later:
            phone.fault(path, kind, value)
        session.start()
        manual.run_due()
        if run == 1 and later:
            phone.fault(path, kind, value)  # the next status call (after the first QR)
        manual.advance(700)  # past the session's lifetime: it must have ended
        if not session.snapshot().terminal:
            problems.append(f"run {run}: the session never ended ({session.snapshot().state})")
        session.cancel()
        problems += _orphans(phone)
        if run == 1:
            recorded_first = _recorded("whatsapp")
    made = [c for c in phone.state()["connections"].values() if c["type"] == "whatsapp"]
    if recorded_first and len(made) > recorded_first:
        problems.append("the second run made another connection instead of continuing")
    client.close()
    return problems


def _recorded(kind: str) -> int:
    from x2desk.core.store.records import open_records

    with open_records() as records:
        return len(records.list(kind))


def _orphans(phone: Any) -> list[str]:
    """Connections at the provider that this computer neither recorded nor journalled."""
    from x2desk.core.store.journal import open_journal
    from x2desk.core.store.records import open_records

    with open_records() as records, open_journal() as journal:
        unfinished = [i for i in journal.unfinished() if i.action == "create"]
        missing = [
            c["id"]
            for c in phone.state()["connections"].values()
            if records.find(c["type"], c["id"]) is None
        ]
    if missing and len(unfinished) < len(missing):
        return [f"connections {missing} are neither recorded nor in the journal"]
    return []


# ---- Green-API pairings whose first call fails -------------------------------------------------


def pairing_rows(row: Row) -> None:
    from x2desk.core.clock import FakeClock
    from x2desk.core.greenapi.client import GreenApiClient
    from x2desk.core.greenapi.pairing import GreenApiPairing
    from x2desk.core.secret import Secret
    from x2desk.core.session.machine import State
    from x2desk.core.session.poller import ManualScheduler
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    faults = [
        ("status", 500),
        ("status", 502),
        ("status", 503),
        ("drop", None),
        ("malformed", None),
    ]
    for call in ("getStateInstance", "qr"):
        for kind, value in faults:
            clock = FakeClock()
            with (
                data_folder(),
                SandboxServer(clock=clock) as sandbox,
                SandboxPhone(sandbox.url) as phone,
            ):
                instance = phone.greenapi_instance()
                client = GreenApiClient(
                    sandbox.url, instance["idInstance"], Secret(instance["apiTokenInstance"])
                )
                manual = ManualScheduler(clock)
                pairing = GreenApiPairing(client, clock=clock, scheduler=manual)
                phone.fault(f"/waInstance{instance['idInstance']}/{call}/", kind, value)
                pairing.start()
                manual.run_due()
                manual.advance(5)
                snap = pairing.snapshot()
                pairing.close()
                client.close()
            row.count += 1
            if snap.state is not State.WAITING_FOR_QR or snap.qr_image is None:
                row.failures += 1
                print(
                    f"    pairing {call} {kind} {value}: {snap.state} {snap.text}", file=sys.stderr
                )


# ---- processes: kills and pairs ----------------------------------------------------------------


def kill_rows(trials: int, store: str, row: Row) -> None:
    import kill

    summary, _results = kill.run(trials, store)
    LEAKS[0] += summary.secrets_checked
    LEAKS[1] += summary.leaks
    row.count = summary.trials
    row.failures = summary.lost_unnoticed + summary.orphaned_unnoticed
    row.failures += 0 if summary.integrity_ok else 1
    row.note = (
        f"{store}: committed {summary.committed}, lost+reported {summary.lost_reported}, "
        f"lost unnoticed {summary.lost_unnoticed}, integrity_ok {summary.integrity_ok}"
    )


def pair_rows(pairs: int, row: Row) -> None:
    from concurrent_redeem import hold_redeems_in_pairs, prepare_folder, redeem_pair

    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    limits = {"issue_per_hour": 10**6, "redeem_per_hour": 10**6}
    with SandboxServer(**limits) as sandbox, SandboxPhone(sandbox.url) as phone:
        hold_redeems_in_pairs(sandbox)
        with tempfile.TemporaryDirectory(prefix="x2desk-pairs-") as folder:
            shared = prepare_folder(Path(folder) / "shared", existing=True)
            for n in range(pairs):
                fresh = n % 5 == 0  # every fifth pair creates its store at the same moment
                env = prepare_folder(Path(folder) / f"new-{n}", False) if fresh else shared
                problems = redeem_pair(sandbox, phone, env, Path(folder) / "outputs.log")
                row.count += 1
                if problems:
                    row.failures += 1
                    print(f"    pair {n}: {problems}", file=sys.stderr)
            _count_leaks(sandbox, [Path(folder)])


def _count_leaks(sandbox: Any, paths: list[Path]) -> None:
    from x2desk.sandbox.leaks import find_leaks, fingerprints, secrets_in_state

    prints = fingerprints(secrets_in_state(sandbox.sim.snapshot()))
    leaks, _files = find_leaks(prints, paths)
    LEAKS[0] += len(prints["secrets"])
    LEAKS[1] += len(leaks)


# ---- fuzzing -----------------------------------------------------------------------------------


def fuzz_rows(name: str, run: Callable[[], None], categories: tuple[str, ...], row: Row) -> None:
    from fuzz_counts import FUZZED

    before = sum(FUZZED[c] for c in categories)
    try:
        run()
    except Exception as exc:  # hypothesis raises the shrunk failing example
        row.failures += 1
        print(f"    {name}: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
    row.count += sum(FUZZED[c] for c in categories) - before


def fuzz_tokens(row: Row) -> None:
    import test_fuzz

    fuzz_rows("tokens", test_fuzz.test_tokens, ("tokens",), row)


def fuzz_phones(row: Row) -> None:
    import test_fuzz

    fuzz_rows("phones", test_fuzz.test_phones, ("phones",), row)


def fuzz_images(row: Row) -> None:
    import test_fuzz_images as t

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        names = ("hostile images: damaged", "hostile images: random bytes", "hostile images: bombs")
        fuzz_rows("damaged", lambda: t.test_damaged_images(tmp), names, row)
        fuzz_rows("random", lambda: t.test_random_bytes_behind_a_magic(tmp), names, row)
        if t.GUARD is not None:
            fuzz_rows("bombs", lambda: t.test_headers_claiming_a_huge_picture(tmp), names, row)
        else:
            row.note = "image bombs wait for the header check (scan branch)"


# ---- leaks -------------------------------------------------------------------------------------


def leak_rows(row: Row) -> None:
    """The autopilot (its own process, the real window offscreen) and a CLI session at DEBUG;
    every secret their sandboxes issued looked for in their data folders and output."""
    from x2desk.sandbox.leaks import find_leaks

    with tempfile.TemporaryDirectory(prefix="x2desk-leaks-") as folder:
        out, home = Path(folder) / "out", Path(folder) / "home"
        out.mkdir()
        env = dict(os.environ, X2DESK_HOME=str(home), QT_QPA_PLATFORM="offscreen")
        argv = [sys.executable, "-m", "x2desk", "--demo", "--autopilot", "--screenshots", str(out)]
        argv += ["--report", str(out / "report.json")]
        with open(out / "autopilot.log", "w") as log:
            done = subprocess.run(argv, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=600)
        if done.returncode != 0:
            row.note = "the autopilot failed (see its log)"
            row.failures += 1
        prints = json.loads((out / "report.json").read_text()).get("leak_check") or {}
        leaks, _files = find_leaks(prints, [home, out]) if prints else ([], 0)
        row.count += len(prints.get("secrets", []))
        row.failures += len(leaks)
    cli_count, cli_leaks = _cli_session_leaks()
    row.count += cli_count + LEAKS[0]  # with the kill and pair runs' secrets
    row.failures += cli_leaks + LEAKS[1]
    row.note = f"{row.note} autopilot, a CLI session, the kill and pair runs".strip()


def _cli_session_leaks() -> tuple[int, int]:
    from x2desk.sandbox.leaks import find_leaks, fingerprints, secrets_in_state
    from x2desk.sandbox.phone import SandboxPhone
    from x2desk.sandbox.server import SandboxServer

    with tempfile.TemporaryDirectory(prefix="x2desk-leaks-cli-") as folder:
        home = Path(folder) / "home"
        env = dict(os.environ, X2DESK_HOME=str(home))
        outputs = Path(folder) / "output.txt"
        with SandboxServer() as sandbox, SandboxPhone(sandbox.url) as phone:
            api = f"{sandbox.url}/api/v1"
            key_file = Path(folder) / "key.txt"
            key_file.write_text(phone.provider_key())
            key_file.chmod(0o600)
            bot_file = _bot_token_file(Path(folder))
            runs = [
                ["redeem", phone.issue_token()["token"], "--yes", "--api-base", api],
                ["connect", "telegram-bot", "--sandbox-url", sandbox.url, "--api-key-file"],
                ["list"],
                ["doctor", "--bundle", str(Path(folder) / "bundle.zip")],
            ]
            runs[0] += ["--test-message", "hi"]
            runs[1] += [str(key_file), "--token-file", str(bot_file)]
            phone.fault("/api/v1/integrations/redeem", "drop_after_commit")
            runs.append(["redeem", phone.issue_token()["token"], "--yes", "--api-base", api])
            with open(outputs, "w") as out:
                for argv in runs:
                    subprocess.run([sys.executable, "-m", "x2desk", "-v", *argv], env=env,
                                   stdout=out, stderr=subprocess.STDOUT, timeout=120)  # fmt: skip
            prints = fingerprints(secrets_in_state(phone.state()))
        leaks, _files = find_leaks(prints, [home, outputs, Path(folder) / "bundle.zip"])
        return len(prints["secrets"]), len(leaks)


def _bot_token_file(folder: Path) -> Path:
    path = folder / "bot.txt"
    path.write_text("123456789:" + "Zq3" * 11 + "xy")
    path.chmod(0o600)
    return path


# ---- the table ---------------------------------------------------------------------------------


def _secret_service() -> bool:
    try:
        import keyring

        return "secretservice" in type(keyring.get_keyring()).__module__.lower()
    except Exception:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="kill trials per store")
    parser.add_argument("--pairs", type=int, default=25, help="concurrent redeem pairs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    plan: list[tuple[str, Callable[[Row], None]]] = [
        ("redeem/bot-API faults", lambda r: matrix_rows("x2chat", r)),
        ("provider-flow faults", lambda r: (matrix_rows("provider", r), whatsapp_session_rows(r))),
        ("Green-API faults", lambda r: (matrix_rows("greenapi", r), pairing_rows(r))),
        ("process kills (file store)", lambda r: kill_rows(args.kills, "file", r)),
    ]
    if _secret_service():
        plan.append(("process kills (keyring)", lambda r: kill_rows(args.kills, "keyring", r)))
    plan += [
        ("concurrent redeem pairs", lambda r: pair_rows(args.pairs, r)),
        ("fuzzed tokens", fuzz_tokens),
        ("fuzzed phones", fuzz_phones),
        ("hostile images", fuzz_images),
        ("issued secrets checked for leaks", leak_rows),
    ]
    rows = [timed(Row(name), work) for name, work in plan]
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
    else:
        print(table(rows))
    return 0 if all(r.failures == 0 and r.count > 0 for r in rows) else 1


def table(rows: list[Row]) -> str:
    lines = [f"{'category':36} {'count':>6} {'failures':>8} {'seconds':>8}  note"]
    lines += [
        f"{r.category:36} {r.count:>6} {r.failures:>8} {r.seconds:>8}  {r.note}" for r in rows
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
