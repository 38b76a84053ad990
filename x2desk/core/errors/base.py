"""The base of x2desk's errors and the errors of what a person typed."""

from __future__ import annotations

from x2desk.i18n import N_, _

# The longest wait a server's Retry-After can impose on x2desk (a longer one is cut to this).
MAX_RETRY_AFTER_S = 300.0


class X2DeskError(Exception):
    """Base of every error x2desk raises on purpose."""

    key = "unknown"
    exit_code = 1
    default_message = N_("Something went wrong.")

    def __init__(self, message: str | None = None) -> None:
        self.message = message or _(self.default_message)  # in the language of now
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


# ---- input -------------------------------------------------------------------------------------


class InputError(X2DeskError):
    """What the user typed, pasted or scanned cannot be used. Nothing was sent anywhere."""

    key = "bad_input"
    exit_code = 2
    default_message = N_("That input cannot be used.")


class NotIntegrationToken(InputError):
    """A QR or text that is not an X2Chat integration token (the message says what it was)."""

    key = "not_integration_token"


class InputEnded(InputError):
    """The input ended (end of file, Ctrl-D, a closed pipe) where x2desk asked for something."""

    key = "input_ended"
    default_message = N_(
        "The input ended before x2desk got what it asked for. Run the command in a terminal, "
        "or give the value with an option."
    )


class InsecureUrl(InputError):
    """A URL that is not https:// (loopback http is allowed): refused before anything is sent."""

    key = "insecure_url"
    default_message = N_("Only https:// addresses are allowed (http:// only on this computer).")
