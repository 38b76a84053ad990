"""The accounts wizard's provider step: it renders what :mod:`x2desk.core.accounts.provider_key`
decides. Entering the step prefills the key (saved for this address and company, checked earlier
in this window for them, or the demo's); a key locked in the encrypted file gets an "Unlock…"
button (asked at once when re-authorising); Next checks the key with the provider in a worker,
finds its company (asking which one when it sees several) and remembers both when asked to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from x2desk.core.errors import CompanyChoiceRequired, InputError, X2DeskError
from x2desk.core.secret import Secret
from x2desk.i18n import _
from x2desk.ui.accounts.common import provider_message
from x2desk.ui.accounts.provider import ProviderPage
from x2desk.ui.common.session_wizard import SessionWizard
from x2desk.ui.common.widgets import button
from x2desk.ui.common.workers import run_in_worker

if TYPE_CHECKING:
    from x2desk.core.accounts.provider_key import LoadedKey, VerifiedKey
    from x2desk.core.accounts.shapes import Company
    from x2desk.core.store.credentials import CredentialStore


def key_note(loaded: LoadedKey) -> str:
    """What the page says about a prefilled key, by where it came from."""
    from x2desk.core.accounts.provider_key import KeySource  # loaded already, by the worker

    if loaded.source is KeySource.SAVED:
        return _("The API key saved for this provider was filled in.")
    if loaded.source is KeySource.DEMO:
        return _("Demo: the sandbox's dashboard gave an API key; it is filled in.")
    return ""


class ProviderKeySteps(SessionWizard):
    """The provider page and its key, for :class:`~x2desk.ui.accounts.wizard.AccountsWizard`.

    Subclasses supply :meth:`_after_provider` (where Next goes once the key works) and
    :meth:`_connections_listed` (what the provider already has)."""

    provider: ProviderPage
    reauth_id: int | str | None
    base_url: str
    api_key: Secret | None
    _loaded_key: bool
    # the company the key works in (found, chosen, or the record's when re-authorising)
    company_id: str | None = None
    company: Company | None = None
    must_use_company = False  # re-authorising: the connection's own company, nothing else

    def _add_unlock_button(self) -> None:
        """The saved key is in the encrypted file and it is locked: a way to type its
        passphrase (hidden until then)."""
        self.unlock_button = button(_("&Unlock the saved key…"), "providerUnlock")
        self.unlock_button.clicked.connect(lambda: self.unlock_key())
        self.unlock_button.hide()
        self.provider.lay.insertWidget(
            self.provider.lay.count() - 1, self.unlock_button, 0, Qt.AlignmentFlag.AlignLeft
        )

    def _after_provider(self, note: str = "") -> None:
        raise NotImplementedError

    def _connections_listed(self, verified: VerifiedKey) -> None:
        raise NotImplementedError

    # ---- showing the step ----------------------------------------------------------------------

    def _show_provider(self) -> None:
        self.provider.banner.clear_message()
        if self.reauth_id is not None:
            self.provider.show_info(
                _("Re-authorising connection {id}: no new connection will be made.").format(
                    id=self.reauth_id
                )
            )
        self.provider.fill(self.base_url, self.api_key)
        self.provider.show_company(self.company if self.api_key is not None else None)
        self._show("account_provider")
        if self.api_key is None and not self._loaded_key:
            self._load_key()

    def _load_key(self) -> None:
        """Prefill the key in a worker (the credential store, or the demo's dashboard)."""
        self._loaded_key = True
        url, company = self.base_url, self.company_id
        earlier, unlocked = self._earlier_key(url, company), self.ctx.file_store
        demo_key = self.ctx.demo_provider_key

        def load() -> LoadedKey:
            from x2desk.core.accounts.provider_key import load_key

            return load_key(
                url, company_id=company, earlier=earlier, unlocked=unlocked, demo_key=demo_key
            )

        def done(loaded: LoadedKey) -> None:
            if self.company_id is None:
                self.company_id = loaded.company_id  # preferred when the key sees several
            if loaded.key is not None and self.api_key is None:
                note = key_note(loaded)
                self.provider.fill(url, loaded.key, note)
            elif loaded.locked and self.api_key is None:
                self._show_locked()
                if self.reauth_id is not None:
                    self.unlock_key()

        self._job = run_in_worker(load, done, lambda _e: None, "provider key")

    def _earlier_key(self, url: str, company: str | None) -> Secret | None:
        """The key checked earlier in this window, when it was for this address (and company)."""
        at = self.ctx.provider_key_for
        if self.ctx.provider_key is None or at is None or at[0] != url:
            return None
        if company is not None and at[1] != company:
            return None
        return self.ctx.provider_key

    def _show_locked(self, text: str = "") -> None:
        self.provider.banner.show_message(
            text
            or _(
                "The API key saved for this provider is in the encrypted credentials file, which "
                "is locked. Unlock it with its passphrase, or type the key."
            ),
            "warning",
        )
        self.unlock_button.show()

    def unlock_key(self, hint: str = "") -> None:
        """Ask for the encrypted file's passphrase; once it opens, fill in the saved key."""
        url = self.provider.url_edit.text().strip().rstrip("/") or self.base_url
        company = self.company_id

        def opened(store: CredentialStore) -> None:
            from x2desk.core.accounts.provider_key import key_in

            self.unlock_button.hide()
            try:
                key = key_in(store, url, company)
            except X2DeskError as exc:
                self._show_locked(provider_message(exc))
                return
            if key is None:
                self.provider.show_info(
                    _("The encrypted file is open, but it has no key for this provider.")
                )
                return
            self.provider.fill(url, key, _("The saved API key was filled in."))
            if self.reauth_id is not None:
                self.provider.show_info(
                    _(
                        "Re-authorising connection {id}: the saved key was filled in; press Next."
                    ).format(id=self.reauth_id)
                )

        def failed(exc: BaseException) -> None:
            self._show_locked(provider_message(exc))
            if self.needs_passphrase(exc):  # a wrong passphrase: ask again, saying so
                self.unlock_key(provider_message(exc))

        self.ask_to_unlock(opened, failed, hint)

    # ---- Next: check the key -------------------------------------------------------------------

    def _verify_provider(self) -> None:
        try:
            url, key = self.provider.values()
        except InputError as exc:
            self.provider.show_error(exc.message)
            return
        remember = self.provider.remember.isChecked()
        chosen = self.provider.company_choice()
        if chosen is None and self.must_use_company:
            chosen = self.company_id
        preferred = self.company_id if url == self.base_url else None
        unlocked, wall_time = self.ctx.file_store, self.clock.time
        self.unlock_button.hide()
        self.provider.banner.clear_message()
        self.provider.set_busy(True, _("Checking the key with the provider…"))

        def verify() -> VerifiedKey:
            from x2desk.core.accounts.provider_key import verify_key

            return verify_key(
                url,
                key,
                remember=remember,
                company=chosen,
                preferred=preferred,
                unlocked=unlocked,
                wall_time=wall_time,
            )

        def done(verified: VerifiedKey) -> None:
            self._job = None
            self.provider.set_busy(False)
            self.base_url, self.api_key = url, key
            self.company = verified.company
            self.company_id = str(verified.company.id) if verified.company else None
            self.ctx.provider_key, self.ctx.provider_key_for = key, (url, self.company_id)
            self.provider.show_company(verified.company)
            self._connections_listed(verified)
            note = ""
            if verified.save_error is not None:
                note = _("The key works but was not saved: {m}").format(
                    m=provider_message(verified.save_error)
                )
            self._after_provider(note)

        def failed(exc: BaseException) -> None:
            self._job = None
            self.provider.set_busy(False)
            if isinstance(exc, CompanyChoiceRequired):
                self._ask_company(exc, preferred)
            else:
                self.provider.show_error(provider_message(exc))

        self._job = run_in_worker(verify, done, failed, "provider check")

    def _ask_company(self, asked: CompanyChoiceRequired, preferred: str | None) -> None:
        """The key works for several companies: which one (the one remembered preselected)."""
        self.provider.set_companies(asked.companies, preferred)
        self.provider.show_info(
            _(
                "This API key works for several companies. Choose the one to connect in, then "
                "press Next (x2desk remembers the choice)."
            )
        )
        self.provider.company_box.setFocus()
