"""At the start of the commands that store or list, a short note says what earlier runs left
unfinished (issue 17: "at the next start (window and CLI) ... is reported with what to do")."""

from __future__ import annotations

import pytest

from x2desk import cli
from x2desk.core.store.folder import store_folder
from x2desk.sandbox.phone import SandboxPhone
from x2desk.sandbox.server import SandboxServer

REDEEM = "/api/v1/integrations/redeem"


@pytest.fixture
def api(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> str:
    base = f"{sandbox.url}/api/v1"
    monkeypatch.setenv("X2DESK_API_BASE", base)
    return base


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_redeem_left_unfinished_is_noted_by_the_next_commands(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    code, _, err = run(capsys, "redeem", issued["token"], "--yes")
    assert code == 5 and "Note:" not in err  # nothing was left before this one
    for argv in (["list"], ["redeem", phone.issue_token()["token"], "--yes"]):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        first = err.splitlines()[0]
        assert first == "Note: an earlier run left 1 thing unfinished:"
        assert "got no answer: X2Chat may have spent the token" in err
        assert "make a new integration QR" in err
        assert issued["token"] not in err + out
    for argv in (["doctor", "--json"],):  # doctor reports it its own way, not as this note
        _code, _out, err = run(capsys, *argv)
        assert "Note: an earlier run" not in err


def test_a_journal_that_cannot_be_read_costs_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = store_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "journal.sqlite3").write_bytes(b"not a database at all" * 100)
    code, out, err = run(capsys, "list")
    assert code == 0 and "No saved connections" in out
    assert "Note:" not in err and "Traceback" not in err


def test_forget_leftovers_stops_the_note_but_the_token_stays_known(
    api: str, phone: SandboxPhone, capsys: pytest.CaptureFixture[str]
) -> None:
    issued = phone.issue_token()
    phone.fault(REDEEM, "drop_after_commit")
    assert run(capsys, "redeem", issued["token"], "--yes")[0] == 5
    code, _, err = run(capsys, "list")
    assert "Note: an earlier run left 1 thing unfinished" in err
    assert "x2desk forget --leftovers" in err
    code, out, _ = run(capsys, "forget", "--leftovers")
    assert code == 0 and "Dismissed 1 unfinished request" in out
    code, _, err = run(capsys, "list")
    assert code == 0 and "Note:" not in err
    code, _, err = run(capsys, "redeem", issued["token"], "--yes")
    assert code == 9 and "already sent to X2Chat from this computer" in err
    with pytest.raises(SystemExit) as ended:  # an id or --leftovers is needed
        cli.main(["forget"])
    assert ended.value.code == 2
