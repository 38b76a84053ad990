"""A connection's history for people and as CSV: every onboarding attempt (the flows record
theirs), check, rename, test message, export and forget, with when; never a secret (the records
refuse one, and these lines hold only words, ids and names).

:func:`history_lines` gives :class:`HistoryLine` rows (the window's table, ``x2desk history``);
:func:`history_csv` the same as CSV text (UTF-8, a header row, times in ISO 8601 with the UTC
offset); :func:`write_history_csv` writes it atomically.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from x2desk.core.kinds import FLOWS
from x2desk.core.status import STATUS_TEXT, Status
from x2desk.i18n import N_, _

if TYPE_CHECKING:
    from x2desk.core.store.record_schema import HistoryEvent
    from x2desk.core.store.records import RecordStore

CSV_COLUMNS = ("time", "event", "outcome", "what", "note")

# The home's own events (the flows' ids are in core.kinds.FLOWS).
EVENTS: dict[str, str] = {
    "check": N_("Checked"),
    "rename": N_("Renamed"),
    "forget": N_("Forgotten"),
    "export": N_("Exported"),
    "test_message": N_("Test message"),
    "x2chat_redeem": N_("Connected by the X2Chat QR"),
    "greenapi_code": N_("Paired by a login code"),
    "greenapi_repair": N_("Paired again"),
    "greenapi_keep": N_("Kept as it was (already authorised)"),
    "greenapi_batch": N_("Imported from a batch file"),
}
OUTCOMES: dict[str, str] = {
    "connected": N_("connected"),
    "reauthorised": N_("re-authorised"),
    "repaired": N_("paired again"),
    "renamed": N_("renamed"),
    "forgotten": N_("forgotten"),
    "unfinished": N_("not finished"),
    "written": N_("file written"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "imported": N_("imported"),
}


@dataclass(frozen=True)
class HistoryLine:
    at: float
    event: str  # the raw word (a flow id, "check", "rename"...)
    outcome: str
    what: str  # for people: the event and its outcome, translated
    note: str

    @property
    def when(self) -> str:
        """ISO 8601, local time with its offset (the CSV's)."""
        return datetime.fromtimestamp(self.at).astimezone().isoformat(timespec="seconds")


def describe(event: HistoryEvent) -> str:
    """One event for people: "Checked: works", "Telegram account, by QR: connected"."""
    flow = event.flow or ""
    if flow in FLOWS:
        what = _(FLOWS[flow].title)
    elif flow in EVENTS:
        what = _(EVENTS[flow])
    else:
        what = flow or _("Event")
    outcome = event.outcome or ""
    if flow == "check" and outcome in {s.value for s in Status}:
        said = _(STATUS_TEXT[Status(outcome)])
    else:
        said = _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome
    return f"{what}: {said}" if said else what


def history_lines(records: RecordStore, record_id: int | str) -> list[HistoryLine]:
    """The connection's history, oldest first."""
    return [
        HistoryLine(e.at, e.flow or "", e.outcome or "", describe(e), e.note or "")
        for e in records.history(record_id)
    ]


def history_csv(lines: list[HistoryLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow((line.when, line.event, line.outcome, line.what, line.note))
    return out.getvalue()


def write_history_csv(path: Path, lines: list[HistoryLine], *, replace: bool = False) -> None:
    """Write the CSV atomically (mode 0600); InputError when ``path`` exists unless ``replace``."""
    from x2desk.core.home.export import write_export

    write_export(path, history_csv(lines).encode("utf-8"), replace=replace)
