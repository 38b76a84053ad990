"""Test helpers shared by several test files (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps its items in a dict (``items``), for tests."""

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


class WizardDriver:
    """Drives a session wizard like a person (clicks, keys) and its session's time by hand.

    ``shots``: the folder :meth:`shot` saves screenshots in."""

    shots = Path("/tmp/x2desk-shots")

    def __init__(self, qtbot: Any, wiz: Any, manual: ManualScheduler) -> None:
        self.qtbot = qtbot
        self.wiz = wiz
        self.manual = manual

    @property
    def page(self) -> str:
        current = self.wiz.frame.current
        return current.page_id if current is not None else ""

    def next(self) -> None:
        assert self.wiz.frame.next_button.isEnabled(), f"Next is disabled on {self.page}"
        self.qtbot.mouseClick(self.wiz.frame.next_button, Qt.MouseButton.LeftButton)

    def back(self) -> None:
        self.qtbot.mouseClick(self.wiz.frame.back_button, Qt.MouseButton.LeftButton)

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.objectName()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def wait_page(self, page_id: str) -> None:
        self.qtbot.waitUntil(lambda: self.page == page_id, timeout=5000)

    def state(self) -> State | None:
        snap = self.wiz.snapshot
        return snap.state if snap is not None else None

    def run(self, seconds: float = 0.0) -> None:
        """Let ``seconds`` of session time pass (polls, QR timers), then let Qt deliver."""
        if seconds:
            self.manual.advance(seconds)
        else:
            self.manual.run_due()
        self.qtbot.wait(1)

    def type(self, widget: Any, text: str) -> None:
        widget.setFocus()
        widget.clear()
        self.qtbot.keyClicks(widget, text)

    def shot(self, name: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        self.wiz.grab().save(str(self.shots / f"{name}.png"))

    def wait_for(
        self, condition: Any, what: str, step_s: float = 0.0, limit: int = 40, timeout: int = 200
    ) -> None:
        """Run the session ``step_s`` at a time until ``condition()`` holds (``limit`` steps)."""
        for _ in range(limit):
            self.run(step_s)
            try:
                self.qtbot.waitUntil(condition, timeout=timeout)
                return
            except (AssertionError, self.qtbot.TimeoutError):
                continue
        raise AssertionError(f"never {what}; at {self.state()} on {self.page}")


def run_demo_flows(demo: tuple[Any, Any], prefix: str, screenshots: Path, report: Path) -> Any:
    """Run the autopilot's ``prefix`` flows on the demo window (the ``demo`` fixture); the
    Autopilot, finished, with its report written to ``report``."""
    from x2desk.ui.autopilot import Autopilot, load_flows

    window, session = demo
    pilot = Autopilot(
        window,
        session,
        screenshots=screenshots,
        report=report,
        flows=load_flows((prefix,)),
        quit_when_done=False,
    )
    pilot.start()
    return pilot


def secret_file(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` readable by its owner only, as the CLI wants a secret file."""
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text, encoding="utf-8")
    return path
