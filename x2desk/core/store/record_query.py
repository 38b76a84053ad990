"""What the home list asks the records for: search text, kinds, statuses, order
(:class:`RecordQuery`), turned into one SQL query (:func:`query_sql`).

Search is case-insensitive in any script: every write stores the record's case-folded
``search_text`` (:func:`x2desk.core.store.record_schema.search_text`) and the words typed are
case-folded the same way, each of them to be found (``flower 12`` finds "Flower shop", #12).
Indexes on (forgotten_at, status), (forgotten_at, kind) and (forgotten_at, label_key) serve the
filters and the default order; ``bench/records_query.py`` measures a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from x2desk.core.status import ATTENTION, Status


class Sort(StrEnum):
    LABEL = "label"
    KIND = "kind"
    STATUS = "status"  # needs attention first
    CHECKED = "checked"  # last checked first; never checked last
    CREATED = "created"
    UPDATED = "updated"


_ORDER: dict[Sort, str] = {
    Sort.LABEL: "label_key {dir}, id",
    Sort.KIND: "kind {dir}, label_key, id",
    Sort.STATUS: "status_rank {dir}, label_key, id",
    Sort.CHECKED: "checked_at IS NULL, checked_at {dir}, label_key, id",
    Sort.CREATED: "created_at {dir}, id",
    Sort.UPDATED: "updated_at {dir}, id",
}
# The natural direction of each order (``descending`` turns it round).
_NATURAL_DESC = {Sort.CHECKED, Sort.UPDATED}

_STATUS_RANK = (
    "CASE status "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(ATTENTION))
    + f" ELSE {len(ATTENTION)} END AS status_rank"
)


@dataclass(frozen=True)
class RecordQuery:
    """The home list's question. Empty ``kinds``/``statuses``: all of them."""

    text: str = ""
    kinds: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    sort: Sort = Sort.LABEL
    descending: bool = False
    include_forgotten: bool = False
    limit: int | None = None
    offset: int = 0

    @classmethod
    def of(
        cls,
        text: str = "",
        kinds: Iterable[str] = (),
        statuses: Iterable[Status | str] = (),
        **options: Any,
    ) -> RecordQuery:
        """Built from plain values (``statuses`` as Status or their values)."""
        return cls(
            text=text,
            kinds=frozenset(kinds),
            statuses=frozenset(Status(s) for s in statuses),
            **options,
        )


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def query_sql(query: RecordQuery) -> tuple[str, list[Any]]:
    """The SELECT for ``query`` and its parameters."""
    from x2desk.core.store.record_schema import sort_key

    where: list[str] = []
    params: list[Any] = []
    if not query.include_forgotten:
        where.append("forgotten_at IS NULL")
    if query.kinds:
        where.append(f"kind IN ({', '.join('?' for _ in query.kinds)})")
        params += sorted(query.kinds)
    if query.statuses:
        where.append(f"status IN ({', '.join('?' for _ in query.statuses)})")
        params += sorted(s.value for s in query.statuses)
    for word in sort_key(query.text).split():
        where.append("search_text LIKE ? ESCAPE '\\'")
        params.append(_like(word))
    descending = query.descending != (query.sort in _NATURAL_DESC)
    order = _ORDER[query.sort].format(dir="DESC" if descending else "ASC")
    sql = f"SELECT *, {_STATUS_RANK} FROM connections"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if query.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [max(0, int(query.limit)), max(0, int(query.offset))]
    return sql, params
