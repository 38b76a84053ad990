"""The label a new connection goes by in x2desk's list, asked for at the end of every wizard
(the X2Chat bot's saved page, an account's result, a Green-API instance's result), the same way:
prefilled with what the flow saved (:func:`x2desk.core.saving.default_label`: the bot's
@username, the account's name or phone, the instance's id and phone), changed through the record
(:meth:`~x2desk.core.store.records.RecordStore.rename`, so its history says so) when the person
types another one and leaves the page. Read and written in workers; :func:`records_changed`
tells the home list to read the records again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from x2desk.core.errors import InputError
from x2desk.core.store.records import MAX_LABEL, check_label
from x2desk.core.texts import error_text
from x2desk.i18n import _
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.workers import run_in_worker

log = logging.getLogger(__name__)


class _Records(QObject):
    changed = Signal()


_records: _Records | None = None


def records_changed() -> _Records:
    """The window's one notice that a record changed outside the home view (``changed()``)."""
    global _records
    if _records is None:
        _records = _Records()
    return _records


class LabelField(QWidget):
    """ "Label in x2desk: [@shop_bot]". :meth:`load` shows a saved record's label;
    :meth:`commit` renames it if the person typed another (valid) one. Signals: ``renamed(str)``."""

    renamed = Signal(str)

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(f"{object_name}Row")
        # a grid, not a QFormLayout: in a narrow window the form's rows wrap, and it laid the
        # two-line hint out one line high although its own height-for-width asked for two
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setColumnStretch(1, 1)
        self.edit = QLineEdit()
        name(self.edit, object_name, _("Label in x2desk's list"))
        self.edit.setMaxLength(MAX_LABEL)
        self.hint = label(
            _("How this connection shows in x2desk's list: change it to tell it apart."),
            f"{object_name}Hint",
            role="muted",
        )
        caption = label(_("&Label in the list"), wrap=False)
        caption.setBuddy(self.edit)
        lay.addWidget(caption, 0, 0)
        lay.addWidget(self.edit, 0, 1)
        lay.addWidget(self.hint, 1, 1)
        self.record_id: int | None = None
        self.saved = ""  # the label the record has
        self.edit.textChanged.connect(self._check)
        self.edit.editingFinished.connect(self.commit)
        self.hide()

    def load(self, record_id: int | None) -> None:
        """Show the label of record ``record_id`` (read in a worker); None hides the field."""
        if record_id is None:
            self.clear()
            return
        if record_id == self.record_id:
            return
        self.record_id = record_id

        def read() -> str:
            from x2desk.core.store.records import RecordStore

            with RecordStore.open() as records:
                return records.get(record_id).display_label

        def show(text: str) -> None:
            if self.record_id == record_id:
                self.saved = text
                self.edit.setText(text)
                self.show()

        run_in_worker(
            read, show, lambda exc: log.debug("no label: %s", exc), "read label", owner=self.edit
        )

    def clear(self) -> None:
        self.record_id, self.saved = None, ""
        self.edit.clear()
        self.hide()

    def _check(self, text: str) -> None:
        try:
            check_label(text)
        except InputError as exc:
            set_hint(self.hint, exc.message, False)
            return
        self.hint.setText(
            _("How this connection shows in x2desk's list: change it to tell it apart.")
        )
        self.hint.setProperty("tone", "")
        repolish(self.hint)

    def commit(self) -> None:
        """Rename the record when the label typed differs from its own (and is a label)."""
        record_id = self.record_id
        try:
            new = check_label(self.edit.text())
        except InputError:
            return
        if record_id is None or new == self.saved:
            return
        self.saved = new

        def rename() -> str:
            from x2desk.core.store.records import RecordStore

            with RecordStore.open() as records:
                return records.rename(record_id, new).display_label

        def failed(exc: BaseException) -> None:
            self.saved = ""
            set_hint(self.hint, error_text(exc), False)

        # Done may throw the page away before the rename answers: the field hears only while
        # it exists, the home list always
        job = run_in_worker(rename, self.renamed.emit, failed, "rename", owner=self.edit)
        job.done.connect(lambda _text: records_changed().changed.emit())
