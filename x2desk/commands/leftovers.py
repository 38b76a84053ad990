"""A short note at the start of the commands that store or list: what an earlier run left
unfinished (a redeem whose answer never came, a connection created but not recorded, a secret
saved without its record), from the journal (:mod:`x2desk.core.store.audit`), with what to do.

It never blocks and never fails a command: it reads the local journal and records only (the
credential store is not opened: that may ask for a passphrase or a keyring unlock; ``x2desk
doctor`` compares it too), and any trouble reading them is logged and skipped. No secret is in
a finding.
"""

from __future__ import annotations

import logging

from x2desk.commands.terminal import say
from x2desk.i18n import _, ngettext

log = logging.getLogger(__name__)

COMMANDS = frozenset({"redeem", "connect", "list", "forget"})
SHOWN = 3  # at most this many findings are spelled out; doctor lists them all


def note_leftovers(command: str | None) -> int:
    """Say what earlier runs left unfinished, if ``command`` stores or lists; how many."""
    if command not in COMMANDS:
        return 0
    try:
        from x2desk.core.store.audit import audit
        from x2desk.core.store.journal import open_journal
        from x2desk.core.store.records import open_records

        with open_journal() as journal, open_records() as records:
            findings = audit(journal, records, None).findings
    except Exception as exc:  # a note is not worth a failure
        log.info("leftovers: not read (%s)", type(exc).__name__)
        return 0
    if not findings:
        return 0
    say(
        ngettext(
            "Note: an earlier run left {n} thing unfinished:",
            "Note: earlier runs left {n} things unfinished:",
            len(findings),
        ).format(n=len(findings))
    )
    for finding in findings[:SHOWN]:
        say(f"  - {finding.summary} {finding.advice}")
    if len(findings) > SHOWN:
        say(
            _("  … and {n} more: run 'x2desk doctor' to see them all.").format(
                n=len(findings) - SHOWN
            )
        )
    say(_("  (Once dealt with: x2desk forget --leftovers stops these notes.)"))
    return len(findings)
