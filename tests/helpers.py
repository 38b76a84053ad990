"""Test helpers shared by several test files (fixtures live in ``conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from x2desk.core.errors import StoreError
from x2desk.core.secret import Secret
from x2desk.core.session.machine import State
from x2desk.core.session.poller import ManualScheduler

if TYPE_CHECKING:
    from x2desk.core.clock import FakeClock
    from x2desk.ui.accounts.wizard import AccountsWizard
    from x2desk.ui.context import AppContext
    from x2desk.ui.greenapi.wizard import GreenApiWizard
    from x2desk.ui.x2chat.wizard import X2ChatWizard

SHOTS = Path("/tmp/x2desk-shots")


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


class MemoryStore:
    """A credential store in a dict (``items``). Saves fail as a store's would: all of them
    (``fail``), or the first ``failures``; ``error`` makes the error (a StoreError by default)."""

    description = "the test store"

    def __init__(
        self,
        fail: bool = False,
        failures: int = 0,
        error: Callable[[], Exception] = lambda: StoreError("The test store is full."),
    ) -> None:
        self.items: dict[str, Secret] = {}
        self.fail = fail
        self.failures = failures
        self.error = error

    def save(self, ref: str, secret: Secret) -> None:
        if self.fail or self.failures > 0:
            self.failures -= 1
            raise self.error()
        self.items[ref] = secret

    def load(self, ref: str) -> Secret | None:
        return self.items.get(ref)

    def delete(self, ref: str) -> None:
        self.items.pop(ref, None)


def all_text(widget: Any) -> str:
    """Every label's and field's text under ``widget`` (to look for a secret that leaked)."""
    from PySide6.QtWidgets import QLabel, QLineEdit

    parts = [w.text() for w in widget.findChildren(QLabel)]
    parts += [w.text() for w in widget.findChildren(QLineEdit)]
    return "\n".join(parts)


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


def shown(qtbot: Any, wizard: Any) -> Any:
    """``wizard`` on screen at the size the screenshots use, closed with the test."""
    qtbot.addWidget(wizard)
    wizard.resize(1000, 680)
    wizard.show()
    return wizard


def main_window(qtbot: Any, url: str, *, active: bool = False, **kw: Any) -> Any:
    """The main window against the sandbox at ``url``, shown (``active``: with the keyboard);
    ``kw``: the context's settings."""
    from x2desk.ui.app import ensure_app
    from x2desk.ui.context import AppContext
    from x2desk.ui.main_window import MainWindow

    ensure_app()
    window = MainWindow(AppContext.for_sandbox(url, **kw))
    qtbot.addWidget(window)
    window.show()
    if active:
        window.activateWindow()
        qtbot.waitActive(window)
    return window


# The start of a probe script run in its own process (one screen set per process): the demo's
# window shown on the configured screen, and ``settle(ms)`` to let Qt run. Arguments (optional):
# the language, and the system font's size (1.5: 150 %).
DEMO_WINDOW_PROBE = r"""
import argparse, json, sys
from x2desk import i18n
if len(sys.argv) > 1:
    i18n.set_language(sys.argv[1])
from PySide6.QtCore import QEventLoop, QTimer
from x2desk.ui.app import build_context, ensure_app, make_settings
from x2desk.ui.main_window import MainWindow

app = ensure_app()
if len(sys.argv) > 2:  # the system font at this many times its size
    font = app.font()
    font.setPointSizeF(font.pointSizeF() * float(sys.argv[2]))
    app.setFont(font)
ns = argparse.Namespace(demo=True, sandbox_url=None, camera=None, autopilot=True, kiosk=False)
ctx, session = build_context(ns)
win = MainWindow(ctx, make_settings())
session.attach(win)
win.show_fitted()

def settle(ms=60):
    loop = QEventLoop(); QTimer.singleShot(ms, loop.quit); loop.exec()
"""


def screen_config(folder: Path, width: int, height: int, dpr: int = 1) -> str:
    """A file for ``QT_QPA_PLATFORM=offscreen:configfile=``: one screen of that size."""
    import json

    screen = {"name": "s", "x": 0, "y": 0, "width": width, "height": height}
    screen.update(logicalDpi=96, logicalBaseDpi=96, dpr=dpr)
    path = folder / "screen.json"
    path.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return str(path)


# ---- the X2Chat wizard ---------------------------------------------------------------------------


def make_x2chat_wizard(qtbot: Any, url: str, clock: FakeClock, **kw: Any) -> X2ChatWizard:
    """The X2Chat wizard on the sandbox at ``url``, shown and started (on the token page)."""
    from x2desk.ui.app import ensure_app
    from x2desk.ui.context import AppContext
    from x2desk.ui.x2chat.wizard import X2ChatWizard

    ensure_app()
    wiz = X2ChatWizard(
        AppContext.for_sandbox(url), clock=clock, redeem_grace_ms=kw.pop("grace", 0), **kw
    )
    shown(qtbot, wiz).start()
    return wiz


def to_paste(qtbot: Any, wiz: X2ChatWizard) -> None:
    """On the token page: the Paste tab."""
    assert wiz.frame.current is wiz.token
    wiz.token.tabs.setCurrentIndex(wiz.token.TAB_PASTE)


def paste_and_confirm(qtbot: Any, wiz: X2ChatWizard, text: str) -> None:
    """Paste ``text``, press Enter, tick the rotation warning and connect."""
    wiz.token.paste_edit.setText(text)
    assert wiz.frame.next_button.isEnabled()
    qtbot.keyClick(wiz.token.paste_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wiz.frame.current is wiz.confirm)
    assert not wiz.frame.next_button.isEnabled()  # the rotation warning must be confirmed
    qtbot.mouseClick(wiz.confirm.understand, Qt.MouseButton.LeftButton)
    wiz.confirm.understand.setChecked(True)
    qtbot.mouseClick(wiz.frame.next_button, Qt.MouseButton.LeftButton)


def rendered_step(wiz: X2ChatWizard) -> str:
    """The step the pages have rendered (the flow may be a queued signal ahead)."""
    st = wiz.rendered
    return "" if st is None else st.step.value


# ---- the accounts wizard -------------------------------------------------------------------------


class AccountsDriver(WizardDriver):
    """Drives the accounts wizard like a person (clicks, keys) and the session's time by hand."""

    shots = SHOTS / "accounts"
    wiz: AccountsWizard

    def until(self, state: State, step_s: float = 0.0, limit: int = 40) -> None:
        self.wait_for(lambda: self.state() is state, f"reached {state}", step_s, limit, 300)

    def choose(self, kind: str, key: str) -> None:
        assert self.page == "account_kind"
        self.qtbot.mouseClick(self.wiz.kind_page.buttons[kind], Qt.MouseButton.LeftButton)
        assert self.wiz.kind_page.buttons[kind].isChecked()
        self.next()
        self.provide(key)

    def provide(self, key: str) -> None:
        self.wait_page("account_provider")
        self.type(self.wiz.provider.key_edit, key)
        self.next()
        self.name_qr_connection()

    def name_qr_connection(self) -> None:
        """A new QR login asks for the connection's name first (prefilled): keep it, Next."""
        from x2desk.ui.accounts.wizard import is_qr_flow

        if is_qr_flow(self.wiz.kind) and self.wiz.reauth_id is None:
            self.wait_page("account_name")
            assert self.wiz.name_page.value(), "the name is prefilled"
            self.next()


def make_accounts_wizard(
    qtbot: Any, ctx: AppContext, fake_clock: FakeClock, manual: ManualScheduler
) -> AccountsWizard:
    """The accounts wizard on a fake clock and a hand-run scheduler, shown (not started)."""
    from x2desk.ui.accounts.wizard import AccountsWizard
    from x2desk.ui.app import ensure_app
    from x2desk.ui.common import theme

    theme.apply(ensure_app(), dark=False)
    w = AccountsWizard(
        ctx,
        clock=fake_clock,
        scheduler_factory=lambda: manual,
        countdown_ms=3_600_000,  # countdowns are ticked by hand
    )
    return shown(qtbot, w)


# ---- the Green-API wizard ------------------------------------------------------------------------


class GreenApiDriver(WizardDriver):
    """Drives the Green-API wizard like a person (clicks, keys) and the pairing's time by hand."""

    shots = SHOTS / "greenapi"
    wiz: GreenApiWizard

    def until(self, condition: Any, what: str, step_s: float = 0.0, limit: int = 40) -> None:
        self.wait_for(condition, what, step_s, limit)

    def until_state(self, state: State, step_s: float = 0.0) -> None:
        self.until(lambda: self.state() is state, f"reached {state}", step_s)

    def enter_instance(self, info: dict[str, Any], phone: str | None = None) -> None:
        """Type the instance's ID and token (the address follows the ID), Next; then pair by
        QR, or with ``phone`` by a login code."""
        assert self.page == "greenapi_instance"
        self.type(self.wiz.instance.id_edit, str(info["idInstance"]))
        self.type(self.wiz.instance.token_edit, info["apiTokenInstance"])
        self.next()
        self.wait_page("greenapi_method")
        if phone is not None:
            self.click(self.wiz.method.cards["code"])
            self.type(self.wiz.method.phone.edit, phone)
        self.next()
        self.wait_page("greenapi_code" if phone is not None else "greenapi_qr")

    def qr_payload(self) -> str:
        """What the phone reads off the page's PNG (x2desk's own decoder)."""
        from x2desk.core.greenapi.client import read_qr_png

        self.until(self.wiz.qr.has_qr, "showed a QR", step_s=1)
        png = self.wiz.qr.shown_png
        assert png is not None
        text = read_qr_png(png)
        assert text is not None and text.startswith("2@")
        return text


def make_greenapi_wizard(
    qtbot: Any,
    ctx: AppContext,
    fake_clock: FakeClock,
    manual: ManualScheduler,
    qr_lifetime_s: float = 20.0,
) -> GreenApiWizard:
    """The Green-API wizard on a fake clock and a hand-run scheduler, shown (not started)."""
    from x2desk.ui.app import ensure_app
    from x2desk.ui.common import theme
    from x2desk.ui.greenapi.wizard import GreenApiWizard

    theme.apply(ensure_app(), dark=False)
    w = GreenApiWizard(
        ctx,
        clock=fake_clock,
        scheduler_factory=lambda: manual,
        interval_s=5.0,
        backoff_s=(5.0, 10.0),
        qr_lifetime_s=qr_lifetime_s,
        countdown_ms=3_600_000,  # countdowns are ticked by hand
    )
    return shown(qtbot, w)


def write_v1_records(path: Path) -> None:
    import json
    import sqlite3

    from x2desk.core.store.records import MIGRATIONS

    """A records file exactly as x2desk wrote it before schema 2."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO connections (kind, external_id, name, username, chat_id, api_base, "
            "secret_ref, flow, outcome, created_at, updated_at, details) VALUES "
            "('x2chat_bot', '55', 'old_bot', 'old_bot', 7, 'https://ix.x2chat.com/api/v1', "
            "'x2chat_bot:55', 'x2chat_redeem', 'connected', 1.0, 1.0, '{}')"
        )
        db.execute(
            "INSERT INTO connections (kind, external_id, name, api_base, flow, outcome, "
            "created_at, updated_at, details) VALUES ('telegram', '8', 'ÉCOLE Fleurie', "
            "'https://api.radist.online/v2', 'telegram_qr', 'connected', 2.0, 2.0, ?)",
            (json.dumps({"status": "active"}),),
        )
        db.execute(
            "INSERT INTO history (connection_id, at, flow, outcome) VALUES (1, 1.0, "
            "'x2chat_redeem', 'connected')"
        )
