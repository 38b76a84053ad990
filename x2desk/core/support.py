"""The support bundle ``x2desk doctor --bundle FILE`` writes: one zip a person can send to
support, with what they need to see what happened and no secret.

It holds ``doctor.json`` (the checks, with the journal's findings), ``versions.json`` (x2desk,
Python, the platform and the libraries), ``journal.json`` (the unfinished intents: what, when,
against which API; a token only as its one-way hash) and ``logs/`` (the rotating log files).
Every file passes through :func:`x2desk.core.redact.scrub` on the way in, on top of the log's
own scrubbing when it was written: a bundle is the one file x2desk makes in order to be sent
away.
"""

from __future__ import annotations

import io
import json
import platform
import sys
import time
import zipfile
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from x2desk.core.errors import StoreError
from x2desk.core.redact import scrub
from x2desk.i18n import _

# Distributions whose versions support asks about first.
LIBRARIES = (
    "PySide6-Essentials",
    "httpx",
    "httpcore",
    "keyring",
    "cryptography",
    "opencv-python-headless",
    "zxing-cpp",
    "pyzbar",
    "qrcode",
    "numpy",
    "platformdirs",
    "filelock",
    "phonenumberslite",
)

README = """x2desk support bundle
=====================
doctor.json    what 'x2desk doctor' found, with the journal's findings and what to do
versions.json  x2desk, Python, the platform and the libraries
journal.json   requests that went out and did not finish (tokens only as one-way hashes)
logs/          the log files (flows, steps, error keys, timings; secrets are masked)
"""


def versions() -> dict[str, Any]:
    from x2desk import __version__

    found: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return {
        "x2desk": __version__,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "libraries": found,
    }


def unfinished_intents() -> list[dict[str, Any]]:
    """The journal's unfinished intents as JSON-able dicts; [] when it cannot be read."""
    from x2desk.core.store.journal import open_journal

    try:
        with open_journal() as journal:
            return [asdict(intent) for intent in journal.unfinished()]
    except StoreError as exc:
        return [{"error": exc.message}]


def build_bundle(report: dict[str, Any], data_folder: Path | None = None) -> bytes:
    """The zip's bytes: ``report`` (doctor's) plus versions, journal and logs."""
    from x2desk.core.logfile import log_files

    files: dict[str, str] = {
        "README.txt": README,
        "doctor.json": json.dumps(report, indent=2, ensure_ascii=False),
        "versions.json": json.dumps(versions(), indent=2),
        "journal.json": json.dumps(unfinished_intents(), indent=2, ensure_ascii=False),
    }
    for path in log_files(data_folder):
        try:
            files[f"logs/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            files[f"logs/{path.name}.unreadable"] = f"{type(exc).__name__}: {exc.strerror}\n"
    buffer = io.BytesIO()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(f"x2desk-support/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, scrub(text))
    return buffer.getvalue()


def write_bundle(path: Path, report: dict[str, Any]) -> Path:
    """Write the bundle to ``path`` (private, atomically); StoreError saying why it cannot."""
    from x2desk.core.store.atomic import atomic_write

    data = build_bundle(report)
    try:
        atomic_write(Path(path), data)
    except OSError as exc:
        raise StoreError(
            _("Cannot write the support bundle {path}: {why}.").format(
                path=path, why=exc.strerror or type(exc).__name__
            )
        ) from None
    return Path(path)
