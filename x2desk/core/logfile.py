"""The log file a support person can use: ``logs/x2desk.log`` in the data folder, rotated.

It holds what happened, not what was said: the command or window, each request's method and
safe description with its status and time (:func:`x2desk.core.net.send`), each flow's steps and
error keys (:func:`event`), and warnings. Never a secret: every record passes through
:mod:`x2desk.core.redact`'s scrubber when it is made (``redact.install()``), and the callers log
only masked values. The file is private (0600) and rotates at :data:`MAX_BYTES`, keeping
:data:`BACKUPS` old files, so it stays small on a kiosk that runs for months. ``doctor --bundle``
packs these files for support.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
from pathlib import Path
from typing import Any

LOG_DIR = "logs"
LOG_FILE = "x2desk.log"
MAX_BYTES = 1_000_000
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"

events = logging.getLogger("x2desk.events")
_guard = threading.Lock()
_handler: PrivateRotatingFileHandler | None = None


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created with mode 0600."""

    def _open(self) -> Any:  # a text file, as FileHandler's own
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


def log_folder(data_folder: Path | None = None) -> Path:
    if data_folder is None:
        from x2desk.core.paths import data_dir

        data_folder = data_dir()
    return data_folder / LOG_DIR


def log_files(data_folder: Path | None = None) -> list[Path]:
    """The current log and its rotated copies that exist, newest first."""
    folder = log_folder(data_folder)
    names = [LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)]
    return [folder / name for name in names if (folder / name).is_file()]


def install_log_file(level: int = logging.INFO, data_folder: Path | None = None) -> Path | None:
    """Send the root logger's records at ``level`` and above to the log file (once; again when
    the data folder changed). Returns the file, or None when it cannot be written (a log is not
    worth failing for)."""
    global _handler
    try:
        folder = log_folder(data_folder)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / LOG_FILE
        with _guard:
            root = logging.getLogger()
            if _handler is not None and Path(_handler.baseFilename) != path.resolve():
                root.removeHandler(_handler)
                _handler.close()
                _handler = None
            if _handler is None:
                _handler = PrivateRotatingFileHandler(
                    path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
                )
                _handler.setFormatter(logging.Formatter(FORMAT))
                root.addHandler(_handler)
            _handler.setLevel(level)
            if root.getEffectiveLevel() > level:
                root.setLevel(level)
        logging.getLogger("filelock").setLevel(logging.WARNING)  # a line per lock: noise
    except OSError:
        return None
    return path


def remove_log_file() -> None:
    """Take the log file's handler off the root logger and close it (tests, embedding)."""
    global _handler
    with _guard:
        if _handler is not None:
            logging.getLogger().removeHandler(_handler)
            _handler.close()
            _handler = None


def event(flow: str, step: str, *, error: str | None = None, ms: float | None = None) -> None:
    """One line for the log file: a flow reached ``step`` (or failed with error key
    ``error``), optionally after ``ms`` milliseconds. Keys and names only, never a value the
    user or a server gave."""
    parts = [f"flow={flow}", f"step={step}"]
    if error is not None:
        parts.append(f"error={error}")
    if ms is not None:
        parts.append(f"ms={int(ms)}")
    events.info("%s", " ".join(parts))
