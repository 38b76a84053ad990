"""What a person types for a Green-API instance, checked before anything is sent: its
``idInstance`` (digits), its ``apiTokenInstance`` (letters and digits) and its ``apiUrl``
(https://, derived from the id when not given). No httpx here: the pages check as you type."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from x2desk.core.errors import InputError
from x2desk.core.greenapi.endpoints import INSTANCE_API_URL, UNIVERSAL_API_URL
from x2desk.core.net import require_secure
from x2desk.core.secret import Secret
from x2desk.i18n import _

ID_INSTANCE = re.compile(r"^\d{1,20}$")
API_TOKEN = re.compile(r"^[A-Za-z0-9]{20,128}$")


# ---- input checks ------------------------------------------------------------------------------


def check_instance_id(text: str | int) -> str:
    """The idInstance as digits (``waInstance`` prefix and spaces dropped), or InputError."""
    value = re.sub(r"\s", "", str(text))
    if value.lower().startswith("wainstance"):
        value = value[len("wainstance") :]
    if not value:
        raise InputError(_("Type the instance's idInstance (digits, from the Green-API console)."))
    if not ID_INSTANCE.match(value):
        raise InputError(
            _(
                "The idInstance is a number (digits only, e.g. 1101000001): copy it again from the "
                "Green-API console."
            )
        )
    return value


def check_api_token(token: Secret) -> Secret:
    """The apiTokenInstance, trimmed and checked for its form (20-128 letters and digits)."""
    value = token.reveal().strip()
    if not value:
        raise InputError(_("Paste the instance's apiTokenInstance (from the Green-API console)."))
    if not API_TOKEN.match(value):
        raise InputError(
            _(
                "That is not an apiTokenInstance: it is {n} characters long or has characters "
                "such a token cannot have (it is 20 to 128 letters and digits, usually 50). Copy "
                "it again, whole, from the Green-API console."
            ).format(n=len(value))
        )
    return Secret(value)


def default_api_url(id_instance: str | int) -> str:
    """The instance's own apiUrl, ``https://NNNN.api.green-api.com`` (NNNN: the first four
    digits of its id); the universal address when the id is shorter than that."""
    digits = re.sub(r"\D", "", str(id_instance))
    if len(digits) < 4:
        return UNIVERSAL_API_URL
    return INSTANCE_API_URL.format(prefix=digits[:4])


def check_api_url(text: str | None, id_instance: str | int | None = None) -> str:
    """The apiUrl to use: ``text`` (https://, or http:// on this computer; no query or
    fragment), else the instance's own one derived from ``id_instance``."""
    value = (text or "").strip()
    if not value:
        if id_instance is None:
            raise InputError(_("Type the instance's apiUrl (shown in the Green-API console)."))
        return default_api_url(check_instance_id(id_instance))
    url = require_secure(value)
    parts = urlsplit(url)
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise InputError(
            _(
                "The apiUrl is just an address like https://1101.api.green-api.com, without "
                "'?', '#' or a user name: copy it again from the Green-API console."
            )
        )
    return url
