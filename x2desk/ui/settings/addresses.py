"""Each profile's addresses: where its X2Chat, connections provider and Green-API are reached.
An empty field means the public address. Each address is checked as it is typed (https://
only; http:// only for this computer) and saved with the profile (:func:`x2desk.core.profiles.
set_addresses`); an ``X2DESK_*`` variable or ``--sandbox-url`` still wins where set.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import InputError
from x2desk.core.texts import error_text
from x2desk.i18n import N_, _
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.widgets import Banner, button, label, name
from x2desk.ui.common.workers import run_in_worker

log = logging.getLogger(__name__)

SERVICE_NAMES = {
    "x2chat": N_("X2Chat"),
    "provider": N_("Connections provider"),
    "greenapi": N_("Green-API"),
}


def check_address(text: str) -> str:
    """The address as it will be saved ("" for the public one); InputError when it is refused."""
    from x2desk.core.net import require_secure

    return require_secure(text) if text.strip() else ""


class AddressesPage(QWidget):
    """Signals: ``saved()`` after a profile's addresses were saved."""

    saved = Signal()

    def __init__(self) -> None:
        from x2desk.core.addresses import SERVICES

        super().__init__()
        self.setObjectName("settingsAddresses")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 18, 18, 18)
        lay.setSpacing(10)
        lay.addWidget(
            label(
                _(
                    "Where each service is reached, per profile. Leave a field empty for the "
                    "service's public address. Only https:// addresses are accepted (http:// "
                    "only for this computer)."
                ),
                "addressesNote",
            )
        )
        form = QFormLayout()
        form.setVerticalSpacing(6)
        self.profile = QComboBox()
        name(self.profile, "addressesProfile", _("Profile"))
        self.profile.activated.connect(lambda _i: self.load())
        form.addRow(_("P&rofile"), self.profile)
        self.edits: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}
        for service, spec in SERVICES.items():
            edit = QLineEdit()
            name(edit, f"address_{service}", _(SERVICE_NAMES[service]))
            edit.setPlaceholderText(spec.default)
            hint = label("", f"address_{service}Hint")
            edit.textChanged.connect(lambda _t, s=service: self._check(s))
            self.edits[service], self.hints[service] = edit, hint
            form.addRow(_(SERVICE_NAMES[service]), edit)
            form.addRow("", hint)
        lay.addLayout(form)
        self.banner = Banner("addressesBanner")
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.save_button = button(_("&Save the addresses"), "addressesSave", primary=True)
        self.save_button.clicked.connect(self.save)
        row.addStretch(1)
        row.addWidget(self.save_button)
        lay.addLayout(row)
        lay.addStretch(1)

    def set_profiles(self, profiles: list[tuple[str, str]], active: str) -> None:
        """(name, title) of each profile; ``active`` chosen."""
        self.profile.clear()
        for profile_name, title in profiles:
            self.profile.addItem(title, profile_name)
        self.profile.setCurrentIndex(max(0, self.profile.findData(active)))
        self.load()

    def load(self) -> None:
        from x2desk.core.profiles import profile_addresses

        chosen = str(self.profile.currentData() or "")
        if not chosen:
            return

        def show(addresses: dict[str, str]) -> None:
            for service, edit in self.edits.items():
                edit.setText(addresses.get(service, ""))
            self.banner.clear_message()

        run_in_worker(
            lambda: profile_addresses(chosen),
            show,
            lambda exc: self.banner.show_message(error_text(exc), "error"),
            "addresses",
        )

    def _check(self, service: str) -> bool:
        text = self.edits[service].text()
        hint = self.hints[service]
        try:
            value = check_address(text)
        except InputError as exc:
            set_hint(hint, exc.message, False)
            self.save_button.setEnabled(False)
            return False
        set_hint(hint, _("OK: {url}").format(url=value) if value else "", True)
        self.save_button.setEnabled(all(self._valid(s) for s in self.edits))
        return True

    def _valid(self, service: str) -> bool:
        try:
            check_address(self.edits[service].text())
        except InputError:
            return False
        return True

    def values(self) -> dict[str, str | None]:
        """service -> address, None for the public one (InputError for a refused one)."""
        return {s: check_address(e.text()) or None for s, e in self.edits.items()}

    def save(self) -> None:
        from x2desk.core.profiles import set_addresses

        chosen = str(self.profile.currentData() or "")
        try:
            values = self.values()
        except InputError as exc:
            self.banner.show_message(exc.message, "error")
            return

        def done(_saved: object) -> None:
            self.banner.show_message(
                _("Saved the addresses of {profile}.").format(profile=self.profile.currentText()),
                "info",
            )
            self.saved.emit()

        run_in_worker(
            lambda: set_addresses(chosen, values),
            done,
            lambda exc: self.banner.show_message(error_text(exc), "error"),
            "save addresses",
        )
