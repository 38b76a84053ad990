"""`x2desk doctor --bundle FILE`: a support archive with the logs, the doctor report, the
versions and the journal's unfinished entries, and not one of the secrets the sandbox issued
while x2desk ran at DEBUG (issue 17, "Logs a support person can use")."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from helpers import secret_file

from x2desk import cli
from x2desk.commands import doctor
from x2desk.core.greenapi.client import GreenApiClient
from x2desk.core.logfile import LOG_DIR, LOG_FILE
from x2desk.core.secret import Secret
from x2desk.core.store.journal import token_hash
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"
BOT_TOKEN = "987654321:" + "Zq3" * 12


@pytest.fixture(autouse=True)
def quick_qt_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "probe_qt_platform", lambda platform: (True, "offscreen"))


def issued_secrets(sandbox: SandboxServer) -> set[str]:
    """Every secret the sandbox handed out or was given: bot tokens (and their secret halves),
    integration tokens, provider API keys, Green-API instance tokens, login codes, passwords."""
    sim = sandbox.sim
    found: set[str] = {BOT_TOKEN, BOT_TOKEN.split(":")[1]}
    with sim.lock:
        for bot in sim.bots.values():
            found |= {bot.token, bot.token.split(":")[1]}
        found |= set(sim.tokens)
        found |= set(sim.keys)
        found |= {instance.api_token for instance in sim.instances.values()}
        for session in sim.sessions.values():
            found |= {v for v in (session.code, session.password) if v}
    return {s for s in found if len(s) >= 6}


def test_the_bundle_has_the_logs_and_reports_and_no_secret(
    sandbox: SandboxServer,
    phone: SandboxPhone,
    tmp_path: Path,
    x2desk_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("X2DESK_API_BASE", f"{sandbox.url}/api/v1")
    issued = phone.issue_token()
    assert cli.main(["-v", "redeem", issued["deep_link"], "--yes", "--test-message", "hi"]) == 0
    lost = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")  # the server spends it, the answer never comes
    assert cli.main(["-v", "redeem", lost["token"], "--yes"]) != 0  # the journal keeps it
    key_file, token_file = tmp_path / "key.txt", tmp_path / "bot.txt"
    secret_file(key_file, phone.provider_key())
    secret_file(token_file, BOT_TOKEN)
    connect = ["connect", "telegram-bot", "--sandbox-url", sandbox.url]
    connect += ["--api-key-file", str(key_file), "--token-file", str(token_file), "--save-key"]
    assert cli.main(["-v", *connect, "--name", "Helper"]) == 0
    instance = phone.greenapi_instance()
    api_token = Secret(instance["apiTokenInstance"])
    with GreenApiClient(sandbox.url, instance["idInstance"], api_token) as green:
        assert green.state() == "notAuthorized"  # its token rides in the URL path
    capsys.readouterr()

    bundle = tmp_path / "support.zip"
    assert cli.main(["-v", "doctor", "--bundle", str(bundle)]) == 0
    assert str(bundle) in capsys.readouterr().err
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600

    secrets = issued_secrets(sandbox)
    assert len(secrets) >= 8  # bot tokens, integration tokens, an API key, an instance token
    with zipfile.ZipFile(bundle) as archive:
        members = {
            name.removeprefix("x2desk-support/"): archive.read(name) for name in archive.namelist()
        }
    assert {"README.txt", "doctor.json", "versions.json", "journal.json"} <= set(members)
    log = members[f"{LOG_DIR}/{LOG_FILE}"].decode()
    for name, data in members.items():
        for secret in secrets:
            assert secret.encode() not in data, f"a secret is in {name}"
    # ... and the bundle is worth having: what ran, each request with its status and time
    assert "redeem" in log and "POST" in log and " ms" in log and "error=answer_lost" in log
    report = json.loads(members["doctor.json"])
    journal_check = next(c for c in report["checks"] if c["name"] == "Journal")
    assert journal_check["data"]["unfinished"] == 1
    (intent,) = json.loads(members["journal.json"])
    assert intent["token_sha256"] == token_hash(lost["token"]) and intent["state"] == "sent"
    versions = json.loads(members["versions.json"])
    assert versions["x2desk"] and versions["libraries"]["httpx"]


def test_an_unwritable_bundle_path_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-folder" / "x" / "support.zip"
    (tmp_path / "missing-folder").write_text("a file, not a folder")
    code = cli.main(["doctor", "--bundle", str(target)])
    err = capsys.readouterr().err
    assert code != 0 and "Cannot write the support bundle" in err and "Traceback" not in err
