"""One kiosk at a time per data folder: an OS-level lock on ``kiosk.lock`` held while it runs.

The lock is the kernel's (``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows), so
it goes away with the process however it ends: a lock file left by a process that crashed or was
killed blocks nothing, and there is no pid to guess about. The holder's pid is written into the
file only to say which process holds it. Written with the standard library rather than the
``filelock`` package: that package does not tell who holds a lock, and this is 40 lines.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from types import TracebackType

from x2desk.core.errors import KioskAlreadyRunning, StoreError
from x2desk.i18n import _

LOCK_FILE = "kiosk.lock"
_PID_OFFSET = 1  # Windows locks byte 0; the pid after it stays readable by a second process


def default_lock_path() -> Path:
    from x2desk.core.paths import data_dir

    return data_dir() / LOCK_FILE


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; False if another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def holder_pid(path: Path) -> int | None:
    """The pid written by the process that holds (or last held) the lock at ``path``."""
    try:
        with open(path, "rb") as handle:
            handle.seek(_PID_OFFSET)
            text = handle.read(32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class InstanceLock:
    """Held from :meth:`acquire` until :meth:`release` or the process's end. A context manager.

    ``acquire`` raises :class:`KioskAlreadyRunning` (naming the other process) when another
    process holds it, and :class:`StoreError` when the data folder cannot be written."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_lock_path()
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> InstanceLock:
        if self._fd is not None:
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(
                _("Cannot create the kiosk's lock file {path}: {reason}.").format(
                    path=self.path, reason=exc.strerror or _("not writable")
                )
            ) from None
        if not _try_lock(fd):
            os.close(fd)
            pid = holder_pid(self.path)
            message = KioskAlreadyRunning.default_message
            if pid:
                message = _(
                    "A kiosk is already running on this computer (process {pid}): use its "
                    "window, or stop it first (systemctl --user stop x2desk-kiosk)."
                ).format(pid=pid)
            raise KioskAlreadyRunning(message)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, b" " + str(os.getpid()).encode() + b"\n")
        self._fd = fd
        return self

    def release(self) -> None:
        """Let the next kiosk start. The file stays: deleting it would race a new holder."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
