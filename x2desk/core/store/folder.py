"""The data folder as the stores see it: a failure to create it is a :class:`StoreError`."""

from __future__ import annotations

import os
from pathlib import Path

from x2desk.core.errors import StoreError
from x2desk.core.paths import data_dir
from x2desk.i18n import _


def store_folder() -> Path:
    """:func:`x2desk.core.paths.data_dir`, with an OS error turned into a plain StoreError."""
    try:
        return data_dir()
    except OSError as exc:
        where = os.environ.get("X2DESK_HOME") or "the data folder"
        raise StoreError(
            _(
                "Cannot create {where}: {why}. Check the path (X2DESK_HOME, if set) and its "
                "permissions."
            ).format(where=where, why=exc.strerror or type(exc).__name__)
        ) from None
