"""What the home list shows: a search box (labels, names, ids, companies: any of the words
typed, in any script) and filters by kind and by status. ``changed()`` comes a moment after the
person stops typing (or at once for a filter); :meth:`Filters.query` is the record store's
question (:class:`~x2desk.core.store.record_query.RecordQuery`), the one ``x2desk list`` asks.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from x2desk.core.kinds import KINDS
from x2desk.core.status import ATTENTION, Status
from x2desk.core.store.record_query import RecordQuery, Sort
from x2desk.i18n import _
from x2desk.ui.common.flow_layout import FlowLayout
from x2desk.ui.common.widgets import name
from x2desk.ui.home.icons import kind_icon, status_icon

TYPING_PAUSE_MS = 250


class Filters(QWidget):
    """Signals: ``changed()``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = FlowLayout(self)
        self.search = QLineEdit()
        name(self.search, "homeSearch", _("Search connections"))
        self.search.setPlaceholderText(_("Search by label, name, id or company"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(340)
        self.kind = QComboBox()
        name(self.kind, "homeKindFilter", _("Show the kind"))
        self.kind.addItem(_("All kinds"), "")
        for entry in KINDS.values():
            self.kind.addItem(kind_icon(entry.id), _(entry.name), entry.id)
        self.status = QComboBox()
        name(self.status, "homeStatusFilter", _("Show the status"))
        self.status.addItem(_("All statuses"), "")
        for status in ATTENTION:
            self.status.addItem(status_icon(status), status.text, status.value)
        for w in (self.search, self.kind, self.status):
            lay.addWidget(w)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self._pause.start())
        self.kind.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.status.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def query(self) -> RecordQuery:
        kind = str(self.kind.currentData() or "")
        status = str(self.status.currentData() or "")
        return RecordQuery.of(
            self.search.text(),
            [kind] if kind else [],
            [Status(status)] if status else [],
            sort=Sort.LABEL,
        )

    def narrowed(self) -> bool:
        """Something is searched for or filtered: the list may not show every connection."""
        return bool(
            self.search.text().strip() or self.kind.currentIndex() or self.status.currentIndex()
        )

    def show_status(self, status: Status | None) -> None:
        """Show only ``status`` (None: every status)."""
        index = self.status.findData(status.value) if status is not None else 0
        self.status.setCurrentIndex(max(index, 0))

    def clear(self) -> None:
        self._pause.stop()
        self.search.clear()
        self._pause.stop()
        self.kind.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
