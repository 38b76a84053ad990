"""Subcommands of the ``x2desk`` command line, one module each.

Each module named in :data:`COMMANDS` (with its one-line help) defines ``add_arguments(parser)``
and ``run(args) -> int``. They are imported only when their command runs, so ``x2desk
--version`` stays instant. What they share: ``terminal`` (printing escaped, asking, the end of
input), ``secret_files`` (the one reader of secret files), ``stores`` (the passphrase options and
the credential store's rule), ``session_loop`` (the loop ``connect`` and ``connect green-api``
run a session in), ``terminal_qr`` (the QR drawn in a terminal), ``provider_key``.
"""

from x2desk.i18n import N_

# each command's help (N_: translated when the parser is built)
COMMANDS: dict[str, str] = {
    "doctor": N_("Check Python, Qt, decoders, cameras, keyring and the data folder"),
    "redeem": N_("Redeem an X2Chat integration token or link and save the bot"),
    "list": N_("List saved connections: labels, statuses, when last checked (no secret)"),
    "show": N_("Show one saved connection: everything but its secrets"),
    "check": N_("Check saved connections now (one, several, or --all)"),
    "rename": N_("Give a saved connection a new label"),
    "export": N_("Write a saved connection's credentials for another system (.env or JSON, 0600)"),
    "history": N_("Show a saved connection's history, or write it as CSV"),
    "forget": N_("Forget a saved connection: its secret is deleted, its history kept"),
    "profile": N_("List, add, remove or choose profiles (one per business)"),
    "scan": N_("Decode QR codes in image files"),
    "sandbox": N_("Run the local sandbox server that stands in for the real services"),
    "connect": N_("Connect a Telegram, MAX or WhatsApp account, a Telegram bot or an OK group"),
    "kiosk": N_("Set the kiosk's admin PIN, or check the kiosk's config file"),
}
