"""Everything x2desk assumes about Green-API for Telegram (API.md section 4, seed 003), in one
place (the hosts and timings in :mod:`x2desk.core.greenapi.endpoints`): the methods, the answers'
``type`` values and states, the authorisation calls' ``fail`` reasons, and what each means for
the person. Change it here when the real service says otherwise; the client reads it.
"""

from __future__ import annotations

from x2desk.core.errors import CodeInvalid, PasswordInvalid
from x2desk.i18n import N_

METHOD_QR = "qr"
METHOD_STATE = "getStateInstance"
METHOD_PASSWORD = "sendAuthorizationPassword"
METHOD_START_AUTH = "startAuthorization"  # {phoneNumber}: a code goes to the Telegram app
METHOD_CODE = "sendAuthorizationCode"  # {code}
METHOD_LOGOUT = "logout"
# Green-API's GetAccountSettings ({avatar, phone, stateInstance}; phone empty until authorised):
# which Telegram account was paired, shown once it is (not in seed 003: Green-API's own docs)
METHOD_ACCOUNT = "getAccountSettings"

QR_TYPE_CODE = "qrCode"
QR_TYPE_ERROR = "error"
QR_TYPES_ALREADY = frozenset({"alreadyLogged", "already_registered"})

STATES = frozenset(
    {
        "notAuthorized",
        "authorized",
        "pendingPassword",
        "starting",
        "sleepMode",
        "blocked",
        "yellowCard",
        "suspended",
        "pendingCode",  # a phone login waits for its code (documented for the other messengers)
    }
)
STATE_WHILE_CREATED = "starting"  # what an empty or null stateInstance means (being created)

# `{type: "error", message: ...}` from the qr call: what it means and what to do.
QR_ERRORS: dict[str, str] = {
    "timeout": N_(
        "Telegram's servers are unreachable from Green-API right now. x2desk keeps asking "
        "for a new QR; if it lasts, try again later."
    ),
    "not_ready": N_(
        "The instance is not ready yet (it is starting). x2desk keeps trying; if this lasts "
        "more than a few minutes, contact Green-API support."
    ),
    "connection_closed": N_(
        "Telegram's servers refused Green-API's request for a QR. x2desk keeps trying; if it "
        "lasts, contact Green-API support."
    ),
}

# The authorisation calls (password, phone code) answer `{status, data: {status, reason?}}`: a
# `fail` with one of these reasons is a wrong entry (the page stays, saying so)...
WRONG_ENTRY: dict[str, type[CodeInvalid] | type[PasswordInvalid]] = {
    "invalid_password": PasswordInvalid,
    "password_invalid": PasswordInvalid,
    "invalid_code": CodeInvalid,
    "code_invalid": CodeInvalid,
    "phone_code_invalid": CodeInvalid,
}
# ...and these are explained (anything else: AUTH_REASON_OTHER, with its word).
AUTH_REASONS: dict[str, str] = {
    "already_registered": N_("Green-API says the instance is already authorised."),
    "invalid_phone_number": N_(
        "Green-API says this phone number cannot log in to Telegram: check it (with the "
        "country code) and start again."
    ),
    "timeout": N_(
        "The code reached Green-API too late for Telegram. Start again for a new code and "
        "type it as soon as it arrives."
    ),
    "code_expired": N_("That code has expired (codes last 5 minutes). Start again for a new code."),
    "connection_error": N_(
        "Green-API could not reach Telegram's servers. Wait a minute and try again."
    ),
}
AUTH_REASON_OTHER = N_(
    "Green-API did not accept it ({reason}). Try again; if it keeps happening, contact "
    "Green-API support."
)
