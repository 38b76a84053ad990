"""Pairing many Green-API instances from one CSV file, one after another (issue 14 item 7).

The file has one instance a line: ``id, token, apiUrl, label`` (apiUrl and label may be empty:
the instance's own apiUrl and a default label are used), separated by commas or semicolons,
UTF-8; a first line naming the columns (``idInstance,apiTokenInstance,apiUrl,label``, any order)
is allowed. :meth:`BatchQueue.read` checks every line and reports each bad one with its line
number and what is wrong (:class:`RowError`), never quoting a token. Each good line's token goes
to the credential store as it is read, with a record of the instance (status "needs
re-authorisation": not paired yet; its history says it was imported), so the store and the
records agree from the start and an abandoned batch leaves instances the home view can pair
later. The CSV itself is read once and never copied.

The queue then hands out its rows one after another (:meth:`BatchQueue.next`); each is paired
by the existing :class:`~x2desk.core.greenapi.pairing.GreenApiPairing`
(:meth:`BatchQueue.pairing`), and :meth:`BatchQueue.finish` records how it ended. A row is
``waiting``, ``pairing``, ``done``, ``failed`` (with the reason) or ``skipped``;
:meth:`BatchQueue.retry` puts a failed or skipped row back in line. No Qt; blocking: a worker.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from x2desk.core.errors import InputError
from x2desk.core.secret import Secret
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.greenapi.pairing import GreenApiPairing
    from x2desk.core.session.machine import Snapshot
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import RecordStore

KIND = "greenapi"
EVENT = "greenapi_batch"
MAX_BYTES = 1_000_000
MAX_ROWS = 500
COLUMNS = ("id", "token", "api_url", "label")
HEADER_NAMES: dict[str, str] = {
    "id": "id",
    "idinstance": "id",
    "id_instance": "id",
    "instance": "id",
    "token": "token",
    "apitokeninstance": "token",
    "api_token_instance": "token",
    "api_token": "token",
    "apiurl": "api_url",
    "api_url": "api_url",
    "url": "api_url",
    "label": "label",
    "name": "label",
}


class RowState(StrEnum):
    WAITING = "waiting"
    PAIRING = "pairing"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RowError:
    line: int
    problem: str  # translated; never a token

    @property
    def text(self) -> str:
        return _("Line {line}: {problem}").format(line=self.line, problem=self.problem)


@dataclass
class BatchRow:
    line: int
    id_instance: str
    api_url: str
    label: str
    record_id: int
    state: RowState = RowState.WAITING
    reason: str = ""
    attempts: int = 0


class BatchQueue:
    """The instances of one CSV file and how far each got. See the module's doc."""

    def __init__(self, rows: list[BatchRow], errors: list[RowError]) -> None:
        self.rows = rows
        self.errors = errors

    # ---- reading -----------------------------------------------------------------------------

    @classmethod
    def read(
        cls,
        path: Path,
        credentials: CredentialStore,
        records: RecordStore,
        *,
        refuse_shared: bool = True,
        api_url_for: Callable[[str], str] | None = None,
    ) -> BatchQueue:
        """Read and check ``path``, saving each good line's token and record as it goes.
        InputError for a file that cannot be read at all (missing, too big, not UTF-8, readable
        by others when ``refuse_shared``); bad lines are in :attr:`errors`. ``api_url_for``:
        the apiUrl of an instance whose line gives none (default: its own, from its id)."""
        text = _read_text(Path(path), refuse_shared)
        rows: list[BatchRow] = []
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        for line, cells in _lines(text, errors):
            try:
                row = _check(cells, line, seen, api_url_for)
            except InputError as exc:
                errors.append(RowError(line, exc.message))
                continue
            rows.append(_save(row, line, credentials, records))
            seen[row[0]] = line
        return cls(rows, sorted(errors, key=lambda e: e.line))

    # ---- the queue ---------------------------------------------------------------------------

    def next(self) -> BatchRow | None:
        """The first row still waiting, or None when every row is done, failed or skipped."""
        return next((r for r in self.rows if r.state is RowState.WAITING), None)

    def pairing(
        self,
        row: BatchRow,
        credentials: CredentialStore,
        records: RecordStore,
        **options: Any,
    ) -> GreenApiPairing:
        """A pairing of ``row``'s instance with its saved token (``options``: the pairing's
        clock, scheduler, interval...); the row is ``pairing`` from now on."""
        from x2desk.core.errors import StoreError
        from x2desk.core.greenapi.client import GreenApiClient
        from x2desk.core.greenapi.pairing import GreenApiPairing

        record = records.get(row.record_id)
        token = credentials.load(record.secret_ref or "")
        if token is None:
            raise StoreError(
                _(
                    "The apiTokenInstance of instance {id} is no longer saved: import it again."
                ).format(id=row.id_instance)
            )
        client = GreenApiClient(row.api_url, row.id_instance, token)
        row.state, row.reason = RowState.PAIRING, ""
        row.attempts += 1
        return GreenApiPairing(
            client, row.label, records=records, credentials=credentials, **options
        )

    def finish(self, row: BatchRow, snap: Snapshot, records: RecordStore) -> BatchRow:
        """How ``row``'s pairing ended (its last snapshot): done, or failed with the reason
        (also in the instance's history)."""
        from x2desk.core.session.machine import State
        from x2desk.core.texts import error_text

        if snap.state is State.CONNECTED:
            row.state, row.reason = RowState.DONE, ""
            return row
        reason = error_text(snap.error, "greenapi") if snap.error is not None else snap.text
        self.fail(row, reason or _("The pairing stopped."), records, snap.error_key)
        return row

    def fail(
        self, row: BatchRow, reason: str, records: RecordStore, key: str | None = None
    ) -> None:
        row.state, row.reason = RowState.FAILED, reason
        records.add_event(row.record_id, EVENT, "failed", key or "stopped")

    def skip(self, row: BatchRow) -> None:
        row.state = RowState.SKIPPED

    def retry(self, row: BatchRow) -> None:
        """Put a failed or skipped row back in line."""
        if row.state in (RowState.FAILED, RowState.SKIPPED):
            row.state = RowState.WAITING

    def counts(self) -> Counter[RowState]:
        return Counter(r.state for r in self.rows)


def _read_text(path: Path, refuse_shared: bool) -> str:
    from x2desk.core.private_files import shared_mode

    try:
        with path.expanduser().open("rb") as handle:
            mode = shared_mode(handle.fileno())
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(_("The file {path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise InputError(_("{path} is a folder, not a CSV file.").format(path=path)) from None
    except OSError as exc:
        raise InputError(
            _("Cannot read {path}: {why}.").format(path=path, why=exc.strerror)
        ) from None
    if mode is not None and refuse_shared:
        raise InputError(
            _(
                "The file {path} holds apiTokenInstances and can be read by other users of "
                "this computer (mode {mode}): run 'chmod 600 {path}' and try again."
            ).format(path=path, mode=mode)
        )
    if len(data) > MAX_BYTES:
        raise InputError(
            _("{path} is larger than {size} bytes: split it into smaller files.").format(
                path=path, size=MAX_BYTES
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            _("{path} is not UTF-8 text: save it from the spreadsheet as CSV UTF-8.").format(
                path=path
            )
        ) from None


def _lines(text: str, errors: list[RowError]) -> list[tuple[int, dict[str, str]]]:
    """(line number, cells by column) for every non-empty line but a header."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    order: tuple[str, ...] = COLUMNS
    found: list[tuple[int, dict[str, str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for cells in reader:
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if not found and line == 1 and cells[0].lower().replace(" ", "") in HEADER_NAMES:
            names = [HEADER_NAMES.get(c.lower().replace(" ", ""), "") for c in cells]
            if "" in names or "id" not in names or "token" not in names:
                errors.append(
                    RowError(
                        line,
                        _(
                            "the header names columns x2desk does not know: use idInstance, "
                            "apiTokenInstance, apiUrl and label."
                        ),
                    )
                )
                return []
            order = tuple(names)
            continue
        if len(found) >= MAX_ROWS:
            errors.append(
                RowError(
                    line,
                    _("more than {n} instances in one file: the rest were not read.").format(
                        n=MAX_ROWS
                    ),
                )
            )
            break
        if len(cells) > len(order):
            errors.append(
                RowError(
                    line,
                    _("it has {n} columns; at most {most} (id, token, apiUrl, label).").format(
                        n=len(cells), most=len(order)
                    ),
                )
            )
            continue
        found.append((line, dict(zip(order, cells, strict=False))))
    return found


def _check(
    cells: dict[str, str],
    line: int,
    seen: dict[str, int],
    api_url_for: Callable[[str], str] | None,
) -> tuple[str, Secret, str, str]:
    from x2desk.core.greenapi.client import check_api_token, check_api_url, check_instance_id
    from x2desk.core.store.records import check_label

    id_instance = check_instance_id(cells.get("id", ""))
    if id_instance in seen:
        raise InputError(
            _("instance {id} is already on line {other}.").format(
                id=id_instance, other=seen[id_instance]
            )
        )
    raw = cells.get("token", "")
    if not raw:
        raise InputError(_("the apiTokenInstance is missing (the second column)."))
    token = check_api_token(Secret(raw))
    url_text = cells.get("api_url", "")
    if url_text and "://" not in url_text:
        raise InputError(
            _("the apiUrl column holds no address (https://...): check the columns' order.")
        )
    if not url_text and api_url_for is not None:
        url_text = api_url_for(id_instance)
    api_url = check_api_url(url_text, id_instance)
    label = cells.get("label", "")
    if label and token.reveal() in label:
        raise InputError(_("the label holds the token: check the columns' order."))
    return id_instance, token, api_url, check_label(label) if label else ""


def _save(
    row: tuple[str, Secret, str, str],
    line: int,
    credentials: CredentialStore,
    records: RecordStore,
) -> BatchRow:
    """The token to the credential store first, then the instance's record (kept as it is when
    it is already saved, but for its token, address and label)."""
    from x2desk.core.saving import default_label
    from x2desk.core.status import Status
    from x2desk.core.store.credentials import secret_ref

    id_instance, token, api_url, label = row
    ref = secret_ref(KIND, id_instance)
    credentials.save(ref, token)
    existing = records.find(KIND, id_instance)
    fields: dict[str, Any] = {"api_base": api_url, "secret_ref": ref}
    if label:
        fields["label"] = label
    if existing is None or existing.forgotten:
        fields.update(
            label=label or default_label(KIND, id_instance),
            status=Status.NEEDS_REAUTH,
            status_reason=_("Imported; not paired yet."),
        )
    record = records.upsert(KIND, id_instance, flow=EVENT, outcome="imported", **fields)
    return BatchRow(line, id_instance, api_url, record.display_label, record.id)
