"""Hand a connection over to the business's own systems: a ``.env`` or JSON file with what they
need to use it, written where the person chose, readable by its owner only.

What goes in (:func:`plan_export`):

- an X2Chat bot: ``BOT_TOKEN`` (secret), ``CHAT_ID``, ``API_BASE``;
- a Green-API instance: ``ID_INSTANCE``, ``API_TOKEN_INSTANCE`` (secret), ``API_URL``;
- a provider connection: ``CONNECTION_ID``, ``CONNECTION_TYPE``, ``COMPANY_ID`` (when known),
  ``PROVIDER_URL``; the provider's API key (``PROVIDER_API_KEY``, secret: it works for every
  connection of the company) only when asked for (``include_provider_key``).

The window shows :attr:`ExportPlan.warning` (it names every variable and which are secrets)
and writes only after the person agrees; the CLI prints it on stderr. :func:`write_export`
writes atomically (a temporary file made 0600 before a byte is written, then renamed) and
refuses a file that exists unless told to replace it. Never the clipboard. The history records
that an export was made (the format, the variable names and where), never a value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from x2desk.core.errors import InputError, StoreError
from x2desk.core.kinds import KINDS, Service
from x2desk.core.secret import Secret
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record, RecordStore

EVENT_EXPORT = "export"
_PLAIN = re.compile(r"^[A-Za-z0-9_./:@+,-]*$")


class Format(StrEnum):
    ENV = "env"
    JSON = "json"


@dataclass(frozen=True)
class ExportPlan:
    record: Record
    names: tuple[str, ...]  # the variables, in the file's order
    secrets: tuple[str, ...]  # which of them are secrets
    include_provider_key: bool = False

    @property
    def warning(self) -> str:
        """What the file will hold, for the confirmation."""
        return _(
            "The file will hold {names} of {label}. {secrets} are secrets: anyone who can read "
            "the file can use the connection. x2desk makes it readable by you only; keep it "
            "that way, hand it over safely and delete it when it is no longer needed."
        ).format(
            names=", ".join(self.names),
            label=self.record.display_label,
            secrets=", ".join(self.secrets),
        )


def _service(record: Record) -> Service:
    entry = KINDS.get("x2chat_bot" if record.kind == "x2chat" else record.kind)
    if entry is None:
        raise InputError(_("x2desk cannot export a '{kind}' connection.").format(kind=record.kind))
    return entry.service


def plan_export(record: Record, *, include_provider_key: bool = False) -> ExportPlan:
    """What exporting ``record`` would write. InputError for a forgotten connection, or a
    provider key asked for a connection that has none."""
    if record.forgotten:
        raise InputError(
            _("Connection {id} was forgotten: it has nothing to export.").format(id=record.id)
        )
    service = _service(record)
    if service is Service.X2CHAT:
        return ExportPlan(record, ("BOT_TOKEN", "CHAT_ID", "API_BASE"), ("BOT_TOKEN",))
    if service is Service.GREENAPI:
        instance = ("ID_INSTANCE", "API_TOKEN_INSTANCE", "API_URL")
        return ExportPlan(record, instance, ("API_TOKEN_INSTANCE",))
    names = ("CONNECTION_ID", "CONNECTION_TYPE", "COMPANY_ID", "PROVIDER_URL")
    if include_provider_key:
        return ExportPlan(record, (*names, "PROVIDER_API_KEY"), ("PROVIDER_API_KEY",), True)
    return ExportPlan(record, names, ())


def export_values(plan: ExportPlan, credentials: CredentialStore) -> dict[str, str | int | Secret]:
    """The values, secrets loaded from ``credentials`` (StoreError when one is missing)."""
    record = plan.record
    service = _service(record)
    if service is Service.X2CHAT:
        return {
            "BOT_TOKEN": _secret(record, credentials, _("bot token")),
            "CHAT_ID": record.chat_id if record.chat_id is not None else "",
            "API_BASE": record.api_base or "",
        }
    if service is Service.GREENAPI:
        from x2desk.core.greenapi.client import default_api_url

        return {
            "ID_INSTANCE": record.external_id,
            "API_TOKEN_INSTANCE": _secret(record, credentials, "apiTokenInstance"),
            "API_URL": record.api_base or default_api_url(record.external_id),
        }
    return _provider_values(plan, credentials)


def _provider_values(
    plan: ExportPlan, credentials: CredentialStore
) -> dict[str, str | int | Secret]:
    from x2desk.core.accounts.companies import load_provider_key, remembered_company

    record = plan.record
    base = record.api_base or ""
    company = record.company_id or (remembered_company(base) if base else None)
    values: dict[str, str | int | Secret] = {
        "CONNECTION_ID": record.external_id,
        "CONNECTION_TYPE": record.kind,
        "COMPANY_ID": company or "",
        "PROVIDER_URL": base,
    }
    if plan.include_provider_key:
        key, _company = load_provider_key(credentials, base, company)
        if key is None:
            raise StoreError(
                _(
                    "No API key for the provider at {address} is saved in this profile, so "
                    "none can be exported. Nothing was written."
                ).format(address=base)
            )
        values["PROVIDER_API_KEY"] = key
    return values


def _secret(record: Record, credentials: CredentialStore, what: str) -> Secret:
    secret = credentials.load(record.secret_ref) if record.secret_ref else None
    if secret is None:
        raise StoreError(
            _(
                "The {what} of {label} is no longer in {store}, so it cannot be exported. "
                "Nothing was written."
            ).format(
                what=what,
                label=record.display_label,
                store=getattr(credentials, "description", None) or _("the credential store"),
            )
        )
    return secret


def render(values: dict[str, str | int | Secret], fmt: Format) -> bytes:
    """The file's bytes (secrets revealed: write them only where the person chose)."""
    plain = {k: v.reveal() if isinstance(v, Secret) else v for k, v in values.items()}
    if Format(fmt) is Format.JSON:
        return (json.dumps(plain, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    lines = [f"{name}={_env_value(value)}" for name, value in plain.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _env_value(value: str | int) -> str:
    text = str(value)
    if _PLAIN.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return '"' + escaped.replace("\n", "\\n").replace("`", "\\`") + '"'


def write_export(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600 (:func:`check_target` first)."""
    from x2desk.core.store.atomic import atomic_write

    path = check_target(path, replace=replace)
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise StoreError(
            _("Cannot write {path}: {why}.").format(path=path, why=exc.strerror or exc)
        ) from None


def check_target(path: Path, *, replace: bool = False) -> Path:
    """``path`` (``~`` expanded) if a file may be written there: InputError when it exists
    (unless ``replace``), is a folder, or its folder does not exist."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise InputError(_("{path} is a folder: give a file name.").format(path=path))
    if not path.parent.is_dir():
        raise InputError(_("The folder {path} does not exist.").format(path=path.parent))
    if path.exists() and not replace:
        raise InputError(
            _("{path} already exists: choose another name, or replace it (--force).").format(
                path=path
            )
        )
    return path


def export_connection(
    records: RecordStore,
    credentials: CredentialStore,
    record_id: int | str,
    path: Path,
    fmt: Format,
    *,
    include_provider_key: bool = False,
    replace: bool = False,
) -> ExportPlan:
    """Plan, load, write and record one export (see the module's doc); the plan."""
    plan = plan_export(records.get(record_id), include_provider_key=include_provider_key)
    write_export(path, render(export_values(plan, credentials), fmt), replace=replace)
    note_export(records, plan, fmt, str(path))
    return plan


def note_export(records: RecordStore, plan: ExportPlan, fmt: Format, where: str) -> None:
    """The history's line for an export (names and where, never a value)."""
    note = f"{Format(fmt).value} → {where} ({', '.join(plan.names)})"
    records.add_event(plan.record.id, EVENT_EXPORT, "written", note)
