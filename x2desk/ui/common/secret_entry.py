"""A page with one masked entry that a login session takes: a login code (with a "Show" box: a
code may be shown, and is never logged) or a two-step verification password (never shown). A
wrong one keeps the page, with the service's words for what went wrong."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QLineEdit

from x2desk.core.secret import Secret
from x2desk.core.session.states import Snapshot
from x2desk.i18n import _
from x2desk.ui.common.widgets import label, name
from x2desk.ui.common.wizard import StatusPage


class SecretEntryPage(StatusPage):
    """A page with one masked entry that the session takes (code or password); ``show_toggle``:
    a "Show" box that unmasks it (a login code: the error may say "check the code")."""

    def __init__(
        self,
        page_id: str,
        message: Callable[[BaseException | None], str],
        show_toggle: bool = False,
        busy_text: str = "",
    ) -> None:
        super().__init__(page_id)
        self.message = message  # the service's words for an error
        self.busy_text = busy_text or _("Checking with the provider…")
        self.prompt = label("", f"{page_id}Prompt", role="heading")
        self.lay.addWidget(self.prompt)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaximumWidth(360)
        self.lay.addWidget(self.edit)
        self.show_box: QCheckBox | None = None
        if show_toggle:
            self.show_box = QCheckBox(_("&Show the code"))
            name(self.show_box, f"{page_id}Show")
            self.show_box.toggled.connect(self._unmask)
            self.lay.addWidget(self.show_box)
        self.note = label("", f"{page_id}Note", role="muted")
        self.lay.addWidget(self.note)
        self.session_left = label("", f"{page_id}SessionLeft", role="muted")
        self.lay.addWidget(self.session_left)
        self.add_status()
        self.lay.addStretch(1)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.returnPressed.connect(self.submitted)

    def _unmask(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)

    def value(self) -> Secret:
        return Secret(self.edit.text())

    def reset(self) -> None:
        self.edit.clear()
        if self.show_box is not None:
            self.show_box.setChecked(False)
        self.banner.clear_message()
        self.set_busy(False)

    def show_snapshot(self, snap: Snapshot) -> None:
        self.set_busy(bool(snap.busy), self.busy_text)
        if snap.error is not None and not snap.busy:
            self.show_error(self.message(snap.error))
            self.edit.selectAll()
            self.edit.setFocus()
        elif not snap.busy:
            self.banner.clear_message()
        if snap.session_seconds_left is not None:
            m, s = divmod(snap.session_seconds_left, 60)
            self.session_left.setText(_("The login session ends in {m}:{s:02d}.").format(m=m, s=s))

    def enter(self) -> None:
        self.edit.setFocus()

    def can_next(self) -> bool:
        return not self.is_busy() and bool(self.edit.text().strip())
