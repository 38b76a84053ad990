"""At start, what an earlier run left unfinished (the journal's findings, issue 17): a redeem or
a create that never got its answer saved, a secret without a record, a record without its
secret, each with what to do. Read once, in a worker (:func:`x2desk.core.store.audit.
audit_data_folder`), and shown on the home view as a calm notice the person can put away. Never a
secret: the findings hold only kinds, ids, times and references.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from x2desk.core.printable import printable
from x2desk.i18n import _, ngettext
from x2desk.ui.common.widgets import Banner, button, label

if TYPE_CHECKING:
    from x2desk.core.store.audit import Audit

log = logging.getLogger(__name__)

SHOWN_AT_MOST = 3  # findings listed; the rest are counted (x2desk doctor lists them all)


def notice_text(result: Audit) -> str:
    """The notice's words for ``result`` ("" when nothing was found)."""
    findings = result.findings
    if not findings:
        return ""
    lines = [printable(f"• {f.summary} {f.advice}") for f in findings[:SHOWN_AT_MOST]]
    rest = len(findings) - SHOWN_AT_MOST
    if rest > 0:
        lines.append(
            ngettext(
                "…and {n} more: “x2desk doctor” lists them all.",
                "…and {n} more: “x2desk doctor” lists them all.",
                rest,
            ).format(n=rest)
        )
    return "\n".join(lines)


class JournalNotice(QWidget):
    """Hidden until :meth:`check` finds something. Signals: ``checked(count)`` once the
    findings are in (0: nothing to show, or the journal could not be read)."""

    checked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("journalNotice")
        self._job: object = None
        self.count: int | None = None  # the findings, once read
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.heading = label(
            _("An earlier run of x2desk left something unfinished:"), "journalHeading"
        )
        self.banner = Banner("journalBanner")
        self.hide_button = button(_("&Hide this note"), "journalHide")
        self.hide_button.clicked.connect(self.hide)
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        row.addWidget(self.hide_button)
        lay.addLayout(row)
        lay.addWidget(self.banner)
        self.hide()

    def check(self) -> None:
        """Read the journal, the records and the keyring in a worker; show what they say."""
        from x2desk.ui.common.workers import run_in_worker

        if self._job is not None:
            return

        def read() -> Audit:
            from x2desk.core.store.audit import audit_data_folder

            return audit_data_folder()

        self._job = run_in_worker(read, self._show, self._failed, "journal audit")

    def _show(self, result: Audit) -> None:
        text = notice_text(result)
        if text:
            self.banner.show_message(text, "info")
            self.show()
        self.count = len(result.findings)
        self.checked.emit(self.count)

    def _failed(self, exc: BaseException) -> None:
        log.debug("the journal could not be read: %s", type(exc).__name__)
        self.count = 0
        self.checked.emit(0)
