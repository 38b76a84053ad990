"""A phone number field with its country: a number typed without ``+`` is read in the country
chosen (a Russian ``8 916 123-45-67`` is ``+79161234567``), and the hint under it shows the
E.164 form that will be sent. The country starts as the one remembered
(``$X2DESK_PHONE_REGION``, then the settings' ``phone_region``), else this computer's; "+ and
country code" makes the international form required. The parsing is :mod:`x2desk.core.phone`
(libphonenumber); country names come from CLDR (Babel), in the language of the window."""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from x2desk.core.errors import InputError
from x2desk.i18n import _, current_language
from x2desk.ui.common.hints import set_hint
from x2desk.ui.common.widgets import label, name

INTERNATIONAL = ""  # the combo's data for "no country: + required"


def country_name(code: str) -> str:
    """The country ``code`` ("RU") as the window's language calls it ("Россия", "Russia")."""
    from babel import Locale

    names = Locale.parse(current_language()).territories
    if code in names:
        return str(names[code])
    territory = QLocale.codeToTerritory(code)
    return QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else ""


def countries() -> list[tuple[str, str, int]]:
    """(name, ISO code, calling code) of every country libphonenumber knows, by name in the
    window's language."""
    import phonenumbers

    found = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        name = country_name(code)
        if name:
            found.append((name, code, phonenumbers.country_code_for_region(code)))
    return sorted(found, key=lambda item: item[0].casefold())


def starting_region() -> str:
    """The country to start with: the remembered one, else this computer's ("" for none)."""
    from x2desk.core.phone import REGION_ENV, default_region

    remembered = default_region()
    if remembered or REGION_ENV in os.environ:
        return remembered or INTERNATIONAL
    return QLocale.territoryToCode(QLocale.system().territory()) or INTERNATIONAL


def example(region: str) -> str:
    """A mobile number of ``region`` as people there write it (the field's placeholder)."""
    import phonenumbers

    if not region:
        return _("+ country code, then the number")
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return _("the number, as dialled in that country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class PhoneField(QWidget):
    """The country and the number side by side, with the hint under them. Signals:
    ``changed()`` as either changes, ``submitted()`` on Enter in the number."""

    changed = Signal()
    submitted = Signal()

    def __init__(self, object_name: str, accessible: str) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.country = QComboBox()
        # a long country name is shortened in the box (the list shows it whole)
        self.country.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.country.setMinimumContentsLength(12)
        name(self.country, f"{object_name}Country", _("Country of the number"))
        self.country.addItem(_("+ and country code"), INTERNATIONAL)
        for country_name, code, calling in countries():
            self.country.addItem(f"{country_name} (+{calling})", code)
        self.country.setMaximumWidth(260)
        self.edit = QLineEdit()
        name(self.edit, object_name, accessible)
        lay.addWidget(self.country)
        lay.addWidget(self.edit, 1)
        self.hint = label("", f"{object_name}Hint")
        self.set_region(starting_region())
        self.country.currentIndexChanged.connect(lambda _i: self._region_changed())
        self.edit.textChanged.connect(lambda _t: self.check())
        self.edit.returnPressed.connect(self.submitted)

    def region(self) -> str:
        data = self.country.currentData()
        return str(data) if data else INTERNATIONAL

    def set_region(self, region: str | None) -> None:
        index = self.country.findData(region or INTERNATIONAL)
        self.country.setCurrentIndex(max(0, index))
        self.edit.setPlaceholderText(example(self.region()))

    def _region_changed(self) -> None:
        self.edit.setPlaceholderText(example(self.region()))
        self.check()

    def value(self) -> str:
        """The number in E.164 (InputError says what is wrong)."""
        from x2desk.core.phone import normalise_phone

        return normalise_phone(self.edit.text(), region=self.region())

    def check(self) -> None:
        if not self.edit.text().strip():
            self.hint.setText("")
        else:
            try:
                set_hint(self.hint, _("OK: {p}").format(p=self.value()), True)
            except InputError as exc:
                set_hint(self.hint, exc.message, False)
        self.changed.emit()

    def is_valid(self) -> bool:
        try:
            self.value()
        except InputError:
            return False
        return True


def remember_region(region: str) -> None:
    """Keep the country chosen for the next number (blocking: the settings file; a worker)."""
    from x2desk.core.store.settings import load_settings, save_settings

    settings = load_settings()
    if (settings.phone_region or INTERNATIONAL) != region:
        settings.phone_region = region or None
        save_settings(settings)
