"""Re-pairing a saved Green-API instance from the home list (part of the Green-API wizard): its
record and saved apiTokenInstance are read in a worker; when the token is in the encrypted file
and it is locked, the result page offers its passphrase first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from x2desk.core.errors import StoreError, X2DeskError
from x2desk.i18n import _
from x2desk.ui.common.session_wizard import SessionWizard
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.greenapi.common import greenapi_message
from x2desk.ui.greenapi.password import GreenApiPasswordPage
from x2desk.ui.greenapi.result import GreenApiResultPage

if TYPE_CHECKING:
    from x2desk.core.store.credentials import CredentialStore
    from x2desk.core.store.records import Record


class RepairSteps(SessionWizard):
    """The re-pair entry of :class:`~x2desk.ui.greenapi.wizard.GreenApiWizard`; subclasses
    supply :meth:`_begin_repair` (pair ``record`` again with its token from ``credentials``)."""

    result: GreenApiResultPage
    password: GreenApiPasswordPage
    repair_record: Record | None
    _locked_record_id: int | str | None

    def _begin_repair(self, record: Record, credentials: CredentialStore) -> None:
        raise NotImplementedError

    def start_repair(self, record_id: int | str) -> None:
        """Re-pair a saved instance (home list): its id, API address and saved token."""
        self.stop_session()
        self.password.reset()
        self.result.show_working(_("Opening the saved instance…"))
        self._show("greenapi_result")
        self._locked_record_id = None
        opened = self.ctx.file_store

        def load() -> tuple[Record, CredentialStore]:
            from x2desk.core.saving import open_chosen_store, open_records

            with open_records() as records:
                record = records.get(record_id)
            try:
                return record, open_chosen_store()
            except StoreError:  # no keyring, a locked file: the store opened earlier, if any
                if opened is None:
                    raise
                return record, opened

        def done(result: tuple[Record, CredentialStore]) -> None:
            self._job = None
            record, credentials = result
            self.repair_record = record
            try:
                self._begin_repair(record, credentials)
            except X2DeskError as exc:
                self._show_error_result(exc)

        def failed(exc: BaseException) -> None:
            self._job = None
            if self.needs_passphrase(exc):
                self._locked_record_id = record_id
                self._show("greenapi_result")
                self.unlock_for_repair()
            else:
                self._show_error_result(exc)

        self._job = run_in_worker(load, done, failed, "green-api record")

    def unlock_for_repair(self, hint: str = "") -> None:
        """Ask for the encrypted file's passphrase, open it in a worker, then re-pair."""
        record_id = self._locked_record_id
        if record_id is None:
            return

        def opened(_store: CredentialStore) -> None:
            self.start_repair(record_id)  # the store is the context's now: the token is read

        def failed(exc: BaseException) -> None:
            self.result.show_locked(greenapi_message(exc))
            if self.needs_passphrase(exc):  # a wrong passphrase: ask again, saying so
                self.unlock_for_repair(greenapi_message(exc))

        self.result.show_locked(
            hint
            or _(
                "This instance's apiTokenInstance is kept in the encrypted credentials file, "
                "which is locked. Type its passphrase to open it and re-pair the instance."
            )
        )
        self.ask_to_unlock(opened, failed, hint)

    def _show_error_result(self, exc: BaseException) -> None:
        from x2desk.core.session.states import Snapshot, State

        err = exc if isinstance(exc, X2DeskError) else X2DeskError(greenapi_message(exc))
        snap = Snapshot(flow="greenapi", state=State.FAILED, text=err.message, error=err)
        self.result.show_failed(snap, store_failed=False)
        self._show("greenapi_result")
