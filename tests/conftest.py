"""Shared fixtures. Tests run offscreen, in a private data folder, with an in-memory keyring
unless they ask for the real Secret Service (marker ``secret_service``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from x2desk.core.clock import FakeClock

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
QR_SAMPLES = Path(os.environ.get("X2DESK_QR_SAMPLES", SHARED / "qr-samples"))


@pytest.fixture(autouse=True)
def x2desk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "x2desk-home"
    monkeypatch.setenv("X2DESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring(request: pytest.FixtureRequest) -> Iterator[None]:
    """Unit tests use an in-memory keyring; ``@pytest.mark.secret_service`` tests use the real one."""
    if request.node.get_closest_marker("secret_service"):
        if not os.environ.get("X2DESK_SECRET_SERVICE"):
            pytest.skip("needs the Secret Service: run the suite through ./run test")
        yield
        return
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.items: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.items.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.items[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            from keyring.errors import PasswordDeleteError

            if self.items.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def qr_samples() -> Path:
    if not QR_SAMPLES.is_dir():
        pytest.skip(f"QR samples not found at {QR_SAMPLES}")
    return QR_SAMPLES
