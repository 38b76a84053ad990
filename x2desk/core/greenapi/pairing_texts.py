"""What a Green-API pairing says at each step (marked for the catalogue; :mod:`.pairing`
translates them where it shows them)."""

from __future__ import annotations

from x2desk.i18n import N_

TEXT_QR = N_(
    "Scan this QR with Telegram on the phone that holds the account: Settings > Devices > "
    "Link Desktop Device. A new QR comes every 5 s."
)
TEXT_CODE_SENT = N_(
    "Telegram sent a login code to the Telegram app on the phone (in the chat 'Telegram'). "
    "Type it here: it stays valid 5 minutes, and asking again within them sends no new code."
)
TEXT_CODE_CONFIRMING = N_(
    "The code was accepted; x2desk waits for Green-API to confirm the login (this takes a few "
    "seconds)…"
)
TEXT_PASSWORD = N_(
    "The account has a cloud (two-step verification) password: type it to finish the pairing."
)
TEXT_PASSWORD_AGAIN = N_("Green-API is still waiting for the password: type it again.")
TEXT_STARTING = N_("The instance is starting; x2desk keeps checking (this takes a few seconds)…")
TEXT_LOGGED_OUT = N_("The instance was logged out and is restarting; it is ready in a moment…")
TEXT_SLEEP = N_(
    "The instance is in sleep mode: the phone with the account is off or offline. Switch it on "
    "and connect it to the internet; x2desk keeps checking."
)
TEXT_CONFIRMING = N_("Green-API confirms the instance is authorised; saving it…")
TEXT_KEPT = N_("The instance was already authorised; kept it as it is and saved it.")
TEXT_PAIRED = N_("Paired: the instance is authorised and saved.")
