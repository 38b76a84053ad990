"""One rule for where each service is, for the command line and the window alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from x2desk.core.addresses import SERVICES, resolve_address, sandbox_address
from x2desk.core.store.settings import Settings, save_settings, settings_path

SAVED = {
    "x2chat": "https://saved.example/api/v1",
    "provider": "https://saved.example/v2",
    "greenapi": "https://saved.example",
}


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in SERVICES.values():
        monkeypatch.delenv(spec.env, raising=False)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_option_then_sandbox_then_env_then_settings_then_default(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = SERVICES[service]
    assert resolve_address(service) == spec.default
    save_settings(Settings(api_bases={service: SAVED[service]}))
    assert resolve_address(service) == SAVED[service]
    monkeypatch.setenv(spec.env, " https://env.example/x ")
    assert resolve_address(service) == "https://env.example/x"
    sandbox = "http://127.0.0.1:8765/"
    assert resolve_address(service, sandbox_url=sandbox) == sandbox_address(service, sandbox)
    assert resolve_address(service, "https://option.example", sandbox_url=sandbox) == (
        "https://option.example"
    )


def test_sandbox_paths_follow_api_md() -> None:
    root = "http://127.0.0.1:9"
    assert sandbox_address("x2chat", root) == root + "/api/v1"
    assert sandbox_address("provider", root + "/") == root + "/v2"
    assert sandbox_address("greenapi", root) == root


def test_a_damaged_settings_file_counts_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert resolve_address("provider") == SERVICES["provider"].default
    monkeypatch.setenv("X2DESK_PROVIDER_URL", "https://env.example/v2")
    assert resolve_address("provider") == "https://env.example/v2"


def test_the_window_honours_the_same_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: the GUI ignored X2DESK_API_BASE, X2DESK_PROVIDER_URL, X2DESK_GREENAPI_URL."""
    from x2desk.ui.context import AppContext

    save_settings(Settings(api_bases=dict(SAVED)))
    monkeypatch.setenv("X2DESK_API_BASE", "https://env.example/api/v1")
    monkeypatch.setenv("X2DESK_GREENAPI_URL", "https://green.example")
    ctx = AppContext()
    ctx.load_settings()
    assert ctx.x2chat_api == "https://env.example/api/v1"
    assert ctx.provider_api == SAVED["provider"]  # no variable: the settings
    assert ctx.greenapi_url == "https://green.example"
    sandboxed = AppContext.for_sandbox("http://127.0.0.1:9")
    sandboxed.load_settings()  # a sandbox wins over everything
    assert sandboxed.x2chat_api == "http://127.0.0.1:9/api/v1"


def test_the_window_keeps_the_variables_with_damaged_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from x2desk.ui.context import AppContext

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[]", encoding="utf-8")
    monkeypatch.setenv("X2DESK_PROVIDER_URL", "https://env.example/v2")
    ctx = AppContext()
    ctx.load_settings()
    assert ctx.provider_api == "https://env.example/v2"


def test_addresses_and_constants_import_no_http() -> None:
    """The window reads these on its thread: no httpx behind them."""
    code = (
        "import sys\n"
        "import x2desk.core.addresses, x2desk.core.texts, x2desk.core.printable\n"
        "import x2desk.core.x2chat.endpoints, x2desk.core.accounts.endpoints\n"
        "import x2desk.core.greenapi.endpoints, x2desk.ui.context\n"
        "x2desk.ui.context.AppContext().load_settings()\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
        "assert 'PySide6' not in sys.modules, 'Qt imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
