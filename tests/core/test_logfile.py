"""The rotating log file in the data folder: private, rotated, scrubbed, one line per event."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from x2desk.core import logfile, redact
from x2desk.core.logfile import event, install_log_file, log_files, remove_log_file

BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"


def test_the_log_is_private_scrubbed_and_has_events(x2desk_home: Path) -> None:
    redact.install()
    path = install_log_file(logging.INFO)
    assert path == x2desk_home / "logs" / "x2desk.log"
    event("x2chat_bot", "redeem", error="answer_lost", ms=12.7)
    logging.getLogger("x2desk.test").info("got %s back", BOT_TOKEN)
    logging.getLogger("x2desk.test").debug("below the file's level")
    remove_log_file()
    text = path.read_text()
    assert "flow=x2chat_bot step=redeem error=answer_lost ms=12" in text
    assert "got " in text and BOT_TOKEN not in text and BOT_TOKEN.split(":")[1] not in text
    assert "below the file's level" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_it_rotates_and_keeps_a_few_private_files(
    x2desk_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logfile, "MAX_BYTES", 2000)
    install_log_file(logging.INFO)
    for number in range(200):
        logging.getLogger("x2desk.test").info("line %d %s", number, "x" * 60)
    remove_log_file()
    files = log_files()
    assert [p.name for p in files] == ["x2desk.log"] + [
        f"x2desk.log.{n}" for n in range(1, logfile.BACKUPS + 1)
    ]
    assert all(p.stat().st_size <= 2200 for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert "line 199" in files[0].read_text()


def test_a_new_data_folder_moves_the_log(tmp_path: Path) -> None:
    first = install_log_file(logging.INFO, tmp_path / "a")
    second = install_log_file(logging.INFO, tmp_path / "b")
    logging.getLogger("x2desk.test").warning("to b only")
    remove_log_file()
    assert first is not None and second is not None
    assert "to b only" in second.read_text() and "to b only" not in first.read_text()
    root_files = [h for h in logging.getLogger().handlers if isinstance(h, logging.FileHandler)]
    assert not any("x2desk.log" in h.baseFilename for h in root_files)


def test_an_unwritable_folder_is_no_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert install_log_file(logging.INFO, blocker) is None
