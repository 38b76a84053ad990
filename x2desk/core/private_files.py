"""Whether a file that holds secrets can be read by other users of this computer (POSIX), for
the readers of such files: the command line's secret files, a Green-API batch CSV."""

from __future__ import annotations

import os
import stat


def shared_mode(fd: int) -> str | None:
    """The mode (``"0644"``) of the open regular file ``fd`` when group or others may read it;
    None when only its owner may (always None off POSIX)."""
    if os.name != "posix":
        return None
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode) and mode & (stat.S_IRGRP | stat.S_IROTH):
        return oct(stat.S_IMODE(mode))[2:].zfill(4)
    return None
