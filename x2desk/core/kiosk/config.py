"""The kiosk's config file (TOML): what a pairing station offers, where it connects, how it looks,
when it resets and how an admin leaves it. Parsed and checked here, without Qt, into frozen
dataclasses; a wrong or missing file gives one :class:`~x2desk.core.errors.KioskConfigError`
naming the file, the line and the key. The format is documented in the README's "Kiosk" section
and by ``packaging/kiosk/example.toml``.

The file holds no secret: the provider's API key is named by its credential-store reference, the
Green-API instance's token is looked up under ``greenapi:<idInstance>``, and the admin PIN is a
salted hash (:mod:`x2desk.core.kiosk.pin`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from x2desk import APP_NAME
from x2desk.core.errors import InputError
from x2desk.core.kinds import FLOWS, Flow
from x2desk.core.kiosk.pin import is_pin_hash, verify_pin
from x2desk.core.kiosk.reader import ConfigReader, read_document
from x2desk.core.secret import Secret
from x2desk.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _

CONFIG_FILE = "kiosk.toml"
DEFAULT_IDLE_S = 120
DEFAULT_WARNING_S = 15
DEFAULT_DONE_S = 10
DEFAULT_HOLD_S = 5
DEFAULT_ACCENT = "#1a73e8"
DEFAULT_CHORD = "Ctrl+Alt+Shift+X"
DEFAULT_TITLE = N_("Connect your messenger")
DEFAULT_WELCOME = N_("Choose what to connect. Nothing you type is kept on this screen.")

_REF_RE = re.compile(r"^[a-z][a-z0-9_]*:\S+$")
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_LOGO_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".webp", ".bmp")
MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_NAMED_KEYS: tuple[str, ...] = ("Esc", "Tab", "Backspace", "Return", "Enter", "Insert", "Del")
_NAMED_KEYS += ("Home", "End", "PgUp", "PgDown", "Space", "Pause", "Print", "ScrollLock")
_KEY_RE = re.compile(r"^(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4]))$")

TOP_KEYS = ("language", "flows", "profile", "timeouts", "branding", "admin", "camera")
PROFILE_KEYS: tuple[str, ...] = ("x2chat_api_base", "provider_base", "provider_key", "company_id")
PROFILE_KEYS += ("greenapi_api_url", "greenapi_instance")
TIMEOUT_KEYS = ("idle_seconds", "idle_warning_seconds", "done_seconds")
BRANDING_KEYS = ("logo", "accent", *LANGUAGES)
TEXT_KEYS = ("title", "welcome")
ADMIN_KEYS = ("pin_hash", "exit_chord", "exit_corner", "exit_hold_seconds")


class Corner(StrEnum):
    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"


@dataclass(frozen=True)
class Profile:
    """Where the kiosk connects. Every address is https:// (or loopback http://)."""

    x2chat_api_base: str
    provider_base: str
    provider_key_ref: str  # the credential-store ref of the provider's API key
    company_id: int | None  # None: the one company the key sees (several: a config error later)
    greenapi_api_url: str
    greenapi_instance: str | None  # idInstance; its token: credential store, greenapi:<id>


@dataclass(frozen=True)
class Timeouts:
    idle_s: int = DEFAULT_IDLE_S  # no touch for this long on any page: reset to the start
    warning_s: int = DEFAULT_WARNING_S  # the last seconds of idle_s show "are you still there?"
    done_s: int = DEFAULT_DONE_S  # the done screen stays this long


@dataclass(frozen=True)
class Branding:
    logo: Path | None  # absolute; an existing image file
    accent: str  # "#rrggbb"
    titles: dict[str, str] = field(default_factory=dict)  # language -> title
    welcomes: dict[str, str] = field(default_factory=dict)  # language -> welcome text

    def title(self, language: str) -> str:
        """The start screen's title in ``language`` (the built-in one, translated, if unset)."""
        return self.titles.get(language) or _(DEFAULT_TITLE)

    def welcome(self, language: str) -> str:
        return self.welcomes.get(language) or _(DEFAULT_WELCOME)


@dataclass(frozen=True)
class Admin:
    """How an admin leaves the kiosk: a gesture opens the PIN pad (at least one is set)."""

    pin_hash: str | None  # None only when loaded with need_pin=False (set-pin, check)
    exit_chord: str | None  # e.g. "Ctrl+Alt+Shift+X" (QKeySequence.fromString reads it)
    exit_corner: Corner | None  # a long press there
    exit_hold_s: int = DEFAULT_HOLD_S

    def verify_pin(self, pin: Secret | str) -> bool:
        return verify_pin(pin, self.pin_hash)


@dataclass(frozen=True)
class KioskConfig:
    path: Path
    flows: tuple[str, ...]  # ids of x2desk.core.kinds.FLOWS, in the start screen's order
    language: str  # the start screen's language ("en", "ru") until someone switches
    profile: Profile
    timeouts: Timeouts
    branding: Branding
    admin: Admin
    camera_name: str | None  # a part of the camera's name (any case); None: the first camera

    def flow_list(self) -> list[Flow]:
        return [FLOWS[f] for f in self.flows]


def default_config_path() -> Path:
    """``$X2DESK_HOME/kiosk.toml`` when that is set, else the user's config folder's
    ``x2desk/kiosk.toml`` (``~/.config/x2desk/kiosk.toml`` on Linux)."""
    override = os.environ.get("X2DESK_HOME")
    if override:
        return Path(override).expanduser() / CONFIG_FILE
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


def load_kiosk_config(path: Path | str | None = None, *, need_pin: bool = True) -> KioskConfig:
    """The checked config at ``path`` (default :func:`default_config_path`). ``need_pin``:
    a missing PIN hash is an error (the kiosk could not be left); ``set-pin`` passes False."""
    path = Path(path).expanduser().absolute() if path else default_config_path()
    source, data = read_document(path)
    read = ConfigReader(path, source)
    top = read.table(data, (), TOP_KEYS)
    flows = _flows(read, top)
    return KioskConfig(
        path=path,
        flows=flows,
        language=read.choice(top, ("language",), DEFAULT_LANGUAGE, LANGUAGES),
        profile=_profile(read, top, flows),
        timeouts=_timeouts(read, top),
        branding=_branding(read, top, path.parent),
        admin=_admin(read, top, need_pin),
        camera_name=_camera(read, top),
    )


def _camera(read: ConfigReader, top: dict[str, Any]) -> str | None:
    table = read.table(top, ("camera",), ("name",))
    return read.text(table, ("camera", "name"), None, 200) or None


def _flows(read: ConfigReader, top: dict[str, Any]) -> tuple[str, ...]:
    known = ", ".join(f'"{f}"' for f in FLOWS)
    value = top.get("flows")
    if value is None:
        read.fail(
            ("flows",),
            _("missing: list the flows the kiosk offers, from {known}.").format(known=known),
        )
    if not isinstance(value, list) or not value:
        read.fail(("flows",), _('must be a list of at least one flow, e.g. flows = ["whatsapp"].'))
    seen: list[str] = []
    for item in value:
        if not isinstance(item, str) or item not in FLOWS:
            problem = _("holds a flow x2desk does not know; the flows are {known}.")
            read.fail(
                ("flows",), problem.format(known=known), item if isinstance(item, str) else None
            )
        if item in seen:
            read.fail(("flows",), _("lists a flow twice."), item)
        seen.append(item)
    return tuple(seen)


def _profile(read: ConfigReader, top: dict[str, Any], flows: tuple[str, ...]) -> Profile:
    from x2desk.core.accounts.client import provider_key_ref
    from x2desk.core.accounts.endpoints import DEFAULT_PROVIDER_URL
    from x2desk.core.greenapi.client import check_instance_id
    from x2desk.core.greenapi.endpoints import DEFAULT_API_URL
    from x2desk.core.x2chat.endpoints import DEFAULT_API_BASE

    table = read.table(top, ("profile",), PROFILE_KEYS)
    provider_base = read.url(table, ("profile", "provider_base"), DEFAULT_PROVIDER_URL)
    company_id = read.integer(table, ("profile", "company_id"), _("the company's id number"))
    key_path = ("profile", "provider_key")
    default_ref = provider_key_ref(provider_base, company_id)
    key_ref = read.text(table, key_path, default_ref, 400) or ""
    if not _REF_RE.match(key_ref):
        read.fail(
            key_path,
            _(
                "must name where the provider's API key is saved, never hold the key itself: "
                'provider_key = "provider_api_key:<provider_base>" (the key saved for that address '
                "on this computer). Remove the key from this file and save it in x2desk instead."
            ),
        )
    saved_for = key_ref.split("#", 1)[0]  # the address part (a company may follow)
    if key_ref.startswith("provider_api_key:") and saved_for != provider_key_ref(provider_base):
        read.fail(
            key_path,
            _(
                "names the key saved for another address than provider_base: a key is only ever "
                "sent to the address it was saved for. Make them the same address."
            ),
        )
    instance = table.get("greenapi_instance")
    instance_path = ("profile", "greenapi_instance")
    if instance is not None:
        try:
            instance = check_instance_id(instance if isinstance(instance, str | int) else "")
        except InputError:
            read.fail(instance_path, _("must be the instance's idInstance (digits only)."))
    elif {"greenapi_qr", "greenapi_code"} & set(flows):
        read.fail(
            instance_path,
            _(
                'missing: the "greenapi_qr" flow pairs the instance named here '
                "(greenapi_instance = 1101000001); save its apiTokenInstance in x2desk first."
            ),
        )
    return Profile(
        x2chat_api_base=read.url(table, ("profile", "x2chat_api_base"), DEFAULT_API_BASE),
        provider_base=provider_base,
        provider_key_ref=key_ref,
        company_id=company_id,
        greenapi_api_url=read.url(table, ("profile", "greenapi_api_url"), DEFAULT_API_URL),
        greenapi_instance=instance,
    )


def _timeouts(read: ConfigReader, top: dict[str, Any]) -> Timeouts:
    table = read.table(top, ("timeouts",), TIMEOUT_KEYS)
    idle = read.seconds(table, ("timeouts", "idle_seconds"), DEFAULT_IDLE_S, 30, 3600)
    warning = read.seconds(table, ("timeouts", "idle_warning_seconds"), DEFAULT_WARNING_S, 3, 120)
    if warning >= idle:
        read.fail(
            ("timeouts", "idle_warning_seconds"),
            _("must be shorter than idle_seconds: the countdown shows in the last seconds of it."),
        )
    done = read.seconds(table, ("timeouts", "done_seconds"), DEFAULT_DONE_S, 2, 300)
    return Timeouts(idle_s=idle, warning_s=warning, done_s=done)


def _branding(read: ConfigReader, top: dict[str, Any], folder: Path) -> Branding:
    table = read.table(top, ("branding",), BRANDING_KEYS)
    accent = read.text(table, ("branding", "accent"), DEFAULT_ACCENT, 20) or ""
    if not _COLOUR_RE.match(accent):
        read.fail(("branding", "accent"), _('must be a colour as "#rrggbb", e.g. "#1a73e8".'))
    if len(accent) == 4:
        accent = "#" + "".join(c * 2 for c in accent[1:])
    logo = read.text(table, ("branding", "logo"), None, 1000)
    logo_path = (folder / Path(logo).expanduser()) if logo else None
    if logo_path is not None:
        if logo_path.suffix.lower() not in _LOGO_SUFFIXES:
            read.fail(
                ("branding", "logo"),
                _("must be an image file: {kinds}.").format(kinds=", ".join(_LOGO_SUFFIXES)),
            )
        if not logo_path.is_file():
            read.fail(
                ("branding", "logo"),
                _(
                    "names a file that does not exist (a relative path is read from the config "
                    "file's folder)."
                ),
            )
    titles: dict[str, str] = {}
    welcomes: dict[str, str] = {}
    for language in LANGUAGES:
        texts = read.table(table, ("branding", language), TEXT_KEYS)
        title = read.text(texts, ("branding", language, "title"), None, 80)
        welcome = read.text(texts, ("branding", language, "welcome"), None, 400)
        if title:
            titles[language] = title
        if welcome:
            welcomes[language] = welcome
    return Branding(logo_path, accent.lower(), titles, welcomes)


def normalise_chord(text: str) -> str | None:
    """``ctrl+shift+alt+x`` -> ``Ctrl+Alt+Shift+X``; None unless it is two or more modifiers
    and one key (a letter, a digit, F1-F24 or a named key such as Esc or Del)."""
    parts = [p.strip() for p in text.split("+")]
    if len(parts) < 3 or not all(parts):
        return None
    *mods, key = parts
    wanted = {m.lower(): m for m in MODIFIERS}
    if len({m.lower() for m in mods}) != len(mods) or any(m.lower() not in wanted for m in mods):
        return None
    named = {k.lower(): k for k in _NAMED_KEYS}
    key = named.get(key.lower(), key.upper())
    if key not in _NAMED_KEYS and not _KEY_RE.match(key):
        return None
    ordered = [m for m in MODIFIERS if m.lower() in {x.lower() for x in mods}]
    return "+".join([*ordered, key])


def _admin(read: ConfigReader, top: dict[str, Any], need_pin: bool) -> Admin:
    table = read.table(top, ("admin",), ADMIN_KEYS)
    pin_hash = read.text(table, ("admin", "pin_hash"), None, 400) or None
    if pin_hash is not None and not is_pin_hash(pin_hash):
        read.fail(
            ("admin", "pin_hash"),
            _(
                "is not a PIN hash x2desk wrote. Set the PIN again: x2desk kiosk set-pin --config "
                "{path}"
            ).format(path=read.path),
        )
    if pin_hash is None and need_pin:
        read.fail(
            ("admin", "pin_hash") if "admin" in top else (),
            _(
                "no admin PIN is set, so nobody could leave the kiosk. Set one: "
                "x2desk kiosk set-pin --config {path}"
            ).format(path=read.path),
        )
    chord_text = read.text(table, ("admin", "exit_chord"), DEFAULT_CHORD, 60) or ""
    chord = normalise_chord(chord_text) if chord_text else None
    if chord_text and chord is None:
        read.fail(
            ("admin", "exit_chord"),
            _(
                'must be two or more of Ctrl, Alt, Shift, Meta and one key, e.g. "{example}" '
                '(or "" for none).'
            ).format(example=DEFAULT_CHORD),
        )
    corner_text = read.choice(
        table, ("admin", "exit_corner"), "none", ("none", *(c.value for c in Corner))
    )
    corner = None if corner_text == "none" else Corner(corner_text)
    hold = read.seconds(table, ("admin", "exit_hold_seconds"), DEFAULT_HOLD_S, 2, 30)
    if chord is None and corner is None:
        read.fail(
            ("admin", "exit_chord") if "exit_chord" in table else ("admin",),
            _("no way to leave the kiosk is set: give exit_chord, exit_corner, or both."),
        )
    return Admin(pin_hash=pin_hash, exit_chord=chord, exit_corner=corner, exit_hold_s=hold)
