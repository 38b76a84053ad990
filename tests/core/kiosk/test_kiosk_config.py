"""The kiosk config: a full example read into dataclasses, the shipped example, and every way a
file can be wrong, each giving one KioskConfigError that names the file, the line and the key."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from x2desk.core.errors import KioskConfigError
from x2desk.core.kinds import FLOWS
from x2desk.core.kiosk.config import (
    DEFAULT_TITLE,
    DEFAULT_WELCOME,
    Branding,
    Corner,
    default_config_path,
    load_kiosk_config,
    normalise_chord,
)
from x2desk.core.kiosk.pin import hash_pin
from x2desk.core.secret import Secret
from x2desk.i18n import _, set_language

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "packaging" / "kiosk" / "example.toml"
PIN = "4815162342"
PIN_HASH = hash_pin(Secret(PIN))
MINIMAL = f'flows = ["x2chat_bot"]\n\n[admin]\npin_hash = "{PIN_HASH}"\n'

FULL = f"""\
# a kiosk in the shop
language = "ru"
flows = [
    "whatsapp",
    "greenapi_qr",   # the shop's own instance
    "x2chat_bot",
]

[profile]
x2chat_api_base = "https://x2chat.example.com/api/v1/"
provider_base = "https://provider.example.com/v2"
provider_key = "provider_api_key:https://provider.example.com/v2"
company_id = 4242
greenapi_api_url = "https://7103.api.green-api.com"
greenapi_instance = "7103000042"

[timeouts]
idle_seconds = 90
idle_warning_seconds = 10
done_seconds = 8

[branding]
logo = "logo.png"
accent = "#0A0"

[branding.en]
title = "Shop kiosk"
welcome = "Connect your account here."

[branding.ru]
title = "Киоск магазина"

[admin]
pin_hash = "{PIN_HASH}"   # set by x2desk kiosk set-pin
exit_chord = "shift+ctrl+F12"
exit_corner = "bottom-right"
exit_hold_seconds = 7

[camera]
name = "Logitech C920"
"""


def write(tmp_path: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def fail(tmp_path: Path, text: str, *, need_pin: bool = True) -> KioskConfigError:
    path = write(tmp_path, text)
    with pytest.raises(KioskConfigError) as caught:
        load_kiosk_config(path, need_pin=need_pin)
    error = caught.value
    assert error.path == str(path)
    assert error.message.startswith(f"kiosk config {path}")
    return error


def test_a_full_config_reads_into_typed_dataclasses(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    config = load_kiosk_config(write(tmp_path, FULL))
    assert config.path == tmp_path / "kiosk.toml"
    assert config.flows == ("whatsapp", "greenapi_qr", "x2chat_bot")
    assert [f.id for f in config.flow_list()] == list(config.flows)
    assert config.language == "ru"
    profile = config.profile
    assert profile.x2chat_api_base == "https://x2chat.example.com/api/v1"  # no trailing slash
    assert profile.provider_base == "https://provider.example.com/v2"
    assert profile.provider_key_ref == "provider_api_key:https://provider.example.com/v2"
    assert profile.company_id == 4242
    assert profile.greenapi_api_url == "https://7103.api.green-api.com"
    assert profile.greenapi_instance == "7103000042"
    assert (config.timeouts.idle_s, config.timeouts.warning_s, config.timeouts.done_s) == (
        90,
        10,
        8,
    )
    branding = config.branding
    assert branding.logo == tmp_path / "logo.png"
    assert branding.accent == "#00aa00"
    assert branding.title("en") == "Shop kiosk"
    assert branding.title("ru") == "Киоск магазина"
    assert branding.welcome("en") == "Connect your account here."
    assert branding.welcome("ru") != ""  # the built-in text
    assert config.admin.exit_chord == "Ctrl+Shift+F12"
    assert config.admin.exit_corner is Corner.BOTTOM_RIGHT
    assert config.admin.exit_hold_s == 7
    assert config.admin.verify_pin(PIN)
    assert not config.admin.verify_pin("4815162343")
    assert config.camera_name == "Logitech C920"


def test_defaults_of_a_minimal_config(tmp_path: Path) -> None:
    config = load_kiosk_config(write(tmp_path, MINIMAL))
    assert config.language == "en"
    assert config.profile.x2chat_api_base == "https://ix.x2chat.com/api/v1"
    assert config.profile.provider_base == "https://api.radist.online/v2"
    assert config.profile.provider_key_ref == "provider_api_key:https://api.radist.online/v2"
    assert config.profile.company_id is None and config.profile.greenapi_instance is None
    assert (config.timeouts.idle_s, config.timeouts.warning_s) == (120, 15)
    assert config.branding.logo is None and config.branding.accent == "#1a73e8"
    assert config.branding.title("en") == DEFAULT_TITLE
    assert config.admin.exit_chord == "Ctrl+Alt+Shift+X" and config.admin.exit_corner is None
    assert config.camera_name is None


def test_the_shipped_example_is_valid_and_only_lacks_the_pin(tmp_path: Path) -> None:
    config = load_kiosk_config(EXAMPLE, need_pin=False)
    assert config.admin.pin_hash is None
    assert set(config.flows) <= set(FLOWS)
    text = EXAMPLE.read_text(encoding="utf-8")
    for flow in FLOWS:  # the example's comment lists every flow there is
        assert flow in text
    error = fail(tmp_path, text)
    assert error.config_key == "admin.pin_hash"
    assert error.line == text.splitlines().index("[admin]") + 1
    assert "x2desk kiosk set-pin --config" in error.problem


def test_the_readme_shows_the_shipped_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert EXAMPLE.read_text(encoding="utf-8") in blocks


def test_default_path_is_in_the_data_folder_override(x2desk_home: Path) -> None:
    assert default_config_path() == x2desk_home / "kiosk.toml"
    with pytest.raises(KioskConfigError) as caught:
        load_kiosk_config()
    assert caught.value.path == str(x2desk_home / "kiosk.toml")
    assert caught.value.line is None and "does not exist" in caught.value.problem


def test_an_unset_text_falls_back_to_the_built_in_one_in_the_current_language() -> None:
    branding = Branding(None, "#000000", titles={"en": "Shop"}, welcomes={"ru": "Привет"})
    set_language("ru")
    try:
        assert branding.title("ru") == _(DEFAULT_TITLE)  # not the English "Shop"
        assert branding.welcome("ru") == "Привет"
        assert branding.title("en") == "Shop"
        assert branding.welcome("en") == _(DEFAULT_WELCOME)
    finally:
        set_language("en")


# ---- the file itself -------------------------------------------------------------------------


def test_a_folder_is_not_a_config(tmp_path: Path) -> None:
    with pytest.raises(KioskConfigError, match="a folder, not a file"):
        load_kiosk_config(tmp_path)


def test_an_unreadable_path_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(KioskConfigError, match="cannot be read") as caught:
        load_kiosk_config(tmp_path / "file" / "kiosk.toml")
    assert caught.value.line is None


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'flows = ["x2chat_bot"]\n[branding.en]\ntitle = "caf\xe9"\n')
    with pytest.raises(KioskConfigError, match="not UTF-8") as caught:
        load_kiosk_config(path)
    assert caught.value.line == 3


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('flows = ["x2chat_bot"]\nlanguage = en\n', 2, "invalid value at column 12"),
        ("flows = [", 1, "at the end of the file"),
        ('flows = []\n[admin]\nexit_chord = ""\n[admin]\n', 4, "twice"),
    ],
)
def test_toml_syntax_errors_name_the_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    error = fail(tmp_path, text)
    assert error.line == line and error.config_key is None
    assert "not valid TOML" in error.problem and fragment in error.problem.lower()


# ---- wrong values: (file text, line, key, a fragment of the problem) -------------------------

H = f'pin_hash = "{PIN_HASH}"'
CASES = [
    ("flows", f"[admin]\n{H}\n", None, "flows", "missing"),
    ("flows-empty", f"flows = []\n[admin]\n{H}\n", 1, "flows", "at least one"),
    ("flows-string", f'flows = "whatsapp"\n[admin]\n{H}\n', 1, "flows", "at least one"),
    (
        "flows-unknown",
        f'flows = [\n  "whatsapp",\n  "telegram_qrr",\n]\n[admin]\n{H}\n',
        3,
        "flows",
        "does not know",
    ),
    ("flows-number", f"flows = [1]\n[admin]\n{H}\n", 1, "flows", "does not know"),
    ("flows-twice", f'flows = ["whatsapp", "whatsapp"]\n[admin]\n{H}\n', 1, "flows", "twice"),
    (
        "top-unknown",
        f'flows = ["whatsapp"]\nlanguge = "ru"\n[admin]\n{H}\n',
        2,
        "languge",
        "spelling",
    ),
    ("language", f'language = "de"\nflows = ["whatsapp"]\n[admin]\n{H}\n', 1, "language", '"ru"'),
    (
        "table-not-table",
        f'flows = ["whatsapp"]\nprofile = 3\n[admin]\n{H}\n',
        2,
        "profile",
        "table",
    ),
    (
        "nested-unknown",
        f'flows = ["whatsapp"]\n[timeouts]\nidle = 60\n[admin]\n{H}\n',
        3,
        "timeouts.idle",
        "idle_seconds",
    ),
    (
        "insecure-url",
        f'flows = ["whatsapp"]\n[profile]\nprovider_base = "http://example.com/v2"\n[admin]\n{H}\n',
        3,
        "profile.provider_base",
        "https://",
    ),
    (
        "url-not-text",
        f'flows = ["whatsapp"]\n[profile]\nx2chat_api_base = 5\n[admin]\n{H}\n',
        3,
        "profile.x2chat_api_base",
        "text in quotes",
    ),
    (
        "key-elsewhere",
        f'flows = ["whatsapp"]\n[profile]\nprovider_base = "https://a.example/v2"\n'
        f'provider_key = "provider_api_key:https://b.example/v2"\n[admin]\n{H}\n',
        4,
        "profile.provider_key",
        "another address",
    ),
    (
        "company-text",
        f'flows = ["whatsapp"]\n[profile]\ncompany_id = "42"\n[admin]\n{H}\n',
        3,
        "profile.company_id",
        "whole number",
    ),
    (
        "company-zero",
        f'flows = ["whatsapp"]\n[profile]\ncompany_id = 0\n[admin]\n{H}\n',
        3,
        "profile.company_id",
        "whole number",
    ),
    (
        "instance-bad",
        f'flows = ["whatsapp"]\n[profile]\ngreenapi_instance = "71O3"\n[admin]\n{H}\n',
        3,
        "profile.greenapi_instance",
        "idInstance",
    ),
    (
        "instance-missing",
        f'flows = ["greenapi_qr"]\n[profile]\n\n[admin]\n{H}\n',
        2,
        "profile.greenapi_instance",
        "missing",
    ),
    (
        "idle-low",
        f'flows = ["whatsapp"]\n[timeouts]\nidle_seconds = 5\n[admin]\n{H}\n',
        3,
        "timeouts.idle_seconds",
        "from 30 to 3600",
    ),
    (
        "idle-float",
        f'flows = ["whatsapp"]\n[timeouts]\nidle_seconds = 90.5\n[admin]\n{H}\n',
        3,
        "timeouts.idle_seconds",
        "whole number",
    ),
    (
        "idle-bool",
        f'flows = ["whatsapp"]\n[timeouts]\nidle_seconds = true\n[admin]\n{H}\n',
        3,
        "timeouts.idle_seconds",
        "whole number",
    ),
    (
        "warning-long",
        f'flows = ["whatsapp"]\n[timeouts]\nidle_seconds = 60\n'
        f"idle_warning_seconds = 60\n[admin]\n{H}\n",
        4,
        "timeouts.idle_warning_seconds",
        "shorter than idle_seconds",
    ),
    (
        "done-high",
        f'flows = ["whatsapp"]\n[timeouts]\ndone_seconds = 600\n[admin]\n{H}\n',
        3,
        "timeouts.done_seconds",
        "from 2 to 300",
    ),
    (
        "accent",
        f'flows = ["whatsapp"]\n[branding]\naccent = "blue"\n[admin]\n{H}\n',
        3,
        "branding.accent",
        "#rrggbb",
    ),
    (
        "logo-kind",
        f'flows = ["whatsapp"]\n[branding]\nlogo = "logo.gif"\n[admin]\n{H}\n',
        3,
        "branding.logo",
        "image file",
    ),
    (
        "logo-missing",
        f'flows = ["whatsapp"]\n[branding]\nlogo = "nowhere/logo.png"\n[admin]\n{H}\n',
        3,
        "branding.logo",
        "does not exist",
    ),
    (
        "title-long",
        f'flows = ["whatsapp"]\n[branding.en]\ntitle = "{"x" * 81}"\n[admin]\n{H}\n',
        3,
        "branding.en.title",
        "at most 80",
    ),
    (
        "branding-language",
        f'flows = ["whatsapp"]\n[branding.de]\ntitle = "Hallo"\n[admin]\n{H}\n',
        2,
        "branding.de",
        "spelling",
    ),
    (
        "inline-welcome",
        f'flows = ["whatsapp"]\nbranding = {{ ru = {{ welcome = 3 }} }}\n[admin]\n{H}\n',
        2,
        "branding.ru.welcome",
        "text in quotes",
    ),
    (
        "pin-hash-bad",
        'flows = ["whatsapp"]\n[admin]\npin_hash = "1234"\n',
        3,
        "admin.pin_hash",
        "set-pin",
    ),
    ("pin-missing", 'flows = ["whatsapp"]\n', None, None, "no admin PIN"),
    (
        "chord-one-modifier",
        f'flows = ["whatsapp"]\n[admin]\n{H}\nexit_chord = "Ctrl+Q"\n',
        4,
        "admin.exit_chord",
        "two or more",
    ),
    (
        "corner",
        f'flows = ["whatsapp"]\n[admin]\n{H}\nexit_corner = "middle"\n',
        4,
        "admin.exit_corner",
        "top-left",
    ),
    (
        "hold",
        f'flows = ["whatsapp"]\n[admin]\n{H}\nexit_hold_seconds = 1\n',
        4,
        "admin.exit_hold_seconds",
        "from 2 to 30",
    ),
    (
        "no-exit",
        f'flows = ["whatsapp"]\n[admin]\n{H}\nexit_chord = ""\nexit_corner = "none"\n',
        4,
        "admin.exit_chord",
        "no way to leave",
    ),
    (
        "camera",
        f'flows = ["whatsapp"]\n[admin]\n{H}\n[camera]\nname = 0\n',
        5,
        "camera.name",
        "text in quotes",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "key", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_wrong_value_names_file_line_and_key(
    tmp_path: Path, text: str, line: int | None, key: str | None, fragment: str
) -> None:
    error = fail(tmp_path, text)
    assert (error.line, error.config_key) == (line, key)
    assert fragment in error.problem
    where = f", line {line}" if line else ""
    assert error.message.startswith(f"kiosk config {tmp_path / 'kiosk.toml'}{where}")


def test_a_key_in_the_key_reference_is_never_echoed(tmp_path: Path) -> None:
    key = "rk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
    error = fail(
        tmp_path, f'flows = ["whatsapp"]\n[profile]\nprovider_key = "{key}"\n[admin]\n{H}\n'
    )
    assert (error.line, error.config_key) == (3, "profile.provider_key")
    assert "never hold the key itself" in error.problem
    assert key not in error.message and key[:8] not in error.message


def test_a_missing_pin_is_fine_when_not_needed(tmp_path: Path) -> None:
    config = load_kiosk_config(write(tmp_path, 'flows = ["whatsapp"]\n'), need_pin=False)
    assert config.admin.pin_hash is None and not config.admin.verify_pin(PIN)


def test_a_relative_logo_is_read_from_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.svg").write_text("<svg/>")
    text = f'flows = ["whatsapp"]\n[branding]\nlogo = "art/logo.svg"\n{MINIMAL[23:]}'
    other = tmp_path / "elsewhere"
    other.mkdir()
    cwd = os.getcwd()
    os.chdir(other)
    try:
        config = load_kiosk_config(write(tmp_path, text))
    finally:
        os.chdir(cwd)
    assert config.branding.logo == tmp_path / "art" / "logo.svg"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ctrl+Alt+Shift+X", "Ctrl+Alt+Shift+X"),
        ("shift + ctrl + alt + x", "Ctrl+Alt+Shift+X"),
        ("Meta+Ctrl+F24", "Ctrl+Meta+F24"),
        ("ctrl+alt+del", "Ctrl+Alt+Del"),
        ("Ctrl+Alt+esc", "Ctrl+Alt+Esc"),
        ("Ctrl+X", None),
        ("Ctrl+Ctrl+X", None),
        ("Ctrl+Hyper+X", None),
        ("Ctrl+Alt+F25", None),
        ("Ctrl+Alt+XY", None),
        ("Ctrl+Alt+", None),
    ],
)
def test_chords(text: str, expected: str | None) -> None:
    assert normalise_chord(text) == expected
