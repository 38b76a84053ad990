"""One inter-process lock for every store write, so two x2desk processes (the window and a CLI,
two CLIs) never lose each other's changes.

The lock is a file, ``.x2desk.lock``, in the folder of the file being written: in the usual layout
the records database, the settings and the encrypted credentials file all sit in the data folder,
so they share one lock. A read-modify-write (the encrypted file's ``save()``, a settings change)
holds it from the read to the rename. `filelock <https://py-filelock.readthedocs.io>`_ does the
locking (``flock`` on Unix, ``msvcrt.locking`` on Windows): the OS drops the lock when a process
dies, so a killed x2desk never leaves the others waiting. Within one process the lock is
re-entrant for the thread that holds it; another thread waits like another process would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from x2desk.core.errors import StoreError
from x2desk.core.store.atomic import PRIVATE_FILE_MODE
from x2desk.i18n import _

if TYPE_CHECKING:
    from filelock import BaseFileLock

LOCK_NAME = ".x2desk.lock"
LOCK_TIMEOUT_S = 15.0  # a write takes milliseconds; scrypt on a slow machine about a second

_guard = threading.Lock()
_locks: dict[Path, BaseFileLock] = {}


def _file_lock(folder: Path) -> BaseFileLock:
    """The one ``FileLock`` of this process for ``folder`` (re-entrant per thread)."""
    from filelock import FileLock

    key = folder.resolve()
    with _guard:
        lock = _locks.get(key)
        if lock is None:
            lock = FileLock(key / LOCK_NAME, timeout=LOCK_TIMEOUT_S, mode=PRIVATE_FILE_MODE)
            _locks[key] = lock
        return lock


@contextmanager
def store_lock(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of the folder that holds ``path`` (created, mode 0700, when missing).

    Raises :class:`StoreError` when another x2desk holds it for longer than ``timeout`` seconds
    (default :data:`LOCK_TIMEOUT_S`) or the folder cannot be written.
    """
    from filelock import Timeout

    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(
            _("Cannot create {folder}: {strerror}.").format(folder=folder, strerror=exc.strerror)
        ) from None
    lock = _file_lock(folder)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S if timeout is None else timeout)
    except Timeout:
        raise StoreError(
            _(
                "Another x2desk is saving in {folder} and has not finished. Try again in a moment."
            ).format(folder=folder)
        ) from None
    except OSError as exc:
        raise StoreError(
            _("Cannot lock {path}: {strerror}.").format(
                path=folder / LOCK_NAME, strerror=exc.strerror
            )
        ) from None
    try:
        yield
    finally:
        lock.release()
