"""The never-traded rules, checked over the whole code base (the audit's regression tests)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLineEdit

from x2desk.ui.accounts.wizard import AccountsWizard
from x2desk.ui.app import ensure_app
from x2desk.ui.context import AppContext

PACKAGE = Path(__file__).resolve().parents[1] / "x2desk"


def _imports(folder: Path) -> list[tuple[str, int, str]]:
    """(file, line, module) for every import under ``folder``, lazy ones inside functions too."""
    found: list[tuple[str, int, str]] = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path), node.lineno, a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path), node.lineno, node.module))
    return found


def test_the_core_imports_no_qt() -> None:
    qt = [f"{f}:{n} {m}" for f, n, m in _imports(PACKAGE / "core") if m.split(".")[0] == "PySide6"]
    assert qt == []


def test_the_ui_does_no_http() -> None:
    http = [
        f"{f}:{n} {m}"
        for f, n, m in _imports(PACKAGE / "ui")
        if m.split(".")[0] in ("httpx", "httpcore", "requests", "urllib3")
        or m in ("urllib.request", "http.client")
    ]
    assert http == []


def test_the_login_code_is_masked_even_while_typed(qtbot: Any) -> None:
    ensure_app()
    wiz = AccountsWizard(AppContext.for_sandbox("http://127.0.0.1:9"))
    qtbot.addWidget(wiz)
    code = wiz.code.edit
    assert code.echoMode() is QLineEdit.EchoMode.Password
    code.setFocus()
    qtbot.keyClicks(code, "12345")
    assert code.text() == "12345"  # the value is there...
    assert code.displayText() != "12345" and "1" not in code.displayText()  # ...never shown


def test_every_secret_entry_of_the_accounts_wizard_is_masked(qtbot: Any) -> None:
    ensure_app()
    wiz = AccountsWizard(AppContext.for_sandbox("http://127.0.0.1:9"))
    qtbot.addWidget(wiz)
    secret_words = ("key", "token", "password", "code")
    secret_edits = [
        e
        for e in wiz.findChildren(QLineEdit)
        if any(w in e.accessibleName().lower() for w in secret_words)
    ]
    assert len(secret_edits) >= 5  # provider key, bot token, group key, code, password
    masked = QLineEdit.EchoMode.Password
    plain = [e.accessibleName() for e in secret_edits if e.echoMode() != masked]
    assert plain == []
