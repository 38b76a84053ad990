"""The autopilot's hands and eyes: a :class:`Pilot` that acts on the window as a person would,
records what it did as steps, and saves screenshots (:class:`Screenshots`).

A person's rules: the pilot only clicks and types into controls that are visible and enabled,
found by objectName (``QTest.mouseClick`` / ``keyClicks`` / ``keyClick``); it never calls a flow
object. It waits for what a person would see (a page, a message, a button turning enabled) with a
deadline, in a nested ``QEventLoop`` driven by a ``QTimer``, so Qt keeps painting and the
workers' results keep arriving; nothing sleeps on the GUI thread. The phone is played through the
sandbox's ``/_sandbox/`` endpoints only, from a worker.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QTabWidget,
    QWidget,
)

from x2desk.core.redact import scrub
from x2desk.i18n import current_language
from x2desk.ui.common.fit import overflow

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 15.0  # one wait: a page, a message, a button
TICK_MS = 20
SHOT_SETTLE_MS = 30  # relayout of wrapped labels after a text change takes a few event rounds
_SHOT_RE = re.compile(r"^\d{2,}-[a-z0-9-]+\.png$")


class StepFailed(Exception):
    """What the autopilot waited for did not happen (the message says what)."""


class Aborted(StepFailed):
    """The window closed, the application is quitting or the run's deadline passed."""


@dataclass
class StepRecord:
    name: str
    ok: bool = True
    seconds: float = 0.0
    error: str | None = None
    screenshot: str | None = None
    english: list[str] = field(default_factory=list)  # English left on screen (another language)
    clipped: list[str] = field(default_factory=list)  # texts cut off by their widgets
    sideways: list[str] = field(default_factory=list)  # pages to scroll sideways (a note)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "ok": self.ok, "seconds": self.seconds}
        if self.error is not None:
            out["error"] = self.error
        if self.screenshot is not None:
            out["screenshot"] = self.screenshot
        if self.english:
            out["english"] = self.english
        if self.clipped:
            out["clipped"] = self.clipped
        if self.sideways:
            out["sideways"] = self.sideways
        return out


def describe(exc: BaseException) -> str:
    text = str(getattr(exc, "message", "") or exc) or type(exc).__name__
    if not isinstance(exc, StepFailed):
        text = f"{type(exc).__name__}: {text}"
    return scrub(text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"


class Screenshots:
    """PNG files named in order (``01-home.png``, ``02-x2chat-choose.png``...) in ``folder``."""

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder else None
        self.saved: list[Path] = []
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.iterdir():  # a previous run's pictures would mislead
                if _SHOT_RE.match(old.name):
                    old.unlink()

    def save(self, widget: QWidget, name: str) -> Path | None:
        """A PNG of ``widget``; StepFailed when it is a window that is not whole on its screen
        (a person could not see all of it)."""
        if self.folder is None:
            return None
        if widget.isWindow() and (why := overflow(widget)):
            raise StepFailed(why)
        path = self.folder / f"{len(self.saved) + 1:02d}-{_slug(name)}.png"
        if not widget.grab().save(str(path), "PNG"):
            raise StepFailed(f"could not write the screenshot {path}")
        self.saved.append(path)
        return path


class Pilot:
    """Acts on the window like a person, and records what it did as steps."""

    def __init__(
        self,
        window: QWidget,
        session: Any,
        shots: Screenshots,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        deadline: float | None = None,
    ) -> None:
        self.window = window
        self.session = session
        self.shots = shots
        self.timeout_s = timeout_s
        self.deadline = deadline
        self.prefix = ""
        self.steps: list[StepRecord] = []
        self._phone: Any = None
        # in a language other than English, every step looks for English left on screen
        self.check_language = current_language() != "en"
        self._seen: set[str] = set()

    # ---- waiting -------------------------------------------------------------------------------

    def wait_until(
        self, condition: Callable[[], T | None], what: str, timeout: float | None = None
    ) -> T:
        """Run Qt until ``condition()`` is truthy and return it; StepFailed after ``timeout``."""
        seconds = self.timeout_s if timeout is None else timeout
        limit = time.monotonic() + seconds
        if self.deadline is not None:
            limit = min(limit, self.deadline)
        value = self._probe(condition)
        if value:
            return value
        loop = QEventLoop()
        outcome: dict[str, Any] = {"ended": False, "value": None}

        def tick() -> None:
            v = self._probe(condition)
            if v or time.monotonic() >= limit or not self.window.isVisible():
                outcome.update(ended=True, value=v)
                loop.quit()

        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(tick)
        timer.start()
        loop.exec()
        timer.stop()
        value = outcome["value"]
        if value:
            return value
        if not outcome["ended"]:
            raise Aborted(f"the application quit while waiting for {what}")
        if not self.window.isVisible():
            raise Aborted(f"the window was closed while waiting for {what}")
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise Aborted(f"the run's deadline passed while waiting for {what}")
        raise StepFailed(f"waited {seconds:g} s for {what}; it did not happen")

    @staticmethod
    def _probe(condition: Callable[[], T | None]) -> T | None:
        try:
            return condition()
        except RuntimeError:  # a widget was deleted under us: not there
            return None

    def idle(self, ms: int) -> None:
        """Let Qt run for ``ms`` (a person glancing at the screen); never a blocking sleep."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    # ---- finding controls ----------------------------------------------------------------------

    def find_all(self, name: str) -> list[QWidget]:
        found: list[QWidget] = []
        for top in QApplication.topLevelWidgets():
            if top.objectName() == name:
                found.append(top)
            found.extend(top.findChildren(QWidget, name))
        return list(dict.fromkeys(found))

    def visible(self, name: str) -> QWidget | None:
        """The visible widget called ``name``, if any (hidden pages do not count)."""
        for w in self.find_all(name):
            if w.isVisible():
                return w
        return None

    def is_visible(self, name: str) -> bool:
        return self.visible(name) is not None

    def control(self, name: str, timeout: float | None = None) -> QWidget:
        """Wait until ``name`` is visible and enabled: what a person can act on."""

        def ready() -> QWidget | None:
            w = self.visible(name)
            return w if w is not None and w.isEnabled() else None

        found = self.wait_until(ready, f"the control {name!r} to be visible and enabled", timeout)
        _scroll_to(found)
        return found

    def wait_visible(self, name: str, timeout: float | None = None) -> QWidget:
        return self.wait_until(lambda: self.visible(name), f"{name!r} to show", timeout)

    def wait_hidden(self, name: str, timeout: float | None = None) -> None:
        self.wait_until(lambda: not self.is_visible(name), f"{name!r} to go away", timeout)

    def page(self, page_id: str, timeout: float | None = None) -> QWidget:
        """Wait for a wizard page (objectName ``page_<id>``) to be the one on screen."""
        return self.wait_until(
            lambda: self.visible(f"page_{page_id}"), f"the page {page_id!r}", timeout
        )

    def text(self, name: str) -> str:
        w = self.visible(name)
        getter = getattr(w, "text", None)
        return str(getter()) if callable(getter) else ""

    def pixmap_key(self, name: str) -> int:
        """The picture on the visible label ``name`` (its cache key; 0: no picture)."""
        label = self.visible(name)
        pixmap = label.pixmap() if isinstance(label, QLabel) else None
        return 0 if pixmap is None or pixmap.isNull() else int(pixmap.cacheKey())

    def wait_text(
        self, name: str, predicate: Callable[[str], bool], what: str, timeout: float | None = None
    ) -> str:
        return self.wait_until(
            lambda: t if (t := self.text(name)) and predicate(t) else None,
            f"{name!r} to say {what}",
            timeout,
        )

    # ---- acting --------------------------------------------------------------------------------

    def click(self, name: str, timeout: float | None = None) -> QWidget:
        """A left click in the middle of the control (on the box of a check box)."""
        w = self.control(name, timeout)
        QTest.mouseClick(
            w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _click_point(w)
        )
        return w

    def type_text(self, name: str, text: str, replace: bool = True) -> QWidget:
        """Click into a field, select what is there (Ctrl+A) and type ``text`` key by key."""
        w = self.click(name)
        if replace:
            QTest.keyClick(w, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(w, Qt.Key.Key_Backspace)
        type_keys(w, text)
        return w

    def press(
        self,
        name: str,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    ) -> QWidget:
        w = self.control(name)
        QTest.keyClick(w, key, modifiers)
        return w

    def click_tab(self, tabs_name: str, index: int) -> None:
        """Click the tab ``index`` of the tab widget ``tabs_name``."""
        w = self.control(tabs_name)
        if not isinstance(w, QTabWidget):
            raise StepFailed(f"{tabs_name!r} is not a tab widget")
        bar = w.tabBar()
        if not bar.isTabEnabled(index):
            raise StepFailed(f"the tab {index} of {tabs_name!r} is disabled")
        QTest.mouseClick(
            bar,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            bar.tabRect(index).center(),
        )
        self.wait_until(lambda: w.currentIndex() == index, f"the tab {index} of {tabs_name!r}")

    # ---- the phone (the sandbox's /_sandbox/ endpoints, from a worker) -------------------------

    def phone(self, what: str, call: Callable[[Any], T], timeout: float | None = None) -> T:
        """Run ``call(SandboxPhone)`` on a worker and wait for its answer."""
        from x2desk.ui.common.workers import run_in_worker

        if self._phone is None:
            from x2desk.sandbox.phone import SandboxPhone

            url = getattr(self.session, "url", "") if self.session is not None else ""
            if not url:
                raise StepFailed("the autopilot needs the demo's sandbox (run with --demo)")
            self._phone = SandboxPhone(url)
        phone = self._phone
        outcome: dict[str, Any] = {}
        run_in_worker(
            lambda: call(phone),
            lambda value: outcome.update(value=value),
            lambda exc: outcome.update(error=exc),
            f"autopilot: {what}",
        )
        self.wait_until(lambda: bool(outcome), f"the phone to {what}", timeout)
        if "error" in outcome:
            raise StepFailed(f"the phone could not {what}: {describe(outcome['error'])}")
        return outcome["value"]

    def close(self) -> None:
        if self._phone is not None:
            self._phone.close()
            self._phone = None

    # ---- records -------------------------------------------------------------------------------

    def shot(self, name: str) -> Path | None:
        """Save a PNG of the whole window (with the demo phone), named in order, once Qt has
        finished laying out what just changed (as a person would see it a moment later)."""
        self.idle(SHOT_SETTLE_MS)
        if self.steps:
            self.look_at_texts(self.steps[-1])
        full = f"{self.prefix}-{name}" if self.prefix else name
        return self.shots.save(self.window, full)

    def look_at_texts(self, record: StepRecord) -> None:
        """Record (once a run) each text on screen now that is cut off, or English in a run
        in another language; the step then fails."""
        from x2desk.ui.autopilot.clipping import clipped_on_screen, sideways
        from x2desk.ui.autopilot.language_check import english_on_screen

        self.idle(SHOT_SETTLE_MS)  # as a person sees it: once Qt has laid out what changed

        for found, where, what in (
            (self._lasting(clipped_on_screen), record.clipped, "Cut off"),
            (english_on_screen() if self.check_language else [], record.english, "English"),
        ):
            new = [line for line in found if line not in self._seen]
            if new:
                self._seen.update(new)
                where.extend(new)
                record.ok = False
                record.error = record.error or f"{what} on screen: {new[0]}"
        scrolls = [line for line in sideways() if line not in self._seen]
        self._seen.update(scrolls)
        record.sideways.extend(scrolls)  # noted, not a failure: a narrow window scrolls

    def _lasting(self, look: Callable[[], list[str]]) -> list[str]:
        """What ``look`` finds now and still finds a moment later: a label whose text a worker's
        answer changed during the settle is laid out again in the next rounds, and a person
        never sees the round in between (on a loaded machine the answer comes later)."""
        found = look()
        if not found:
            return found
        self.idle(SHOT_SETTLE_MS)
        return [line for line in look() if line in found]

    @contextmanager
    def step(self, name: str) -> Iterator[StepRecord]:
        record = StepRecord(name)
        self.steps.append(record)
        started = time.monotonic()
        try:
            yield record
            self.look_at_texts(record)
        except BaseException as exc:
            record.ok = False
            record.error = describe(exc)
            try:
                path = self.shot(f"failed-{name}")
                record.screenshot = path.name if path else None
            except Exception as shot_exc:  # the failure matters more than its picture
                log.debug("no screenshot of the failure: %s", type(shot_exc).__name__)
            raise
        finally:
            record.seconds = round(time.monotonic() - started, 3)


def type_keys(w: QWidget, text: str) -> None:
    """Type ``text`` into ``w`` key by key, as a keyboard does: ``QTest.keyClicks`` for ASCII,
    a key event carrying the character for any other letter (QTest has no key for "ж" and
    aborts on one)."""
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(w, ch)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, w, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
            )


def _scroll_to(w: QWidget) -> None:
    """Scroll the pages (or the phone panel) holding ``w`` so that it is in view, as a person
    scrolls to what they are about to press (and the screenshots show it)."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):  # up and down only: a wide row stays at its start
            across = parent.horizontalScrollBar().value()
            parent.ensureWidgetVisible(w, 8, 8)
            parent.horizontalScrollBar().setValue(across)
        parent = parent.parentWidget()


def _click_point(w: QWidget) -> QPoint:
    """Where a person clicks: the middle, or the box of a check box or radio button."""
    if isinstance(w, QCheckBox | QRadioButton):
        opt = QStyleOptionButton()
        try:
            w.initStyleOption(opt)
            element = (
                QStyle.SubElement.SE_CheckBoxClickRect
                if isinstance(w, QCheckBox)
                else QStyle.SubElement.SE_RadioButtonClickRect
            )
            rect = w.style().subElementRect(element, opt, w)
        except (AttributeError, TypeError):
            rect = None
        if rect is not None and rect.isValid() and not rect.isEmpty():
            return rect.center()
        return QPoint(min(8, w.width() // 2), w.height() // 2)
    return w.rect().center()
