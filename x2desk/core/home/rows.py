"""What the home list shows of a saved connection (never a secret): one :class:`Row` per record,
words translated, for the window's model and ``x2desk list`` alike. :func:`load_rows` reads the
active profile's records (blocking: a worker)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from x2desk.core.kinds import KINDS, Fix, Service
from x2desk.core.status import Status
from x2desk.i18n import _, format_datetime

if TYPE_CHECKING:
    from x2desk.core.store.record_query import RecordQuery
    from x2desk.core.store.records import Record


@dataclass(frozen=True)
class Row:
    id: int
    label: str
    kind: str  # the record's kind (telegram, greenapi...): the icon's name
    kind_name: str  # its word, translated
    service: Service | None
    where: str  # what tells it apart besides the label: "chat 5", "instance 1101000001"
    company: str  # the provider company ("Flower shop #12"), or ""
    status: Status
    status_text: str  # the status's word; "forget unfinished" while a forget is
    reason: str  # why, in a sentence, or ""
    checked_at: float | None
    checked_text: str  # when, for people; "never"
    fix: Fix | None  # what the kind's fix is (re-authorise, re-pair, change key)
    forgetting: bool = False
    external_id: str = ""  # the id at the service (what a fix works on)
    api_base: str = ""  # the address it was made at
    company_id: str = ""  # the provider company it lives in ("" when not known)
    chat_id: int | str | None = None  # an X2Chat bot's chat (a test message goes there)


def row_of(record: Record) -> Row:
    entry = KINDS.get("x2chat_bot" if record.kind == "x2chat" else record.kind)
    service = entry.service if entry is not None else None
    if service is Service.X2CHAT:
        where = _("chat {id}").format(id=record.chat_id) if record.chat_id is not None else ""
    elif service is Service.GREENAPI:
        where = _("instance {id}").format(id=record.external_id)
    else:
        where = _("connection {id}").format(id=record.external_id)
    company = record.company_name or ""
    if record.company_id:
        company = f"{company} #{record.company_id}".strip()
    return Row(
        id=record.id,
        label=record.display_label,
        kind=record.kind,
        kind_name=_(entry.name) if entry is not None else record.kind,
        service=service,
        where=where,
        company=company,
        status=record.status,
        status_text=_("forget unfinished") if record.forgetting else record.status.text,
        reason=record.status_reason or "",
        checked_at=record.checked_at,
        checked_text=format_datetime(record.checked_at) if record.checked_at else _("never"),
        fix=entry.fix if entry is not None else None,
        forgetting=record.forgetting,
        external_id=record.external_id,
        api_base=record.api_base or "",
        company_id=record.company_id or "",
        chat_id=record.chat_id,
    )


def facts(record: Record, row: Row | None = None) -> list[tuple[str, str]]:
    """Everything known of ``record`` but its secret, as (name, value) for people, in order
    (``x2desk show`` and the window's details); empty values are the caller's to skip."""
    row = row or row_of(record)
    status = row.status_text + (f": {row.reason}" if row.reason else "")
    if record.forgotten:
        status = _("forgotten {when}").format(when=format_datetime(record.forgotten_at or 0))
    return [
        (_("Label"), row.label),
        (_("Kind"), f"{row.kind_name} ({row.kind})"),
        (_("Id at the service"), record.external_id),
        (_("Chat"), "" if record.chat_id is None else str(record.chat_id)),
        (_("Address"), record.api_base or ""),
        (_("Company"), row.company),
        (_("Status"), status),
        (_("Last checked"), row.checked_text),
        (_("Secret kept as"), record.secret_ref or _("(none of its own)")),
        (_("Still to delete"), ", ".join(record.forget_left)),
        (_("Saved"), format_datetime(record.created_at)),
        (_("Changed"), format_datetime(record.updated_at)),
    ]


def load_rows(query: RecordQuery | None = None) -> list[Row]:
    """The active profile's connections the query finds (default: all, by label)."""
    from x2desk.core.store.record_query import RecordQuery
    from x2desk.core.store.records import RecordStore

    with RecordStore.open() as records:
        return [row_of(r) for r in records.query(query or RecordQuery())]
