"""Where x2desk keeps its files: the platform's data folder, or ``$X2DESK_HOME`` when set."""

from __future__ import annotations

import os
from pathlib import Path

from x2desk import APP_NAME


def data_dir() -> Path:
    """The folder for records and settings; created (mode 0700) when missing."""
    override = os.environ.get("X2DESK_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
