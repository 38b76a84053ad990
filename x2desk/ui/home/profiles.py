"""Profiles in the window: which business's connections are shown (:class:`ProfileSwitch`, on
the home view; the window's title names the active one), and making, renaming and removing
them (:class:`ProfilesDialog`). Each profile has its own list, addresses, provider keys and
secrets (:mod:`x2desk.core.profiles`); every change runs in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import InputError
from x2desk.core.profiles import DEFAULT, Profile, check_name
from x2desk.core.texts import error_text
from x2desk.i18n import _, ngettext
from x2desk.ui.common.widgets import Banner, button, label, name
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.home.dialogs import Question

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore


class ProfileSwitch(QWidget):
    """ "Profile: [Flower shop ▾] [Profiles…]". Signals: ``switch_requested(name)`` when the
    person picks another profile, ``manage_requested()``."""

    switch_requested = Signal(str)
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.combo = QComboBox()
        name(self.combo, "profileSwitch", _("Profile"))
        self.combo.setMinimumWidth(170)
        self.combo.setToolTip(_("Whose connections are shown: each profile has its own"))
        self.manage = button(_("P&rofiles…"), "profilesButton")
        self.manage.setToolTip(_("Add, rename or remove profiles"))
        caption = label(_("Profile:"), wrap=False)
        caption.setBuddy(self.combo)
        lay.addWidget(caption)
        lay.addWidget(self.combo)
        lay.addWidget(self.manage)
        lay.addStretch(1)
        self.active = ""
        self.combo.activated.connect(self._picked)
        self.manage.clicked.connect(self.manage_requested)

    def set_profiles(self, profiles: list[Profile], active: str) -> None:
        self.active = active
        self.combo.blockSignals(True)
        self.combo.clear()
        for profile in profiles:
            self.combo.addItem(profile.display_name, profile.name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(active)))
        self.combo.blockSignals(False)

    def _picked(self, index: int) -> None:
        chosen = str(self.combo.itemData(index) or "")
        if chosen and chosen != self.active:
            self.switch_requested.emit(chosen)


class NewProfileDialog(Question):
    """A new profile's name (it names a folder) and a title for people."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "newProfileDialog", _("Add a profile"), _("&Add"))
        self.body.addWidget(
            label(
                _(
                    "A profile keeps one business's connections, addresses and keys apart from "
                    "the others'."
                ),
                "newProfileNote",
            )
        )
        form = QFormLayout()
        self.title = QLineEdit()
        name(self.title, "newProfileTitle", _("Title"))
        self.title.setPlaceholderText(_("Corner bakery"))
        self.name = QLineEdit()
        name(self.name, "newProfileName", _("Short name"))
        self.name.setPlaceholderText("corner-bakery")  # untranslated: a name in letters a-z
        form.addRow(_("&Title"), self.title)
        form.addRow(_("Short &name"), self.name)
        self.body.addLayout(form)
        self.body.addWidget(
            label(
                _("The short name: letters a-z, digits, '-' or '_' (x2desk --profile NAME)."),
                "newProfileHint",
                role="muted",
            )
        )
        self.title.textEdited.connect(self._suggest)

    def _suggest(self, title: str) -> None:
        if not self.name.isModified():
            slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in title.lower())
            self.name.setText("-".join(p for p in slug.split("-") if p)[:32])

    def accept(self) -> None:
        try:
            check_name(self.name.text())
        except InputError as exc:
            self.banner.show_message(exc.message, "error")
            return
        super().accept()


class ProfilesDialog(QDialog):
    """The profiles: add, rename (the title), remove (not the default one). Signals:
    ``changed()`` after each change (the view reads the profiles again)."""

    changed = Signal()

    def __init__(
        self,
        parent: QWidget,
        profiles: list[Profile],
        active: str,
        credentials: Callable[[], CredentialStore],
    ) -> None:
        super().__init__(parent)
        self._credentials = credentials  # the window's store (blocking: called in a worker)
        self.setObjectName("profilesDialog")
        self.setWindowTitle(_("Profiles"))
        self.resize(520, 380)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 18, 22, 16)
        lay.addWidget(
            label(
                _(
                    "Each profile is one business: its own connections, addresses, provider "
                    "keys and secrets. The window shows one profile at a time."
                ),
                "profilesNote",
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("profilesList")
        self.list.setAccessibleName(_("Profiles"))
        lay.addWidget(self.list, 1)
        self.banner = Banner("profilesBanner")
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.add_button = button(_("&Add…"), "profileAdd")
        self.rename_button = button(_("&Rename…"), "profileRename")
        self.remove_button = button(_("Re&move…"), "profileRemove")
        close = button(_("&Close"), "profilesClose", primary=True)
        for b in (self.add_button, self.rename_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.add_button.clicked.connect(self._add)
        self.rename_button.clicked.connect(self._rename)
        self.remove_button.clicked.connect(self._remove)
        close.clicked.connect(self.accept)
        self.list.currentRowChanged.connect(lambda _r: self._selection())
        self.active = active
        self.show_profiles(profiles, active)

    def show_profiles(self, profiles: list[Profile], active: str) -> None:
        self.active = active
        current = self.selected()
        self.list.clear()
        for profile in profiles:
            text = profile.display_name
            if profile.display_name != profile.name:
                text += f"  ({profile.name})"
            if profile.name == active:
                text += "  · " + _("shown now")
            item = QListWidgetItem(text)
            item.setData(256, profile.name)
            self.list.addItem(item)
        names = [p.name for p in profiles]
        self.list.setCurrentRow(names.index(current) if current in names else 0)
        self._selection()

    def selected(self) -> str:
        item = self.list.currentItem()
        return str(item.data(256)) if item is not None else ""

    def _selection(self) -> None:
        chosen = self.selected()
        self.rename_button.setEnabled(bool(chosen))
        self.remove_button.setEnabled(bool(chosen) and chosen != DEFAULT)

    def _run(self, work: Callable[[], Any], said: Callable[[Any], str]) -> None:
        def done(result: Any) -> None:
            self.banner.show_message(said(result), "info")
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.banner.show_message(error_text(exc), "error")

        run_in_worker(work, done, failed, "profiles")

    def _add(self) -> None:
        dlg = NewProfileDialog(self)

        def add() -> None:
            from x2desk.core.profiles import add_profile

            title, short = dlg.title.text().strip(), dlg.name.text()
            self._run(
                lambda: add_profile(short, title),
                lambda p: _("Profile “{name}” added.").format(name=p.display_name),
            )

        dlg.ask(add)

    def _rename(self) -> None:
        from x2desk.ui.home.dialogs import RenameDialog

        chosen = self.selected()
        item = self.list.currentItem()
        shown = item.text().split("  ")[0] if item is not None else chosen
        dlg = RenameDialog(self, shown)
        dlg.setWindowTitle(_("Rename the profile"))

        def rename() -> None:
            from x2desk.core.profiles import set_title

            title = dlg.edit.text().strip()
            self._run(
                lambda: set_title(chosen, title),
                lambda p: _("Profile renamed to “{name}”.").format(name=p.display_name),
            )

        dlg.ask(rename)

    def _remove(self) -> None:
        chosen = self.selected()
        if not chosen or chosen == DEFAULT:
            return
        dlg = Question(self, "removeProfileDialog", _("Remove the profile"), _("Re&move it"))
        dlg.body.addWidget(
            label(
                _(
                    "Remove profile “{name}”? Its list of connections, its addresses and every "
                    "secret it keeps on this computer are deleted. The connections themselves "
                    "stay at their services."
                ).format(name=chosen),
                "removeProfileWarning",
            )
        )
        dlg.cancel.setDefault(True)
        dlg.ok.setDefault(False)

        def remove() -> None:
            from x2desk.core.home.profiles import remove_profile

            self._run(
                lambda: remove_profile(chosen, self._credentials(), force=True),
                lambda r: ngettext(
                    "Profile “{name}” removed, with its {n} connection.",
                    "Profile “{name}” removed, with its {n} connections.",
                    r.connections,
                ).format(name=r.name, n=r.connections),
            )

        dlg.ask(remove)
