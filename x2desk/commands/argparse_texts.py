"""argparse's own words ("usage:", "positional arguments", "error:"...) in x2desk's language.

argparse asks the standard library's gettext for them (its ``messages`` domain, which nothing
installs), so by itself it always speaks English. :func:`route` points argparse's ``_`` and
``ngettext`` at x2desk's catalogue (:mod:`x2desk.i18n`), and the texts argparse asks for a person
are marked here, so that they are in the catalogue and translated. The texts argparse keeps for
programmers' mistakes (a parser built wrong) stay English. tests/cli/test_argparse_texts.py
extracts every text the running Python's argparse asks for and fails on one that is neither
here nor among those (a newer Python's new words)."""

from __future__ import annotations

from x2desk.i18n import N_, N_plural

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("optional arguments"),  # Python < 3.10
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
)
PLURALS = (N_plural("expected %s argument", "expected %s arguments"),)


def route() -> None:
    """From now on argparse's words come from x2desk's catalogue, in the current language."""
    import argparse

    from x2desk import i18n

    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
