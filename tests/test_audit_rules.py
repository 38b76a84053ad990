"""The never-traded rules, checked over the whole code base (the audit's regression tests)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
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


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _with_parents(module: str) -> set[str]:
    """Importing ``a.b.c`` runs ``a``, ``a.b`` and ``a.b.c``."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def module_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Every module of the package and the package's modules it imports (lazy imports inside
    functions too, relative ones resolved, ``from pkg import module`` as that module)."""
    paths = {_module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")[: len(name.split(".")) - node.level + is_package]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in paths}
        graph[name] = {
            parent for m in found if m in paths for parent in _with_parents(m) if parent in paths
        } - {name}
    return graph


def import_paths(
    graph: dict[str, set[str]], start: str, target: str, allowed: Iterable[str] = ()
) -> list[list[str]]:
    """The chains of imports from ``start`` that reach ``target`` (a module or package prefix),
    not going through a module under an ``allowed`` prefix (the demo's own packages)."""

    def under(module: str, prefix: str) -> bool:
        return module == prefix or module.startswith(prefix + ".")

    found: list[list[str]] = []
    seen = {start}
    queue = [[start]]
    while queue:
        chain = queue.pop(0)
        for nxt in sorted(graph.get(chain[-1], ())):
            if nxt in seen or any(under(nxt, a) for a in allowed):
                continue
            seen.add(nxt)
            if under(nxt, target):
                found.append([*chain, nxt])
            else:
                queue.append([*chain, nxt])
    return found


# The demo's own packages: only loaded with --demo, and allowed to play the sandbox's phone.
DEMO_ONLY = ("x2desk.demo", "x2desk.ui.autopilot")


def test_the_import_rule_follows_imports_transitively() -> None:
    graph = {
        "x2desk.ui.wizard": {"x2desk.ui.helper"},
        "x2desk.ui.helper": {"x2desk.core.thing"},
        "x2desk.core.thing": {"x2desk.sandbox.phone"},
        "x2desk.ui.app": {"x2desk.demo.session"},
        "x2desk.demo.session": {"x2desk.sandbox.server"},
        "x2desk.ui.direct": {"x2desk.sandbox"},
    }
    assert import_paths(graph, "x2desk.ui.wizard", "x2desk.sandbox", DEMO_ONLY) == [
        ["x2desk.ui.wizard", "x2desk.ui.helper", "x2desk.core.thing", "x2desk.sandbox.phone"]
    ]
    assert import_paths(graph, "x2desk.ui.direct", "x2desk.sandbox", DEMO_ONLY) != []
    assert import_paths(graph, "x2desk.ui.app", "x2desk.sandbox", DEMO_ONLY) == []


def test_the_graph_sees_lazy_relative_and_from_imports(tmp_path: Path) -> None:
    pkg = tmp_path / "x2desk"
    (pkg / "ui").mkdir(parents=True)
    (pkg / "sandbox").mkdir()
    for init in (pkg, pkg / "ui", pkg / "sandbox"):
        (init / "__init__.py").write_text("")
    (pkg / "sandbox" / "phone.py").write_text("")
    (pkg / "ui" / "helper.py").write_text("def f():\n    from x2desk.sandbox import phone\n")
    (pkg / "ui" / "page.py").write_text("from . import helper\n")
    graph = module_graph(pkg)
    assert "x2desk.sandbox.phone" in graph["x2desk.ui.helper"]
    assert "x2desk.ui.helper" in graph["x2desk.ui.page"]
    paths = import_paths(graph, "x2desk.ui.page", "x2desk.sandbox", DEMO_ONLY)
    assert paths and paths[0][:2] == ["x2desk.ui.page", "x2desk.ui.helper"]


def test_the_ui_never_reaches_the_sandbox_except_through_the_demo() -> None:
    graph = module_graph()
    ui = [m for m in graph if m.startswith("x2desk.ui") and not m.startswith(DEMO_ONLY)]
    assert "x2desk.ui.accounts.wizard" in ui and "x2desk.ui.greenapi.wizard" in ui
    reached = {m: import_paths(graph, m, "x2desk.sandbox", DEMO_ONLY) for m in ui}
    assert {m: p[0] for m, p in reached.items() if p} == {}


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


def test_no_function_hides_the_translation_function_behind_a_local() -> None:
    """``_`` is gettext's function everywhere: a function that also binds ``_`` (``a, _ = ...``)
    would call a tuple item instead of translating (or fail before the assignment)."""
    clashes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            names = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == "_"]
            binds = any(isinstance(n.ctx, ast.Store) for n in names)
            calls = any(
                isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "_"
                for c in ast.walk(fn)
            )
            if binds and calls:
                clashes.append(f"{path}:{fn.lineno}")
    assert clashes == []
