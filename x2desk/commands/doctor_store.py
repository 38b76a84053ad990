"""The checks of ``x2desk doctor`` (:mod:`x2desk.commands.doctor`) on where x2desk keeps things:
the credential store (whether secrets can be saved here), the data folder and the journal. Each
:class:`Check` has an English ``name`` (the JSON's, marked for the catalogue: the table shows
it translated) and a ``detail`` in the current language."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from x2desk.i18n import N_, _, ngettext

Status = Literal["ok", "warn", "fail"]


@dataclass
class Check:
    name: str
    status: Status
    detail: str
    essential: bool = False
    data: dict[str, Any] = field(default_factory=dict)


def check_credentials() -> Check:
    """Whether secrets can be saved here, as the commands would save them (the same rule:
    :mod:`x2desk.commands.stores`). Nothing is written."""
    from x2desk.core.errors import X2DeskError
    from x2desk.core.store.credentials import default_credentials_file, keyring_status
    from x2desk.core.store.settings import load_settings

    ok, said = keyring_status()
    data: dict[str, Any] = {"keyring_ok": ok, "keyring": said}
    try:
        settings = load_settings()
    except X2DeskError:
        settings = None  # the data folder check reports a damaged file or a missing folder
    if settings is not None and settings.credential_store == "encrypted_file":
        path = Path(settings.credentials_file or default_credentials_file())
        data.update(chosen="encrypted_file", file=str(path))
        if path.is_file():
            return Check(
                N_("Credentials"),
                "ok",
                _("encrypted file {path} (chosen)").format(path=path),
                True,
                data,
            )
        return Check(
            N_("Credentials"),
            "fail",
            _(
                "the chosen encrypted file {path} is missing (the secrets it held are gone): the "
                "next command given a passphrase (--passphrase-file, $X2DESK_PASSPHRASE_FILE, or "
                "typed in a terminal) makes a new one"
            ).format(path=path),
            True,
            data,
        )
    data["chosen"] = "keyring"
    if ok:
        return Check(
            N_("Credentials"), "ok", _("system keyring: {said}").format(said=said), True, data
        )
    return _without_keyring(said, data)


def _without_keyring(said: str, data: dict[str, Any]) -> Check:
    """No system keyring: storing works only through a usable passphrase file."""
    from x2desk.commands.secret_files import read_secret_file
    from x2desk.commands.stores import PASSPHRASE_ENV
    from x2desk.core.errors import InputError

    path = os.environ.get(PASSPHRASE_ENV, "").strip()
    data["passphrase_file"] = path or None
    if not path:
        return Check(
            N_("Credentials"),
            "fail",
            _(
                "{said} Until then nothing x2desk connects can be saved here: set "
                "${PASSPHRASE_ENV} (or give --passphrase-file FILE) to use the encrypted file "
                "store, or run the command in a terminal and choose it."
            ).format(said=said, PASSPHRASE_ENV=PASSPHRASE_ENV),
            True,
            data,
        )
    try:
        read_secret_file(path, _("passphrase"))
    except InputError as exc:
        return Check(
            N_("Credentials"),
            "fail",
            _("no system keyring, and ${PASSPHRASE_ENV} cannot be used: {message}").format(
                PASSPHRASE_ENV=PASSPHRASE_ENV, message=exc.message
            ),
            True,
            data,
        )
    return Check(
        N_("Credentials"),
        "warn",
        _(
            "no system keyring; secrets go to the encrypted file store, with the passphrase in "
            "${PASSPHRASE_ENV} ({path})"
        ).format(PASSPHRASE_ENV=PASSPHRASE_ENV, path=path),
        True,
        data,
    )


def check_data_folder() -> Check:
    from x2desk.core.errors import X2DeskError
    from x2desk.core.paths import data_dir
    from x2desk.core.store.atomic import atomic_write
    from x2desk.core.store.records import RecordStore
    from x2desk.core.store.settings import load_settings

    try:
        folder = data_dir()
    except OSError as exc:
        where = os.environ.get("X2DESK_HOME") or _("the data folder")
        return Check(
            N_("Data folder"),
            "fail",
            _("cannot create {where}: {why}").format(where=where, why=exc.strerror or exc),
            True,
        )
    data: dict[str, Any] = {"path": str(folder)}
    probe = folder / ".doctor-probe"
    try:
        atomic_write(probe, b"ok")
        probe.unlink()
    except OSError as exc:
        return Check(
            N_("Data folder"),
            "fail",
            _("{folder} is not writable: {why}").format(folder=folder, why=exc.strerror or exc),
            True,
            data,
        )
    problems = []
    try:
        with RecordStore.open() as records:
            data.update(records=len(records.list()), schema=records.schema_version)
    except X2DeskError as exc:
        problems.append(exc.message)
    try:
        load_settings()
    except X2DeskError as exc:
        problems.append(exc.message)
    if problems:
        return Check(N_("Data folder"), "fail", f"{folder}: " + " ".join(problems), True, data)
    saved = ngettext("{n} saved connection", "{n} saved connections", data["records"])
    detail = f"{folder} ({saved.format(n=data['records'])})"
    return Check(N_("Data folder"), "ok", detail, True, data)


def check_journal() -> Check:
    """Requests that went out and never finished, secrets and records that lost each other."""
    from x2desk.core.store.audit import audit_data_folder

    result = audit_data_folder()
    counts = result.counts()
    data: dict[str, Any] = dict(counts, secrets_checked=result.secrets_checked)
    data["findings"] = [f.to_json() for f in result.findings]
    parts = [
        ngettext("{n} unfinished request", "{n} unfinished requests", counts["unfinished"]),
        ngettext(
            "{n} secret without a record",
            "{n} secrets without a record",
            counts["secret_without_record"],
        ),
        ngettext(
            "{n} record without its secret",
            "{n} records without their secret",
            counts["record_without_secret"],
        ),
    ]
    detail = ", ".join(part.format(n=n) for part, n in zip(parts, counts.values(), strict=True))
    if not result.secrets_checked:
        detail += " " + _("(secrets not compared: the credential store is locked)")
    if result.findings:
        detail += ". " + " ".join(f"{f.summary} {f.advice}" for f in result.findings)
    return Check(N_("Journal"), "warn" if result.findings else "ok", detail, data=data)
