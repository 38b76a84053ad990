"""The settings dialog: three tabs, General (:mod:`.general`), Addresses (:mod:`.addresses`) and
This computer (:mod:`.computer`). Made once per window and shown again (Settings… on the home
view, Ctrl+,); what it shows is read again, in workers, each time it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from x2desk.i18n import _
from x2desk.ui.common.widgets import button
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.settings.addresses import AddressesPage
from x2desk.ui.settings.computer import Checks, ComputerPage, doctor_checks
from x2desk.ui.settings.general import GeneralPage

if TYPE_CHECKING:
    from x2desk.core.profiles import Profile
    from x2desk.ui.context import AppContext

GENERAL, ADDRESSES, COMPUTER = range(3)


class SettingsDialog(QDialog):
    """Signals: ``addresses_changed()`` after a profile's addresses were saved."""

    addresses_changed = Signal()

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, checks: Checks = doctor_checks
    ) -> None:
        from x2desk.ui.app import make_settings

        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.resize(720, 560)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 14)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.general = GeneralPage(ctx, make_settings())
        self.addresses = AddressesPage()
        self.computer = ComputerPage(checks)
        self.tabs.addTab(self.general, _("General"))
        self.tabs.addTab(self.addresses, _("Addresses"))
        self.tabs.addTab(self.computer, _("This computer"))
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = button(_("&Close"), "settingsClose", primary=True)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.addresses.saved.connect(self.addresses_changed)

    def open_at_start(self, tab: int = GENERAL) -> None:
        """Read what the tabs show (workers) and open the dialog on ``tab``."""
        from x2desk.core.profiles import active_profile, list_profiles

        self.general.load()
        self.computer.load()

        def profiles(found: tuple[list[Profile], str]) -> None:
            listed, active = found
            self.addresses.set_profiles([(p.name, p.display_name) for p in listed], active)

        run_in_worker(
            lambda: (list_profiles(), active_profile()), profiles, lambda _e: None, "profiles"
        )
        self.tabs.setCurrentIndex(tab)
        self.open()
