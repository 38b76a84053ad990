"""What the journal, the records and the credential store say together: the requests that went
out and never finished, secrets without a record and records without their secret, each with
what to do. Read-only: it changes nothing. ``doctor`` counts the findings; the window and the
CLI show them at start."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from x2desk.core.errors import StoreError
from x2desk.core.kinds import KINDS, Fix
from x2desk.core.store.credentials import CredentialStore
from x2desk.core.store.journal import Intent, Journal
from x2desk.core.store.records import Record, RecordStore
from x2desk.i18n import _

Problem = Literal["unfinished", "secret_without_record", "record_without_secret"]
PROBLEMS: tuple[Problem, ...] = ("unfinished", "secret_without_record", "record_without_secret")


@dataclass(frozen=True)
class Finding:
    problem: Problem
    kind: str
    summary: str  # what is wrong, for people (translated)
    advice: str  # what to do (translated)
    at: float | None = None
    intent_id: int | None = None
    record_id: int | None = None
    external_id: str | None = None
    secret_ref: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Audit:
    findings: list[Finding] = field(default_factory=list)
    secrets_checked: bool = False  # False: no credential store to compare with (locked, failed)

    def counts(self) -> dict[str, int]:
        return {p: sum(1 for f in self.findings if f.problem == p) for p in PROBLEMS}


def audit(journal: Journal, records: RecordStore, store: CredentialStore | None) -> Audit:
    """The findings; ``store`` None compares nothing with the secrets (only the journal)."""
    result = Audit()
    saved = records.list()
    by_key = {(r.kind, r.external_id): r for r in saved}
    for intent in journal.unfinished():
        finding = _intent_finding(intent, by_key)
        if finding is not None:
            result.findings.append(finding)
    if store is None:
        return result
    try:
        result.findings += _missing_secrets(saved, store)
        result.findings += _orphan_secrets(saved, store, result.findings)
    except StoreError:
        return result
    result.secrets_checked = True
    return result


def audit_data_folder(store: CredentialStore | None = None) -> Audit:
    """:func:`audit` of the data folder's journal and records. Without ``store``, the chosen
    credential store is used when it opens without a passphrase (the system keyring); the
    encrypted file, locked, is not compared."""
    from x2desk.core.store.journal import open_journal
    from x2desk.core.store.records import open_records

    if store is None:
        store = _keyring_if_chosen()
    with open_journal() as journal, open_records() as records:
        return audit(journal, records, store)


def _keyring_if_chosen() -> CredentialStore | None:
    from x2desk.core.store.credentials import KeyringStore
    from x2desk.core.store.settings import load_settings

    try:
        if load_settings().credential_store != "keyring":
            return None
        return KeyringStore()
    except StoreError:
        return None


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(at))


def _kind_name(kind: str) -> str:
    entry = KINDS.get(kind)
    return _(entry.name) if entry is not None else kind


def _intent_finding(intent: Intent, by_key: dict[tuple[str, str], Record]) -> Finding | None:
    if intent.external_id is not None and (intent.kind, intent.external_id) in by_key:
        return None  # the record was written; only the last journal step was missed
    if intent.state == "saved" and intent.secret_ref:
        return Finding(
            "secret_without_record",
            intent.kind,
            _("A {kind} was saved at {when} but its record was not written.").format(
                kind=_kind_name(intent.kind), when=_when(intent.updated_at)
            ),
            _secret_without_record_advice(intent.kind),
            intent.updated_at,
            intent_id=intent.id,
            external_id=intent.external_id,
            secret_ref=intent.secret_ref,
        )
    summary, advice = _unfinished_texts(intent)
    return Finding(
        "unfinished",
        intent.kind,
        summary,
        advice,
        intent.started_at,
        intent_id=intent.id,
        external_id=intent.external_id,
    )


def _unfinished_texts(intent: Intent) -> tuple[str, str]:
    when = _when(intent.started_at)
    if intent.action == "redeem":
        if intent.external_id is None:
            summary = _(
                "A redeem at {when} got no answer: X2Chat may have spent the token."
            ).format(when=when)
        else:
            summary = _(
                "X2Chat handed over bot {bot} at {when}, but x2desk stopped before saving it."
            ).format(bot=intent.external_id, when=when)
        return summary, _("The token is spent: make a new integration QR in X2Chat and scan it.")
    kind = _kind_name(intent.kind)
    if intent.external_id is None:
        summary = _(
            "A {kind} connection may have been created at the provider at {when}; its answer "
            "never arrived."
        ).format(kind=kind, when=when)
        advice = _(
            "Look in the provider's list of connections: attach the new one to x2desk, or "
            "delete it in the provider's dashboard."
        )
    else:
        summary = _(
            "The provider created {kind} connection {id} at {when}, but x2desk has no record of it."
        ).format(kind=kind, id=intent.external_id, when=when)
        advice = _(
            "Attach connection {id} to x2desk, or delete it in the provider's dashboard."
        ).format(id=intent.external_id)
    return summary, advice


def _secret_without_record_advice(kind: str) -> str:
    return _(
        "Connect the {kind} again to write its record (the saved secret is replaced), or "
        "remove the secret from the credential store."
    ).format(kind=_kind_name(kind))


def _missing_secrets(saved: list[Record], store: CredentialStore) -> list[Finding]:
    found = []
    for record in saved:
        if not record.secret_ref or store.load(record.secret_ref) is not None:
            continue
        entry = KINDS.get(record.kind)
        fix = entry.fix if entry is not None else None
        if fix is Fix.REPAIR:
            advice = _("Pair the Green-API instance again, or forget it: x2desk forget {id}.")
        elif fix is Fix.REAUTHORISE:
            advice = _("Log the account in again, or forget it: x2desk forget {id}.")
        else:
            advice = _("Connect it again, or forget it: x2desk forget {id}.")
        found.append(
            Finding(
                "record_without_secret",
                record.kind,
                _("{kind} {name} has lost its secret from the credential store.").format(
                    kind=_kind_name(record.kind), name=record.name or record.external_id
                ),
                advice.format(id=record.id),
                record.updated_at,
                record_id=record.id,
                external_id=record.external_id,
                secret_ref=record.secret_ref,
            )
        )
    return found


def _orphan_secrets(
    saved: list[Record], store: CredentialStore, known: list[Finding]
) -> list[Finding]:
    """Secrets of connection kinds that no record points at (only a store that can list)."""
    list_refs = getattr(store, "refs", None)
    if list_refs is None:
        return []
    from x2desk.core.profiles import own_ref

    used = {r.secret_ref for r in saved} | {f.secret_ref for f in known}
    found = []
    for ref in list_refs():
        bare = own_ref(ref)  # None: another profile's secret, not this one's orphan
        kind = bare.partition(":")[0] if bare is not None else ""
        if kind in KINDS and ref not in used:
            found.append(
                Finding(
                    "secret_without_record",
                    kind,
                    _("A saved {kind} secret ({ref}) has no connection record.").format(
                        kind=_kind_name(kind), ref=ref
                    ),
                    _secret_without_record_advice(kind),
                    secret_ref=ref,
                )
            )
    return found
