"""The home's small questions, each window-modal and answered through a callback (no nested
event loop): a new label (:class:`RenameDialog`), whether to forget a connection, saying what
stays at the service (:class:`ForgetDialog`), and what an export file will hold and in which
form (:class:`ExportDialog`). They only ask; the view does the work in a worker.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from x2desk.core.errors import InputError
from x2desk.core.home.export import ExportPlan, Format
from x2desk.core.store.records import MAX_LABEL, check_label
from x2desk.i18n import _
from x2desk.ui.common.widgets import Banner, button, label, name


class Question(QDialog):
    """A titled dialog with words, room for controls and two buttons (``ok``, ``cancel``)."""

    def __init__(self, parent: QWidget, object_name: str, title: str, ok_text: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        self.lay = QVBoxLayout(self)
        self.lay.setSpacing(12)
        self.lay.setContentsMargins(22, 20, 22, 18)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        self.lay.addLayout(self.body)
        self.banner = Banner(f"{object_name}Error")
        self.lay.addWidget(self.banner)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel = button(_("Cancel"), f"{object_name}Cancel")
        self.ok = button(ok_text, f"{object_name}Ok", primary=True)
        self.cancel.clicked.connect(self.reject)
        self.ok.clicked.connect(self.accept)
        row.addWidget(self.cancel)
        row.addWidget(self.ok)
        self.lay.addLayout(row)
        self.ok.setDefault(True)

    def ask(self, answered: Callable[[], None]) -> None:
        """Open it (window-modal); ``answered()`` when the person agrees."""

        def finished(result: int) -> None:
            self.deleteLater()
            owner = self.parentWidget()
            if owner is not None:  # the keys go back to the window (and its list)
                owner.window().activateWindow()
            if result == QDialog.DialogCode.Accepted:
                answered()

        self.finished.connect(finished)
        self.open()


class RenameDialog(Question):
    """A new label; checked as the record store will (:func:`check_label`) before it closes."""

    def __init__(self, parent: QWidget, current: str) -> None:
        super().__init__(parent, "renameDialog", _("Rename the connection"), _("&Rename"))
        self.body.addWidget(
            label(
                _("The label is how this connection shows in x2desk's list, on this computer."),
                "renameNote",
            )
        )
        self.edit = QLineEdit(current)
        name(self.edit, "renameEdit", _("New label"))
        self.edit.setMaxLength(MAX_LABEL)
        self.edit.selectAll()
        self.body.addWidget(self.edit)
        self.edit.textChanged.connect(lambda _t: self.banner.clear_message())

    def value(self) -> str:
        return check_label(self.edit.text())

    def accept(self) -> None:
        try:
            self.value()
        except InputError as exc:
            self.banner.show_message(exc.message, "error")
            return
        super().accept()


class ForgetDialog(Question):
    """Forget it? What x2desk deletes, and what stays at the service (:func:`forget_warning`)."""

    def __init__(self, parent: QWidget, label_text: str, warning: str, unfinished: bool) -> None:
        title = _("Forget {label}?").format(label=label_text)
        super().__init__(parent, "forgetDialog", title, _("&Forget it"))
        self.setWindowTitle(_("Forget the connection"))
        self.body.addWidget(label(title, "forgetTitle", role="heading"))
        self.body.addWidget(label(warning, "forgetWarning"))
        if unfinished:
            self.body.addWidget(
                label(
                    _("An earlier forget of it did not finish: this deletes what is left."),
                    "forgetUnfinished",
                    role="muted",
                )
            )
        self.cancel.setText(_("&Keep it"))
        self.cancel.setDefault(True)  # the safe answer is the one Enter gives
        self.ok.setDefault(False)
        self.ok.setProperty("primary", False)


class ExportDialog(Question):
    """What the file will hold (the plan's warning), and its form: ``.env`` or JSON. For a
    provider connection, whether to add the provider's API key (it works for every connection
    of the company, so it is left out unless asked for)."""

    def __init__(
        self, parent: QWidget, plan: ExportPlan, with_key: Callable[[bool], ExportPlan] | None
    ) -> None:
        super().__init__(
            parent, "exportDialog", _("Export for another system"), _("&Choose where to save…")
        )
        self.plan = plan
        self._with_key = with_key
        self.body.addWidget(
            label(
                _("Export {label} for the business's own systems").format(
                    label=plan.record.display_label
                ),
                "exportTitle",
                role="heading",
            )
        )
        self.warning = label("", "exportWarning")
        self.body.addWidget(self.warning)
        self.env = QRadioButton(_("A .&env file (NAME=value lines)"))
        name(self.env, "exportEnv", _("A .env file"))
        self.json = QRadioButton(_("A &JSON file"))
        name(self.json, "exportJson", _("A JSON file"))
        self.env.setChecked(True)
        self.body.addWidget(self.env)
        self.body.addWidget(self.json)
        self.key_box: QCheckBox | None = None
        if with_key is not None:
            self.key_box = QCheckBox(_("Also the provider's API &key (it works for the company)"))
            name(self.key_box, "exportProviderKey", _("Also the provider's API key"))
            self.key_box.toggled.connect(self._key_toggled)
            self.body.addWidget(self.key_box)
        self.body.addWidget(
            label(
                _("Never copied to the clipboard: only to the file you choose next."),
                "exportNote",
                role="muted",
            )
        )
        self._show_plan()

    def _key_toggled(self, on: bool) -> None:
        if self._with_key is not None:
            self.plan = self._with_key(on)
            self._show_plan()

    def _show_plan(self) -> None:
        self.warning.setText(self.plan.warning)
        if self.plan.secrets:
            secrets = ", ".join(self.plan.secrets)
            self.banner.show_message(
                _("The file holds secrets: {names}.").format(names=secrets), "warning"
            )
        else:
            self.banner.clear_message()

    def format(self) -> Format:
        return Format.JSON if self.json.isChecked() else Format.ENV
