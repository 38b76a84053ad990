"""The window's last net: an exception nobody caught never shows a traceback.

Qt calls Python slots, timers and virtual methods from its event loop; an exception escaping one
of them goes to ``sys.excepthook``, whose default prints the traceback (with its message, which
may hold a URL or a value the user typed) to the terminal. :func:`install` replaces that hook (and
``threading.excepthook`` for plain Python threads) with one that

- writes the traceback, scrubbed of secrets, to the log at DEBUG only (``x2desk -v`` shows it);
- logs one ERROR line naming the exception's type, never its message;
- shows a plain message box on the GUI thread (one at a time: a burst of errors shows one box),
  or, in the kiosk, calls its handler instead (back to the start screen).

The window keeps running. :func:`uninstall` puts the previous hooks back (tests).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from x2desk.core.redact import scrub
from x2desk.i18n import _
from x2desk.ui.common.gui_thread import Mailbox

log = logging.getLogger(__name__)

BOX_NAME = "crashGuardBox"

_previous: tuple[object, object] | None = None  # (sys.excepthook, threading.excepthook)
_mailbox: Mailbox | None = None
_box: QMessageBox | None = None


def user_message(exc_type: type[BaseException]) -> str:
    """What the box says: the exception's type only (its message may hold a secret)."""
    return _(
        "Something unexpected went wrong ({name}). x2desk keeps running: go back a step or "
        "try again. If it keeps happening, run x2desk -v from a terminal for details."
    ).format(name=exc_type.__name__)


def report(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> None:
    """Log ``exc`` scrubbed and tell the user, from any thread."""
    if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in the terminal: leave quietly
        app = QCoreApplication.instance()
        if app is not None:
            app.quit()
        return
    try:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
    except Exception:  # a broken __str__ must not break the net
        text = exc_type.__name__
    log.debug("uncaught exception:\n%s", scrub(text))
    log.error("unexpected error (%s); run with -v for details", exc_type.__name__)
    mailbox = _mailbox
    if mailbox is not None:
        mailbox.send(exc_type)  # on the GUI thread now; from another thread, posted to it


def _sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    report(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    report(args.exc_type, args.exc_value, args.exc_traceback)


def _show(payload: object) -> None:
    """On the GUI thread: one non-blocking box at a time."""
    global _box
    if not isinstance(payload, type) or not issubclass(payload, BaseException):
        return
    if not isinstance(QCoreApplication.instance(), QApplication):
        return  # no widgets to show (a headless run): the log has it
    box = _box
    try:
        if box is not None and box.isVisible():
            return  # the user has not read the first one yet
    except RuntimeError:  # its C++ side is gone
        box = None
    if box is None:
        box = QMessageBox(QMessageBox.Icon.Warning, "x2desk", "")
        box.setObjectName(BOX_NAME)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        parent = QApplication.activeWindow()
        if parent is not None:
            box.setParent(parent, box.windowFlags())
        _box = box
    box.setText(user_message(payload))
    box.open()  # window-modal, never a nested event loop


def install(on_error: Callable[[type[BaseException]], None] | None = None) -> None:
    """Replace the hooks. Call on the GUI thread once the QApplication exists. Idempotent.
    ``on_error(exc_type)``: called on the GUI thread instead of showing the box (the kiosk goes
    back to its start screen: no dialog is left up on an unattended screen)."""
    global _previous, _mailbox
    if _previous is not None:
        return
    _previous = (sys.excepthook, threading.excepthook)
    _mailbox = Mailbox(_show if on_error is None else _calling(on_error))
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def _calling(on_error: Callable[[type[BaseException]], None]) -> Callable[[object], None]:
    def handle(payload: object) -> None:
        if isinstance(payload, type) and issubclass(payload, BaseException):
            on_error(payload)

    return handle


def uninstall() -> None:
    """Put the previous hooks back and close the box, if any."""
    global _previous, _mailbox, _box
    if _previous is None:
        return
    sys.excepthook, threading.excepthook = _previous  # type: ignore[assignment]
    _previous = None
    if _mailbox is not None:
        _mailbox.close()
        _mailbox = None
    if _box is not None:
        try:
            _box.close()
            _box.deleteLater()
        except RuntimeError:
            pass
        _box = None


def current_box() -> QMessageBox | None:
    """The box on screen now, if any (tests, the autopilot)."""
    if _box is None:
        return None
    try:
        return _box if _box.isVisible() else None
    except RuntimeError:
        return None
