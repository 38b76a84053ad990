"""Which provider company a key works for, and where its key is kept (API.md section 3).

The real v2 API scopes every call by company (``/companies/{company_id}/...``). A key sees one
company or several: :func:`choose_company` takes the only one, or the one asked for (by id or
name), and otherwise raises :class:`~x2desk.core.errors.CompanyChoiceRequired` with the list, so a
GUI or the CLI can ask. The choice is remembered per provider address (in the settings file: an
id, not a secret) and the key is saved bound to the address *and* the company
(:func:`provider_key_ref`), so a saved key never goes to another address or company.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from x2desk.core.accounts.shapes import Company
from x2desk.core.errors import CompanyChoiceRequired, InputError, NoCompany, StoreError
from x2desk.i18n import _

if TYPE_CHECKING:
    from x2desk.core.secret import Secret
    from x2desk.core.store.credentials import CredentialStore

KEY_REF_PREFIX = "provider_api_key:"
SETTINGS_KEY = "provider_companies"  # settings: provider address -> the company chosen there


def _address(base_url: str) -> str:
    return base_url.strip().rstrip("/")


def provider_key_ref(
    base_url: str, company_id: int | str | None = None, profile: str | None = None
) -> str:
    """The credential-store name of the API key for one provider address and company, in
    ``profile`` (default: the active one; :func:`x2desk.core.profiles.profile_ref`).

    Without a company it is the address-only name older versions saved keys under.
    """
    from x2desk.core.profiles import profile_ref

    ref = f"{KEY_REF_PREFIX}{_address(base_url)}"
    return profile_ref(ref if company_id is None else f"{ref}#company={company_id}", profile)


def choose_company(companies: Sequence[Company], wanted: str | int | None = None) -> Company:
    """The company to work in: ``wanted`` (an id, or a name: case does not matter), else the
    only one. Several and nothing wanted: :class:`CompanyChoiceRequired` (with the list)."""
    if not companies:
        raise NoCompany()
    if wanted is None or str(wanted).strip() == "":
        if len(companies) == 1:
            return companies[0]
        raise CompanyChoiceRequired(tuple(companies))
    text = str(wanted).strip()
    by_id = [c for c in companies if str(c.id) == text]
    if by_id:
        return by_id[0]
    by_name = [c for c in companies if c.name.casefold() == text.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise CompanyChoiceRequired(tuple(by_name))
    names = ", ".join(c.label for c in companies)
    raise InputError(
        _("This API key sees no company '{wanted}'. It sees: {names}.").format(
            wanted=text[:60], names=names
        )
    )


def remembered_company(base_url: str) -> str | None:
    """The company chosen last time at this provider address (its id), if any."""
    from x2desk.core.store.settings import load_settings

    try:
        table = load_settings().extra.get(SETTINGS_KEY)
    except StoreError:
        return None
    value = table.get(_address(base_url)) if isinstance(table, dict) else None
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def remember_company(base_url: str, company_id: int | str) -> None:
    """Remember the company chosen at this provider address (StoreError if it cannot be saved)."""
    from x2desk.core.store.settings import load_settings, save_settings

    settings = load_settings()
    table = settings.extra.get(SETTINGS_KEY)
    table = dict(table) if isinstance(table, dict) else {}
    table[_address(base_url)] = str(company_id)
    settings.extra[SETTINGS_KEY] = table
    save_settings(settings)


def load_provider_key(
    store: CredentialStore, base_url: str, company_id: int | str | None = None
) -> tuple[Secret | None, str | None]:
    """The key saved for this address and company (``company_id``, else the remembered one):
    ``(key, company_id)``; ``(None, company_id)`` when none is saved. A key saved by an older
    version under the address alone is found too (its company is then unknown: None)."""
    company = str(company_id) if company_id is not None else remembered_company(base_url)
    if company is not None:
        key = store.load(provider_key_ref(base_url, company))
        if key is not None:
            return key, company
    if company_id is None:
        legacy = store.load(provider_key_ref(base_url))
        if legacy is not None:
            return legacy, None
    return None, company


def save_provider_key(
    store: CredentialStore, base_url: str, company_id: int | str, key: Secret
) -> str:
    """Save the key bound to this address and company, and remember the company; the ref."""
    ref = provider_key_ref(base_url, company_id)
    store.save(ref, key)
    with contextlib.suppress(StoreError):  # the key is saved; the choice is a convenience
        remember_company(base_url, company_id)
    return ref
