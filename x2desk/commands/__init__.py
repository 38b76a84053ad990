"""Subcommands of the ``x2desk`` command line, one module each.

Each module named in :data:`COMMANDS` defines ``HELP`` (one line), ``add_arguments(parser)``
and ``run(args) -> int``. They are imported only when their command runs, so ``x2desk
--version`` stays instant. What they share: ``terminal`` (printing escaped, asking, the end of
input), ``secret_files`` (the one reader of secret files), ``stores`` (the passphrase options and
the credential store's rule), ``session_loop`` (the loop ``connect`` and ``connect green-api``
run a session in), ``terminal_qr`` (the QR drawn in a terminal), ``provider_key``.
"""

COMMANDS: dict[str, str] = {
    "doctor": "Check Python, Qt, decoders, cameras, keyring and the data folder",
    "redeem": "Redeem an X2Chat integration token or link and save the bot",
    "list": "List saved connections: labels, statuses, when last checked (no secret)",
    "show": "Show one saved connection: everything but its secrets",
    "check": "Check saved connections now (one, several, or --all)",
    "rename": "Give a saved connection a new label",
    "export": "Write a saved connection's credentials for another system (.env or JSON, 0600)",
    "history": "Show a saved connection's history, or write it as CSV",
    "forget": "Forget a saved connection: its secret is deleted, its history kept",
    "profile": "List, add, remove or choose profiles (one per business)",
    "scan": "Decode QR codes in image files",
    "sandbox": "Run the local sandbox server that stands in for the real services",
    "connect": "Connect a Telegram, MAX or WhatsApp account, a Telegram bot or an OK group",
    "kiosk": "Set the kiosk's admin PIN, or check the kiosk's config file",
}
