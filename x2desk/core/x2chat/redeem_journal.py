"""The journal's side of one redeem (issue 17 item 4, issue 12): what this computer remembers of
integration tokens it sent, so that a token on the wire is never lost unnoticed and a QR that was
already used here is named at once, without a request.

:class:`RedeemJournal` writes the intent (a one-way hash of the token, never the token) before
the redeem goes out, abandons it only when the server certainly did nothing (nothing was sent,
or a refusal that spends nothing), and moves it through answered, saved and done as the
credentials are stored. :func:`used_here` reads the earlier intents of a token and says what
became of it ("already used on this computer at 12:42 for @bot"). No Qt; blocking (SQLite): the
flow calls it from its effects, and :func:`used_here` once per scanned token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from x2desk.core.errors import (
    CannotConnect,
    InvalidAuth,
    RateLimited,
    StoreError,
    TokenInvalid,
    TokenSpent,
    WrongAddress,
    X2DeskError,
)
from x2desk.i18n import _, format_datetime

if TYPE_CHECKING:
    from x2desk.core.store.journal import Intent, Journal
    from x2desk.core.store.records import RecordStore

log = logging.getLogger(__name__)

FLOW = "x2chat_bot"  # the journal's flow id (core.kinds FLOWS) and the record kind
# Errors after which the server certainly kept the token unspent or refused it: the intent is
# abandoned. After anything else (no answer, a 5xx, an answer that cannot be read) the token may
# be spent, and the intent stays unfinished until the credentials are stored.
REFUSALS: tuple[type[X2DeskError], ...] = (
    CannotConnect,
    TokenInvalid,
    TokenSpent,
    RateLimited,
    InvalidAuth,
    WrongAddress,
)


def _open_journal() -> Journal:
    from x2desk.core.store.journal import open_journal

    return open_journal()


def _open_records() -> RecordStore:
    from x2desk.core.store.records import open_records

    return open_records()


def _when(at: float, now: float) -> str:
    """The time alone when it was today, else the date too."""
    same_day = time.localtime(at)[:3] == time.localtime(now)[:3]
    return format_datetime(at, time_only=same_day)


class RedeemJournal:
    """The intent of one flow's redeem. ``open_journal`` and ``open_records`` open the data
    folder's files (tests give their own)."""

    def __init__(
        self,
        open_journal: Callable[[], Journal] = _open_journal,
        open_records: Callable[[], RecordStore] = _open_records,
    ) -> None:
        self._open_journal = open_journal
        self._open_records = open_records
        self.intent: int | None = None
        self.uncertain = False  # a request went out whose outcome is unknown

    def begin(self, token: str, origin: str) -> None:
        """Before the redeem goes out (StoreError: do not send). A retry of the same token
        (after a 5xx or no connection) goes on with the intent already written."""
        if self.intent is not None:
            return
        with self._open_journal() as journal:
            self.intent = journal.begin(FLOW, "redeem", origin=origin, token=token)

    def failed(self, error: X2DeskError) -> None:
        """The redeem failed: abandon the intent when nothing was spent, else keep it."""
        if self.intent is None:
            return
        if isinstance(error, REFUSALS) and not self.uncertain:
            self._step(lambda j, i: j.abandon(i, error.key))
            self.intent = None  # a retry writes a new intent before it is sent
        else:
            self.uncertain = True  # a retry goes on with this one: it may be spent already

    def answered(self, bot_id: str) -> None:
        self._step(lambda j, i: j.answered(i, bot_id))

    def saved(self, ref: str) -> None:
        self._step(lambda j, i: j.saved(i, ref))

    def complete(self) -> None:
        self._step(lambda j, i: j.complete(i))
        self.intent = None
        self.uncertain = False

    def forget(self) -> None:
        """The flow starts over with another token: this intent stays as it is."""
        self.intent = None
        self.uncertain = False

    def _step(self, move: Callable[[Journal, int], None]) -> None:
        """A later step of the intent. Its failure only loses a journal entry (the credentials
        are what matters): logged, never raised."""
        if self.intent is None:
            return
        try:
            with self._open_journal() as journal:
                move(journal, self.intent)
        except StoreError as exc:
            log.warning("journal: could not note the redeem's progress (%s)", exc.key)

    # ---- a token seen before ----

    def used_here(self, token: str, now: float | None = None) -> str | None:
        """What became of ``token`` when this computer sent it before, for people; None when it
        was never sent from here (or only refused in a way that left it usable)."""
        try:
            with self._open_journal() as journal:
                earlier = journal.for_token(token)
        except StoreError as exc:
            log.info("journal: cannot look the token up (%s)", exc.key)
            return None
        return describe_earlier(earlier, self._bot_name, time.time() if now is None else now)

    def _bot_name(self, bot_id: str) -> str:
        try:
            with self._open_records() as records:
                record = records.find(FLOW, bot_id)
        except StoreError:
            record = None
        if record is not None and record.username:
            return f"@{record.username}"
        return _("bot {id}").format(id=bot_id)


def describe_earlier(
    earlier: list[Intent], bot_name: Callable[[str], str], now: float
) -> str | None:
    """The sentence for the latest earlier intent of a token that still counts."""
    for intent in reversed(earlier):
        when = _when(intent.started_at, now)
        if intent.state == "abandoned":
            if intent.note == TokenSpent.key:
                return _(
                    "X2Chat said at {time} that this QR was already used or has expired. Make "
                    "a new QR in X2Chat and scan it."
                ).format(time=when)
            continue  # refused without spending it (no connection, rate limit...): usable
        if intent.external_id is not None:
            return _(
                "This QR was already used on this computer at {time} for {bot}: it works only "
                "once. To connect the bot again, make a new QR in X2Chat."
            ).format(time=when, bot=bot_name(intent.external_id))
        return _(
            "This QR was already sent to X2Chat from this computer at {time} and no answer came "
            "back, so X2Chat has probably spent it. Make a new QR in X2Chat and scan it."
        ).format(time=when)
    return None
