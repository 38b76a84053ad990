"""The leak check the autopilots end with (issue 17): the sandbox's secrets, fingerprinted (a
salted hash: the report never holds a secret), found again in any file they reached."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from x2desk.sandbox.leaks import MIN_LEN, find_leaks, fingerprints, secrets_in_state
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_of_secret_is_listed_rotated_bot_tokens_too(
    sandbox: SandboxServer, phone: SandboxPhone
) -> None:
    import httpx

    issued = phone.issue_token()
    first = phone.bot_token(issued["bot_id"])
    httpx.post(f"{sandbox.url}/api/v1/integrations/redeem", json={"token": issued["token"]})
    key = phone.provider_key()
    instance = phone.greenapi_instance()
    found = secrets_in_state(phone.state())
    current = phone.bot_token(issued["bot_id"])
    assert first != current
    for secret in (first, current, current.split(":")[1], issued["token"], key):
        assert secret in found
    assert instance["apiTokenInstance"] in found
    assert all(len(s) >= MIN_LEN for s in found)


def test_a_planted_secret_is_found_and_the_report_holds_none(tmp_path: Path) -> None:
    secret = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"
    prints = fingerprints({secret, "another-secret-value"})
    report = json.dumps(prints)
    assert secret not in report and "another-secret-value" not in report
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "log.txt").write_text("GET /bot••••••/getMe 200 123456789:AAHdq…awq\n")
    (clean / "data.bin").write_bytes(bytes(range(256)) * 40)
    assert find_leaks(prints, [clean]) == ([], 2)
    (clean / "leaky.log").write_text(f"POST https://x/bot{secret}/sendMessage\n")
    leaks, files = find_leaks(prints, [clean])
    assert files == 3 and [(Path(leak.path).name, leak.length) for leak in leaks] == [
        ("leaky.log", len(secret))
    ]


def test_the_command_line_tool(tmp_path: Path) -> None:
    secret = "c3" * 25
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"flows": [], "leak_check": fingerprints({secret})}))
    (tmp_path / "out.log").write_text("all fine\n")
    tool = [sys.executable, str(ROOT / "tools" / "leakcheck.py"), "--report", str(report)]
    done = subprocess.run([*tool, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0 and "1 issued secrets looked for in 2 files: 0 found" in done.stdout
    (tmp_path / "out.log").write_text(f"oops {secret}\n")
    done = subprocess.run([*tool, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1 and "out.log" in done.stdout and secret not in done.stdout
