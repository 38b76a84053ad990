"""What the home view does to a connection, one method each: check it now, send a bot's test
message, rename it, forget it, export it for another system, show its details; and check them
all (:mod:`.check_all`). Every piece of work runs in a worker (:mod:`.work`); the dialogs only
ask (:mod:`.dialogs`). When the credentials are in the encrypted file and it is not open yet,
its passphrase is asked once and the action runs again with the file open (kept for the window).

What happened is said on the home's banner; the list is read again after each change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from x2desk.core.kinds import Service
from x2desk.core.texts import X2CHAT, error_text
from x2desk.i18n import _
from x2desk.ui.common.workers import run_in_worker
from x2desk.ui.home import work

if TYPE_CHECKING:
    from x2desk.core.home.checks import CheckResult
    from x2desk.core.home.export import ExportPlan, Format
    from x2desk.core.home.forget import ForgetResult
    from x2desk.core.home.rows import Row
    from x2desk.core.secret import Secret
    from x2desk.ui.context import AppContext
    from x2desk.ui.home.details import DetailsDialog
    from x2desk.ui.home.view import HomeView


def home_message(exc: BaseException, service: str = "common") -> str:
    return error_text(exc, service)


class HomeActions(QObject):
    """The view's actions. Signals: ``changed()`` after anything that changed a record (the
    view reads the list again), ``checked(CheckResult)`` after a single check."""

    changed = Signal()
    checked = Signal(object)

    def __init__(self, view: HomeView, ctx: AppContext) -> None:
        super().__init__(view)
        self.view = view
        self.ctx = ctx
        self.busy: set[str] = set()  # the actions under way ("check 3", "forget 5"...)
        self.details: DetailsDialog | None = None  # the details dialog last opened
        self.last_export: Path | None = None  # where the last export file went (tests)

    # ---- the plumbing ----------------------------------------------------------------------

    def known_keys(self) -> dict[tuple[str, str | None], Secret]:
        """The provider key checked in this window (not saved, perhaps): checks may use it."""
        key, at = self.ctx.provider_key, self.ctx.provider_key_for
        return {at: key} if key is not None and at is not None else {}

    def run(
        self,
        name: str,
        task: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """``task()`` in a worker, then ``done(result)``; an encrypted file that is not open
        yet: its passphrase, then ``task`` again. One of each ``name`` at a time."""
        if name in self.busy:
            return
        self.busy.add(name)

        def finish(result: Any) -> None:
            self.busy.discard(name)
            done(result)

        def fail(exc: BaseException) -> None:
            self.busy.discard(name)
            from x2desk.core.saving import is_locked

            if is_locked(exc):
                self.unlock(lambda: self.run(name, task, done, failed), exc)
            elif failed is not None:
                failed(exc)
            else:
                self.view.say(home_message(exc), "error")

        run_in_worker(task, finish, fail, f"home: {name}")

    def unlock(self, then: Callable[[], None], exc: BaseException) -> None:
        """Ask the encrypted file's passphrase, open it (a worker), keep it, then ``then()``."""
        from x2desk.ui.common.store_choice import unlock_then

        unlock_then(self.view, self.ctx, then, exc)

    # ---- check, test message ---------------------------------------------------------------

    def check(self, row: Row) -> None:
        held, keys = self.ctx.file_store, self.known_keys()
        self.view.say(_("Checking {label}…").format(label=row.label), "info")

        def done(result: CheckResult) -> None:
            reason = f" {result.reason}" if result.reason else ""
            tone = "info" if result.error_key is None else "warning"
            self.view.say(
                _("{label}: {status}.").format(label=result.label, status=result.status.text)
                + reason,
                tone,
            )
            self.checked.emit(result)
            self.changed.emit()

        self.run(f"check {row.id}", lambda: work.check_one(row.id, held, keys), done)

    def send_test_message(self, row: Row) -> None:
        if row.service is not Service.X2CHAT:
            return
        held, keys = self.ctx.file_store, self.known_keys()

        def done(sent: Any) -> None:
            self.view.say(
                _("{label} sent a test message to chat {chat} (message {id}).").format(
                    label=row.label, chat=sent.chat_id, id=sent.message_id
                ),
                "info",
            )
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.view.say(home_message(exc, X2CHAT), "error")
            self.changed.emit()  # the history says it failed

        self.view.say(_("Sending a test message from {label}…").format(label=row.label), "info")
        self.run(f"test {row.id}", lambda: work.send_test_message(row.id, held, keys), done, failed)

    # ---- rename ----------------------------------------------------------------------------

    def rename(self, row: Row) -> None:
        from x2desk.ui.home.dialogs import RenameDialog

        dlg = RenameDialog(self.view, row.label)

        def rename() -> None:
            label = dlg.value()

            def done(record: Any) -> None:
                self.view.say(
                    _("Renamed: {old} is now {new}.").format(
                        old=row.label, new=record.display_label
                    ),
                    "info",
                )
                self.changed.emit()

            self.run(f"rename {row.id}", lambda: work.rename(row.id, label), done)

        dlg.ask(rename)

    # ---- forget ----------------------------------------------------------------------------

    def forget(self, row: Row) -> None:
        """Ask (saying what stays at the service), then forget it (a worker)."""
        held = self.ctx.file_store

        def warning() -> tuple[str, bool]:
            from x2desk.core.errors import X2DeskError
            from x2desk.core.home.forget import forget_warning

            record = work.get(row.id)
            try:
                store = work.credential_store(held).description
            except X2DeskError:
                store = None
            return forget_warning(record, store), record.forgetting

        def ask(found: tuple[str, bool]) -> None:
            from x2desk.ui.home.dialogs import ForgetDialog

            text, unfinished = found
            dlg = ForgetDialog(self.view, row.label, text, unfinished)
            dlg.ask(lambda: self.run(f"forget {row.id}", do_forget, forgot))
            self.view.dialog = dlg

        def do_forget() -> ForgetResult:
            return work.forget(row.id, self.ctx.file_store)

        def forgot(result: ForgetResult) -> None:
            from x2desk.core.home.forget import forget_left_text

            if result.done:
                self.view.say(
                    _("{label} is forgotten: its secret is deleted from this computer.").format(
                        label=row.label
                    )
                    if not result.already
                    else _("{label} was forgotten already.").format(label=row.label),
                    "info",
                )
            else:
                self.view.say(forget_left_text(result), "error")
            self.changed.emit()

        self.run(f"ask forget {row.id}", warning, ask)

    # ---- export ----------------------------------------------------------------------------

    def export(self, row: Row) -> None:
        """What the file holds, its form, where (a save dialog); then the file (a worker)."""
        self.run(f"plan export {row.id}", lambda: work.plan_export(row.id), self._ask_export)

    def _ask_export(self, plan: ExportPlan) -> None:
        from x2desk.core.home.export import plan_export
        from x2desk.ui.home.dialogs import ExportDialog

        provider = plan.record.kind not in ("x2chat", "x2chat_bot", "greenapi")
        with_key = (
            (lambda on: plan_export(plan.record, include_provider_key=on)) if provider else None
        )
        dlg = ExportDialog(self.view, plan, with_key)
        dlg.ask(lambda: self._ask_where(dlg.plan, dlg.format()))
        self.view.dialog = dlg

    def _ask_where(self, plan: ExportPlan, fmt: Format) -> None:
        from x2desk.ui.common.file_dialogs import save_file

        record = plan.record
        slug = "".join(c if c.isalnum() else "-" for c in record.display_label.lower())
        slug = "-".join(p for p in slug.split("-") if p) or f"connection-{record.id}"
        suffix = "env" if fmt.value == "env" else "json"
        filters = [_(".env files (*.env)")] if suffix == "env" else [_("JSON files (*.json)")]
        save_file(
            self.view,
            "exportFileDialog",
            _("Export {label}").format(label=record.display_label),
            Path.home() / f"{slug}.{suffix}",
            filters,
            lambda path, _f: self.export_to(plan, fmt, path),
            suffix=suffix,
        )

    def export_to(self, plan: ExportPlan, fmt: Format, path: Path) -> None:
        held, record = self.ctx.file_store, plan.record

        def done(written: ExportPlan) -> None:
            self.last_export = path
            self.view.say(
                _(
                    "{label} exported to {path}: {names}. Only you can read the file; hand it "
                    "over safely and delete it when it is no longer needed."
                ).format(label=record.display_label, path=path, names=", ".join(written.names)),
                "info",
            )
            self.changed.emit()

        self.run(
            f"export {record.id}",
            lambda: work.export(record.id, path, fmt, held, plan.include_provider_key),
            done,
        )

    # ---- details ---------------------------------------------------------------------------

    def show_details(self, row: Row) -> None:
        def show(found: work.Details) -> None:
            from x2desk.ui.home.details import DetailsDialog

            if self.details is not None:
                self.details.close()
            self.details = DetailsDialog(self.view, found)
            self.details.show()

        self.run(f"details {row.id}", lambda: work.details(row.id), show)
