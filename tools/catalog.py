"""The translation catalogue: extract every marked text, update the .po files, compile the .mo.

    python tools/catalog.py update     # x2desk/ -> x2desk/locale/x2desk.pot -> each .po (new
                                       # entries empty, vanished ones dropped), then compile
    python tools/catalog.py compile    # each .po -> its .mo (committed beside it)
    python tools/catalog.py check      # exit 1 if a text is missing, unfinished or stale

Texts are marked with ``_``, ``N_`` and ``ngettext`` (see ``x2desk/i18n.py``). ``check`` is what
tests/test_catalogue.py runs: CI fails on an English text that has no Russian.
"""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "x2desk"
LOCALE = PACKAGE / "locale"
DOMAIN = "x2desk"
LANGUAGES = ("ru",)  # English is the source language
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}
# {name} (ours) and %(name)s / %s (argparse's: x2desk/commands/argparse_texts.py)
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}|%\([A-Za-z_]+\)[sdr]|%[sdr]")


def extract() -> Catalog:
    """Every marked text in x2desk/ (the sandbox speaks only to programs: left out)."""
    cat = Catalog(project="x2desk", domain=DOMAIN, charset="utf-8")
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("sandbox/**.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        cat.add(
            message, None, [(f"x2desk/{filename}", lineno)], auto_comments=comments,
            context=context,
        )  # fmt: skip
    return cat


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="x2desk", charset="utf-8")
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def mo_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def po_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, cat, width=100, sort_output=True, no_location=True, include_previous=False)
    return buf.getvalue()


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        cat = read(lang)
        cat.update(template, no_fuzzy_matching=True, update_creation_date=False)
        cat.obsolete.clear()
        cat.fuzzy = False
        cat.creation_date = cat.revision_date = FIXED_DATE  # no churn in the header
        cat.project, cat.version = "x2desk", ""
        cat.last_translator = cat.language_team = "x2desk"
        cat.msgid_bugs_address = ""
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(cat))
    compile_all()


def compile_all() -> None:
    for lang in LANGUAGES:
        po_path(lang).with_suffix(".mo").write_bytes(mo_bytes(read(lang)))


def _plural_count(cat: Catalog) -> int:
    return int(cat.num_plurals)


def problems() -> list[str]:
    """What is wrong with the catalogues, one line each (empty: all good)."""
    out: list[str] = []
    template = extract()
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m for m in template if m.id}
    for lang in LANGUAGES:
        cat = read(lang)
        have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id}
        for key, msg in sorted(wanted.items()):
            where = ", ".join(f"{f}:{n}" for f, n in msg.locations[:2])
            entry = have.get(key)
            if entry is None:
                out.append(f"{lang}: missing {key!r} ({where}): run tools/catalog.py update")
                continue
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if entry.fuzzy or not all(strings):
                out.append(f"{lang}: not translated {key!r} ({where})")
                continue
            if isinstance(msg.id, tuple) and len(strings) != _plural_count(cat):
                out.append(f"{lang}: {key!r} needs {_plural_count(cat)} plural forms")
            ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
            expected = set(PLACEHOLDER.findall(ids[-1]))
            for s in strings:
                if set(PLACEHOLDER.findall(s)) != expected:
                    out.append(f"{lang}: placeholders differ in {key!r}: {s!r}")
        for key in sorted(set(have) - set(wanted)):
            out.append(f"{lang}: stale entry {key!r}: run tools/catalog.py update")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(cat):
            stale = mo.relative_to(ROOT)
            out.append(f"{lang}: {stale} is out of date: run tools/catalog.py compile")
    return out


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "update":
        update()
    elif cmd == "compile":
        compile_all()
    elif cmd == "check":
        found = problems()
        print("\n".join(found) or "catalogue complete")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
