"""Looking for the sandbox's secrets where they must never be (issue 17: "the leak check after
the source autopilot and after the frozen autopilot in CI").

:func:`secrets_in_state` lists every secret a sandbox handed out or was given (bot tokens, the
ones rotated away included, integration tokens, provider API keys, Green-API instance tokens,
login codes and passwords, the tokens and keys of created connections) from its
``/_sandbox/state``. The autopilot cannot keep them past its own end, and must not write them
down, so it writes only :func:`fingerprints`: a salted SHA-256 and the length of each.
:func:`find_leaks` then reads files (the data folder, the log, the report, the output) and
hashes every stretch of token characters of each length: a match is a leak. ``tools/leakcheck.py``
runs it from the command line.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_LEN = 8  # shorter values (a 5-digit login code) would match by chance anywhere
# The characters secrets are made of here: a leak is a stretch of these.
_RUN = re.compile(rb"[A-Za-z0-9_:\-]{%d,}" % MIN_LEN)


def secrets_in_state(state: dict[str, Any]) -> set[str]:
    """Every secret in a sandbox snapshot (``/_sandbox/state``), of :data:`MIN_LEN` or more."""
    found: set[str] = set()
    for bot in state.get("bots", {}).values():
        found.add(bot["token"])
        found.update(bot.get("past_tokens", []))
    found.update(state.get("tokens", {}))
    found.update(state.get("provider_keys", {}))
    for instance in state.get("instances", {}).values():
        found.update(v for v in (instance.get("api_token"), instance.get("password")) if v)
    for session in state.get("sessions", {}).values():
        found.update(v for v in (session.get("code"), session.get("password")) if v)
    for connection in state.get("connections", {}).values():
        params = connection.get("params") or {}
        found.update(str(v) for k, v in params.items() if k in ("token", "api_key") and v)
    found |= {token.split(":", 1)[1] for token in found if re.fullmatch(r"\d+:\S+", token)}
    return {s for s in found if len(s) >= MIN_LEN}


def _digest(salt: bytes, value: bytes) -> str:
    return hashlib.sha256(salt + value).hexdigest()


def fingerprints(secrets: Iterable[str], salt: bytes | None = None) -> dict[str, Any]:
    """What the autopilot's report keeps of the secrets: a salt and a salted hash per secret."""
    salt = salt if salt is not None else os.urandom(16)
    items = sorted({(_digest(salt, s.encode()), len(s.encode())) for s in secrets})
    return {"salt": salt.hex(), "secrets": [{"sha256": d, "length": n} for d, n in items]}


@dataclass(frozen=True)
class Leak:
    path: str
    offset: int
    length: int


def find_leaks(prints: dict[str, Any], paths: Iterable[Path]) -> tuple[list[Leak], int]:
    """(the leaks found, how many files were read) under ``paths`` (files or folders)."""
    salt = bytes.fromhex(prints["salt"])
    wanted = {(s["sha256"], s["length"]) for s in prints["secrets"]}
    lengths = sorted({n for _, n in wanted})
    leaks: list[Leak] = []
    files = 0
    for path in _files(paths):
        files += 1
        data = path.read_bytes()
        for run in _RUN.finditer(data):
            leaks += _in_run(run.group(), run.start(), str(path), salt, wanted, lengths)
    return leaks, files


def _in_run(
    run: bytes, start: int, path: str, salt: bytes, wanted: set[tuple[str, int]], lengths: list[int]
) -> Iterator[Leak]:
    for n in lengths:
        for i in range(len(run) - n + 1):
            if (_digest(salt, run[i : i + n]), n) in wanted:
                yield Leak(path, start + i, n)


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            yield path
