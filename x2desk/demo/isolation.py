"""Keep the demo's pretend bots out of the user's real data folder and keyring.

Unless ``$X2DESK_HOME`` names a folder explicitly, the demo runs in a temporary data folder
(removed at exit) with an in-memory keyring, so trying the demo leaves nothing behind.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from x2desk.i18n import N_


class DemoKeyring(KeyringBackend):
    """An in-memory keyring for the demo: the sandbox's pretend secrets never reach the OS."""

    name = N_("the demo's keyring (in memory, forgotten when the demo closes)")
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def isolate_demo_data() -> str | None:
    """Point x2desk at a temporary data folder and an in-memory keyring, unless the user chose a
    data folder with ``$X2DESK_HOME``. Returns the temporary folder, or None."""
    if os.environ.get("X2DESK_HOME"):
        return None
    import keyring

    home = tempfile.mkdtemp(prefix="x2desk-demo-")
    os.environ["X2DESK_HOME"] = home
    atexit.register(shutil.rmtree, home, True)
    keyring.set_keyring(DemoKeyring())
    return home
