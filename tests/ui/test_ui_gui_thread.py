"""Results cross from worker threads to the GUI thread through mailboxes, never a page QObject."""

from __future__ import annotations

import threading
from typing import Any

from x2desk.ui.common.gui_thread import Mailbox


def test_a_post_from_a_worker_runs_on_the_gui_thread(qtbot: Any) -> None:
    seen: list[tuple[object, bool]] = []
    box = Mailbox(lambda p: seen.append((p, threading.current_thread() is threading.main_thread())))
    worker = threading.Thread(target=box.post, args=("hello",))
    worker.start()
    worker.join()
    assert seen == []  # queued, not run on the worker
    qtbot.wait_until(lambda: seen == [("hello", True)], timeout=2000)


def test_a_closed_mailbox_drops_what_was_posted(qtbot: Any) -> None:
    seen: list[object] = []
    box = Mailbox(seen.append)
    box.post(1)
    box.close()
    box.post(2)
    qtbot.wait(20)
    assert seen == [] and not box.is_open


def test_once_closes_after_the_first_delivery(qtbot: Any) -> None:
    seen: list[object] = []
    box = Mailbox(seen.append, once=True)
    box.post("a")
    box.post("b")
    qtbot.wait_until(lambda: seen == ["a"], timeout=2000)
    qtbot.wait(20)
    assert seen == ["a"] and not box.is_open


def test_send_on_the_gui_thread_runs_at_once(qtbot: Any) -> None:
    seen: list[object] = []
    box = Mailbox(seen.append)
    box.send("now")
    assert seen == ["now"]


def test_a_receiver_deleted_meanwhile_is_not_a_crash(qtbot: Any) -> None:
    from PySide6.QtCore import QObject, Signal

    class Receiver(QObject):
        got = Signal(object)

    receiver = Receiver()
    box = Mailbox(receiver.got.emit)
    box.post("late")
    receiver.deleteLater()
    qtbot.wait(50)  # deleted first or delivered first: either way no crash and no exception
    assert box.is_open
