"""The token page's Paste tab: the token (or its link) typed or pasted, classified once per
change; the :class:`~x2desk.core.x2chat.tokens.Intake` found is what Next (or Enter) hands on,
so nothing after it classifies the text again."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from x2desk.core.x2chat.tokens import Intake, classify
from x2desk.i18n import _
from x2desk.ui.common.theme import repolish
from x2desk.ui.common.widgets import label


class PasteTab(QWidget):
    """Signals: ``changed()`` when what was typed changes (Next may change with it);
    ``submitted()`` on Enter when it holds a token."""

    changed = Signal()
    submitted = Signal()

    def __init__(self) -> None:
        super().__init__()
        v = QVBoxLayout(self)
        v.setContentsMargins(16, 16, 16, 16)
        v.addWidget(
            label(
                _(
                    'Paste the token from X2Chat\'s "Copy token" button, or its link '
                    "(x2chat://bot/integrate?token=…)."
                )
            )
        )
        self.edit = QLineEdit()
        self.edit.setObjectName("pasteToken")
        self.edit.setAccessibleName(_("Integration token"))
        self.edit.setPlaceholderText("fc6e2368-b677-430d-9f2f-295ce705c9d0")  # an example
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._classify)
        self.edit.returnPressed.connect(self._return)
        v.addWidget(self.edit)
        self.hint = label("", "pasteHint")
        v.addWidget(self.hint)
        v.addStretch(1)
        self.intake: Intake = classify("")

    def _classify(self, text: str) -> None:
        self.intake = classify(text)
        if not text.strip():
            self.hint.setText("")
        elif self.intake.ok:
            self.hint.setText(_("✓ A valid X2Chat integration token. Press Next."))
            self.hint.setProperty("tone", "hint-ok")
        else:
            self.hint.setText(self.intake.explanation)
            self.hint.setProperty("tone", "hint-bad")
        repolish(self.hint)
        self.changed.emit()

    def _return(self) -> None:
        if self.intake.ok:
            self.submitted.emit()

    def clear(self) -> None:
        self.edit.clear()
