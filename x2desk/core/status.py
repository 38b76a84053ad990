"""A saved connection's health, as the home list shows it and the checks find it: the one
vocabulary (:class:`Status`), its words for people, and the order "needs attention first".

The record keeps the status, a short reason (why, in words: never a secret) and when it was
last checked (:mod:`x2desk.core.store.records`); :mod:`x2desk.core.home.checks` finds it.
"""

from __future__ import annotations

from enum import StrEnum

from x2desk.i18n import N_, _


class Status(StrEnum):
    WORKS = "works"
    NEEDS_REAUTH = "needs_reauth"  # log in / pair / connect again (the kind's fix)
    UNPAID = "unpaid"  # outside the paid subscription or plan
    NOT_CHECKED = "not_checked"
    CHECK_FAILED = "check_failed"  # could not be checked, or broken for another reason

    @property
    def text(self) -> str:
        """The word for people, in the current language (never a colour alone)."""
        return _(STATUS_TEXT[self])

    @property
    def attention(self) -> int:
        """Sort rank: what needs the operator first."""
        return ATTENTION.index(self)


STATUS_TEXT: dict[Status, str] = {
    Status.WORKS: N_("works"),
    Status.NEEDS_REAUTH: N_("needs re-authorisation"),
    Status.UNPAID: N_("unpaid"),
    Status.NOT_CHECKED: N_("not checked"),
    Status.CHECK_FAILED: N_("check failed"),
}

ATTENTION: tuple[Status, ...] = (
    Status.NEEDS_REAUTH,
    Status.UNPAID,
    Status.CHECK_FAILED,
    Status.NOT_CHECKED,
    Status.WORKS,
)


def parse_status(text: str) -> Status:
    """A status from its value (``works``) or its English word (``needs re-authorisation``);
    ValueError when it is neither."""
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"needs_re_authorisation": "needs_reauth", "failed": "check_failed"}
    return Status(aliases.get(value, value))
