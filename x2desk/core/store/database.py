"""The SQLite files under the data folder (the records, the journal): created private, migrated
step by step by SQLite's ``user_version``, and their errors turned into plain StoreErrors."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import ClassVar, Self

from x2desk.core.clock import SYSTEM_CLOCK, Clock
from x2desk.core.errors import StoreError
from x2desk.core.store.lock import store_lock
from x2desk.i18n import _


def database_error(what: str, path: Path, exc: sqlite3.Error) -> StoreError:
    """A StoreError for ``exc`` on the database ``what`` ("records database") at ``path``."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return StoreError(
            _(
                "The {what} {path} is busy (another x2desk is writing to it). Try again in a "
                "moment."
            ).format(what=_(what), path=path)
        )
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return StoreError(
            _(
                "The {what} {path} is damaged. Move it aside and run x2desk again (the saved "
                "secrets stay in the credential store)."
            ).format(what=_(what), path=path)
        )
    return StoreError(
        _("The {what} {path} failed ({name}).").format(
            what=_(what), path=path, name=type(exc).__name__
        )
    )


def open_database(what: str, path: Path, migrations: list[str]) -> sqlite3.Connection:
    """Open ``path`` (created with mode 0600 first), migrated to ``len(migrations)``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():  # created private before SQLite writes anything to it
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StoreError(
            _("Cannot create the {what} {path}: {strerror}.").format(
                what=_(what), path=path, strerror=exc.strerror
            )
        ) from None
    try:
        conn = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
    except sqlite3.Error as exc:
        raise database_error(what, path, exc) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, what, path, migrations)
    except sqlite3.Error as exc:
        conn.close()
        raise database_error(what, path, exc) from None
    except StoreError:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, what: str, path: Path, migrations: list[str]) -> None:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > len(migrations):
        raise StoreError(
            _(
                "The {what} {path} was made by a newer x2desk (schema {version}, this one knows "
                "{migrations}). Update x2desk."
            ).format(what=_(what), path=path, version=version, migrations=len(migrations))
        )
    for target in range(version + 1, len(migrations) + 1):
        with conn:  # one transaction per step; user_version moves with it
            # IMMEDIATE takes the write lock first, so two processes or threads opening a new
            # database at once migrate one after the other; the step is re-checked inside the
            # lock, since the other may have done it meanwhile.
            conn.execute("BEGIN IMMEDIATE")
            (current,) = conn.execute("PRAGMA user_version").fetchone()
            if current >= target:
                continue
            for statement in migrations[target - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {target}")


class Database:
    """A connection to one of these files, for a store class to build on: ``open()`` under the
    data folder by :attr:`FILE`, ``_transaction()`` for reads and ``_transaction(write=True)``
    for writes (under the store lock, SQLite's write lock taken at once). Thread-safe; use as a
    context manager or close()."""

    FILE: ClassVar[str]
    WHAT: ClassVar[str]  # "records database", for messages
    MIGRATIONS: ClassVar[list[str]]

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self._clock = clock

    @classmethod
    def open(cls, path: Path | None = None, clock: Clock | None = None) -> Self:
        """Open (creating and migrating as needed) :attr:`FILE` in the active profile's folder
        (the data folder itself for the default profile: see :mod:`x2desk.core.profiles`)."""
        from x2desk.core.profiles import profile_folder

        path = Path(path) if path is not None else profile_folder() / cls.FILE
        return cls(open_database(cls.WHAT, path, cls.MIGRATIONS), path, clock or SYSTEM_CLOCK)

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction. A ``write`` holds the store lock and takes SQLite's write lock at
        once (BEGIN IMMEDIATE): two processes writing never fail on a lock upgrade."""
        with self._lock, store_lock(self.path) if write else nullcontext():
            try:
                with self._conn:
                    if write:
                        self._conn.execute("BEGIN IMMEDIATE")
                    yield self._conn
            except sqlite3.Error as exc:
                raise database_error(self.WHAT, self.path, exc) from None
