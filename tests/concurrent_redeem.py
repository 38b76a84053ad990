"""Two real `x2desk redeem` processes at once into one data folder (issue 17 item 1): their
redeems are held at the sandbox until both arrived and then answered together, so both save
into the encrypted file store (an existing one, or one both create) at the same moment. Shared by
``tests/cli/test_concurrent_redeem.py`` and ``bench/redteam.py``."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

PASSPHRASE = "pairs passphrase 1"
REDEEM_PATH = "/api/v1/integrations/redeem"


def hold_redeems_in_pairs(sandbox: Any) -> None:
    """From now on, each redeem waits at the sandbox for the next one (10 s at most)."""
    barrier = threading.Barrier(2, timeout=30)
    inner = sandbox.dispatch

    def paired(req: Any) -> Any:
        if req.path == REDEEM_PATH:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                barrier.reset()
        return inner(req)

    sandbox.dispatch = paired


def prepare_folder(home: Path, existing: bool) -> dict[str, str]:
    """The data folder set for the encrypted file store (made now when ``existing``); the
    environment the processes run with."""
    home.mkdir(parents=True, exist_ok=True)
    secret = home.parent / f"{home.name}-passphrase.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(0o600)
    env = dict(os.environ, X2DESK_HOME=str(home), X2DESK_PASSPHRASE_FILE=str(secret))
    if existing:
        subprocess.run(
            [sys.executable, "-c", _MAKE_STORE],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    else:
        settings = home / "settings.json"
        settings.write_text('{"credential_store": "encrypted_file"}\n', encoding="utf-8")
    return env


_MAKE_STORE = """
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import use_encrypted_file
use_encrypted_file(Secret(open(__import__("os").environ["X2DESK_PASSPHRASE_FILE"]).read().strip()))
"""


def redeem_pair(
    sandbox: Any, phone: Any, env: dict[str, str], log: Path | None = None
) -> list[str]:
    """Two processes redeem two tokens at once; what went wrong (empty: both bots saved).
    ``log``: a file their output is added to (for a leak check)."""
    issued = [phone.issue_token(), phone.issue_token()]
    api = f"{sandbox.url}/api/v1"
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "x2desk", "redeem", i["token"], "--yes", "--api-base", api],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in issued
    ]
    problems = []
    for child in children:
        out, err = child.communicate(timeout=120)
        if log is not None:
            with open(log, "a", encoding="utf-8") as file:
                file.write(out + err)
        if child.returncode != 0 or "Connected @" not in out:
            problems.append(f"exit {child.returncode}: {err.strip().splitlines()[-1:]}")
    return problems + _check_saved(sandbox, env, issued)


def _check_saved(sandbox: Any, env: dict[str, str], issued: list[dict[str, Any]]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK, *[i["bot_id"] for i in issued]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return [f"the store could not be read: {done.stderr.strip().splitlines()[-1:]}"]
    saved = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    problems = []
    with sandbox.sim.lock:
        current = {i["bot_id"]: sandbox.sim.bots[i["bot_id"]].token for i in issued}
    for bot_id, token in current.items():
        if saved.get(bot_id) != f"recorded {_digest(token)}":
            problems.append(f"bot {bot_id[:8]}: not saved with its current token and record")
    return problems


# Prints "<bot_id> recorded <sha256 of the token>" for each bot whose secret and record are both
# there (run in the processes' environment: the same folder and passphrase file). Only a one-way
# hash leaves the process; the test compares it with the hash of the sandbox's token.
_CHECK = """
import hashlib, os, sys
from x2desk.core.secret import Secret
from x2desk.core.store.credentials import open_credential_store
from x2desk.core.store.records import open_records
passphrase = Secret(open(os.environ["X2DESK_PASSPHRASE_FILE"]).read().strip())
store = open_credential_store(passphrase=passphrase)
with open_records() as records:
    for bot_id in sys.argv[1:]:
        record = records.find("x2chat_bot", bot_id)
        secret = store.load(f"x2chat_bot:{bot_id}")
        if record is not None and secret is not None:
            print(bot_id, "recorded", hashlib.sha256(secret.reveal().encode()).hexdigest())
"""


def _digest(token: str) -> str:
    """The sha256 the check prints for the sandbox's ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()
