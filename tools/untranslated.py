"""Texts that reach a person without the catalogue: a string literal with words in it, passed
straight to something that shows it (a Qt text setter or widget, our ``label``/``button``/
``name``/``Banner.show_message`` helpers, a message box or file dialog, argparse's help texts,
the command line's ``say``/``show``/``print``...) instead of through ``_()``/``ngettext``.

    python tools/untranslated.py                  # x2desk/, less what EXCLUDED leaves out
    python tools/untranslated.py x2desk/ui/home   # just these files or folders (all of them)

Exit 1 and one line per text found (``file:line: call(): 'text'``). ``N_("...")`` where a text
is shown counts too: it marks a text, it does not translate it. Words that are names (x2desk,
Telegram, QR, API...: :data:`NAMES`) need no translation; a literal of names, numbers and
punctuation only is fine. tests/test_no_bypassed_texts.py runs this over x2desk/.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "x2desk"

# Left out of the default run (paths under x2desk/): the sandbox speaks only to programs; the
# autopilot's words are its report for developers; the areas other developers are rewriting
# now (their texts go through _() too; drop them from here once merged, see
# tests/test_no_bypassed_texts.py).
EXCLUDED: tuple[str, ...] = (
    "sandbox/",
    "ui/autopilot/",
)

# Words that are names or technical tokens, the same in every language.
_NAMES_TEXT = """
    x2desk X2Chat Telegram WhatsApp MAX Green API QR PIN URL URLs ID IDs idInstance
    apiTokenInstance apiUrl JSON CSV env HTTP HTTPS https http localhost SQLite Qt PySide6
    OpenCV zbar pyzbar ZXing zxing Python macOS Windows Linux Odnoklassniki OK VK Radist Ctrl
    Alt Shift Esc Enter Tab PNG JPEG SVG WebP BMP TOML UTF px ms KiB MiB GiB 2FA GNOME KDE
"""
NAMES = frozenset(w.lower() for w in _NAMES_TEXT.split())

# What a call shows: a method or function name, and which positional arguments (by index) and
# keywords carry text. A name matches ``obj.name(...)`` and ``name(...)`` alike.
SHOWN_ARGS: dict[str, tuple[int, ...]] = {
    # Qt setters
    "setText": (0,),
    "setWindowTitle": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setPlaceholderText": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setPlainText": (0,),
    "setHtml": (0,),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "setItemText": (1,),
    "setSpecialValueText": (0,),
    "setPrefix": (0,),
    "setSuffix": (0,),
    "setFormat": (0,),
    "setButtonText": (1,),
    "setNameFilter": (0,),
    "showMessage": (0,),
    "addTab": (1, 2),
    "insertTab": (2, 3),
    "addItem": (0, 1),
    "insertItem": (1, 2),
    "setHeaderLabels": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    # Qt widgets made with their text
    "QLabel": (0,),
    "QPushButton": (0, 1),
    "QToolButton": (),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QCommandLinkButton": (0, 1),
    "QAction": (0, 1),
    "QDockWidget": (0,),
    "QListWidgetItem": (0, 1),
    "QTableWidgetItem": (0, 1),
    "QMessageBox": (1, 2),
    # standard dialogs: (parent, title/caption, text or directory, filter)
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "about": (1, 2),
    "getOpenFileName": (1, 3),
    "getOpenFileNames": (1, 3),
    "getSaveFileName": (1, 3),
    "getExistingDirectory": (1,),
    "getText": (1, 2),
    "getItem": (1, 2),
    # our helpers (x2desk/ui/common/widgets.py and the pages' own)
    "label": (0,),
    "button": (0,),
    "name": (2,),
    "show_message": (0,),
    "show_error": (0,),
    "show_info": (0,),
    "show_warning": (0,),
    "set_busy": (1,),
    "BusyIndicator": (1,),
    "add_choice": (1, 2),
    "hint": (0,),
    "set_hint": (0,),
    "set_status": (0,),
    # argparse (its own words are translated by x2desk.commands.argparse_texts)
    "ArgumentParser": (),
    "add_argument_group": (0, 1),
    "add_parser": (),
    "error": (0,),  # parser.error(...) only (a logger's error() is for developers)
    "Check": (2,),  # x2desk doctor's checks (the name: MARKED_ARGS)
    # the command line
    "print": (0,),
    "say": (0,),
    "show": (0,),
    "ask_line": (0, 1),
    "ask_secret": (0, 1),
    "ask_yes": (0,),
    "getpass": (0,),
    "input": (0,),
    "write": (0,),
    # the core's steps and snapshots: their text is what the window and the terminal say
    "Step": (),
    "Snapshot": (),
    "_enter": (),
    "Intake": (2,),
    "InputEnded": (0,),
}
SHOWN_KEYWORDS = frozenset(
    (
        "accessible",
        "caption",
        "tooltip",
        "placeholder",
        "title",
        "help",
        "description",
        "epilog",
        "ended",
        "prompt",
        "question",
        "text",
        "detail",
        "metavar",
        "note",
    )
)
# Arguments shown translated later (marked with N_ where given, translated where shown): a bare
# literal with words there is a text the catalogue never sees.
MARKED_ARGS: dict[str, tuple[int, ...]] = {"Check": (0,)}
# Calls whose result is a translated text (or a name): what they are given is not shown as is.
TRANSLATED = frozenset(("_", "ngettext", "N_plural"))
MARK_ONLY = "N_"
WORD = re.compile(r"\b[^\W\d_]{2,}\b")
TOKEN_CAPS = 3  # an all-capitals word this short is a token or an example (QR, AA, OK)
PRAGMA = "# untranslated:"  # on the line: a text for programs, not people (say why after it)
PLACEHOLDERS = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]+\)[sdr]|%[sdr]|https?://\S+|\S+\.(?:py|com)")


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        try:
            where = self.path.relative_to(ROOT)
        except ValueError:
            where = self.path
        return f"{where}:{self.line}: {self.call}(): {self.text!r}"


def has_words(text: str) -> bool:
    """Whether ``text`` has a word a person would need translated (not a name or a token)."""
    stripped = PLACEHOLDERS.sub(" ", text)
    return any(
        w.lower() not in NAMES and not (w.isupper() and len(w) <= TOKEN_CAPS)
        for w in WORD.findall(stripped)
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _bare_texts(node: ast.AST) -> Iterator[tuple[int, str]]:
    """The literal texts in an expression that reach the screen as they are (not through
    ``_``/``ngettext``), with their lines: strings, f-strings' literal parts, both branches of
    ``a if c else b``, either side of ``+`` and ``%``, ``"...".format()``, ``N_("...")``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        if parts:
            yield node.lineno, "{}".join(str(p) for p in parts)
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                yield from _bare_texts(v.value)
    elif isinstance(node, ast.IfExp):
        yield from _bare_texts(node.body)
        yield from _bare_texts(node.orelse)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        yield from _bare_texts(node.left)
        yield from _bare_texts(node.right)
    elif isinstance(node, ast.BoolOp):
        for v in node.values:
            yield from _bare_texts(v)
    elif isinstance(node, ast.List | ast.Tuple):
        for elt in node.elts:
            yield from _bare_texts(elt)
    elif isinstance(node, ast.Call):
        name = _call_name(node)
        if name == MARK_ONLY:
            for arg in node.args:
                yield from _bare_texts(arg)
        elif name in ("format", "join", "strip", "rstrip", "replace") and isinstance(
            node.func, ast.Attribute
        ):
            yield from _bare_texts(node.func.value)
            if name == "format":
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    yield from _bare_texts(arg)


def _receiver(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return ast.unparse(func.value).lower()
    return ""


def _metavar_words(text: str) -> bool:
    """A metavar shows a placeholder word (FILE, NAME: translated) or literal values
    (``set-pin|check``: typed as they are)."""
    return any(w.isupper() for w in WORD.findall(text)) and has_words(text)


def _shown(node: ast.Call) -> Iterator[ast.AST]:
    """The arguments of ``node`` that are shown to a person."""
    name = _call_name(node)
    if name == "error" and "parser" not in _receiver(node):
        return
    for i in SHOWN_ARGS.get(name, ()):
        if i < len(node.args) and not isinstance(node.args[i], ast.Starred):
            yield node.args[i]
    if name in SHOWN_ARGS or name in ("add_argument", "add_subparsers", "addAction"):
        for kw in node.keywords:
            literal = isinstance(kw.value, ast.Constant)
            if kw.arg == "metavar" and literal and not _metavar_words(str(kw.value.value)):
                continue
            if kw.arg in SHOWN_KEYWORDS:
                yield kw.value
    if name == "addAction" and node.args:  # menu.addAction(text, ...) or (icon, text, ...)
        yield node.args[-1] if len(node.args) == 2 else node.args[0]


@functools.cache
def error_classes() -> frozenset[str]:
    """x2desk's errors (x2desk/core/errors/): their message is what a person reads."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted((PACKAGE / "core" / "errors").glob("*.py"))
    ]
    return frozenset(n.name for t in trees for n in t.body if isinstance(n, ast.ClassDef))


TABLE_WORDS = 3  # a string this many words long, kept in a module's or class's table, is a text


def _words(text: str, *, lower_only: bool = False) -> int:
    """How many words in ``text`` need translating (``lower_only``: count only words with a
    small letter: all-capital words in a table are code, SQL or an option's placeholder)."""
    stripped = PLACEHOLDERS.sub(" ", text)
    return sum(
        1
        for w in WORD.findall(stripped)
        if w.lower() not in NAMES and not (w.isupper() and (lower_only or len(w) <= TOKEN_CAPS))
    )


MNEMONIC = re.compile(r"(?<!&)&[^\W\d_]")  # "Re-&pair…": a control's words, however short


def _is_sentence(text: object) -> bool:
    """Words between spaces, as a person reads them (or a control's words: an Alt+letter or an
    ellipsis): not code in a string (SQL, a style sheet: several lines), a pattern (backslashes)
    or a path (no spaces)."""
    if not isinstance(text, str) or "\n" in text or "\\" in text:
        return False
    if (MNEMONIC.search(text) or text.endswith("…")) and _words(text, lower_only=True) >= 1:
        return True
    return text.count(" ") >= 2 and _words(text, lower_only=True) >= TABLE_WORDS


def _table_texts(tree: ast.Module, lines: list[str], path: Path) -> Iterator[Found]:
    """Sentences in tables (module and class constants: ``LIMITS_TEXT = "..."``, a dict of
    steps...) not marked with ``N_``: the catalogue never sees them, so they show in English.
    Code kept in strings (SQL, style sheets: several lines) is not text."""
    bodies = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
            if value is None:
                continue
            marked: set[int] = set()
            for sub in ast.walk(value):
                if isinstance(sub, ast.Call) and _call_name(sub) in (*TRANSLATED, MARK_ONLY):
                    marked.update(id(a) for a in ast.walk(sub))
            for sub in ast.walk(value):
                if id(sub) in marked or not isinstance(sub, ast.Constant):
                    continue
                text = sub.value
                if _is_sentence(text) and PRAGMA not in lines[sub.lineno - 1]:
                    yield Found(path, sub.lineno, "table", text)


def scan_source(source: str, path: Path) -> list[Found]:
    errors = error_classes()
    for cls in errors:
        SHOWN_ARGS.setdefault(cls, (0,))
    found: list[Found] = []
    tree = ast.parse(source, str(path))
    lines = source.splitlines()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        for arg in _shown(node):
            for line, text in _bare_texts(arg):
                if has_words(text) and not _waived(lines, node):
                    found.append(Found(path, line, name, text))
        for i in MARKED_ARGS.get(name, ()):
            arg = node.args[i] if i < len(node.args) else None
            if isinstance(arg, ast.Constant | ast.JoinedStr):
                for line, text in _bare_texts(arg):
                    if has_words(text) and not _waived(lines, node):
                        found.append(Found(path, line, name, text))
    found.extend(_table_texts(tree, lines, path))
    return found


def _waived(lines: list[str], node: ast.Call) -> bool:
    """The call carries :data:`PRAGMA` on one of its lines, or on the line above it."""
    end = getattr(node, "end_lineno", None) or node.lineno
    return any(PRAGMA in lines[i - 1] for i in range(max(1, node.lineno - 1), end + 1))


def python_files(paths: list[Path], excluded: tuple[str, ...] = ()) -> Iterator[Path]:
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for f in files:
            rel = f.resolve().relative_to(PACKAGE).as_posix() if _under(f, PACKAGE) else ""
            if not any(rel.startswith(e) for e in excluded):
                yield f


def _under(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)


def scan(paths: list[Path] | None = None, excluded: tuple[str, ...] | None = None) -> list[Found]:
    """Every bypassing text under ``paths`` (default: x2desk/ less :data:`EXCLUDED`)."""
    if paths is None:
        paths, excluded = [PACKAGE], EXCLUDED if excluded is None else excluded
    found: list[Found] = []
    for f in python_files(paths, excluded or ()):
        found.extend(scan_source(f.read_text(encoding="utf-8"), f))
    return found


def main(argv: list[str]) -> int:
    found = scan([Path(a) for a in argv] if argv else None)
    for f in found:
        print(f)
    print(f"{len(found)} text(s) bypass the catalogue" if found else "every text is marked")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
