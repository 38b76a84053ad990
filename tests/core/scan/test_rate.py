"""The camera's decode rate: every frame while something QR-like is in view, a few a second
otherwise, nothing while the window is hidden (a fake clock: no test waits for real time)."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from x2desk.core.clock import FakeClock
from x2desk.core.scan.capture import CapturePipeline
from x2desk.core.scan.rate import DecodeRate

FRAME = 1 / 30


class Peeks:
    def __init__(self, answer: bool = False) -> None:
        self.answer = answer
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.answer


def run(rate: DecodeRate, clock: FakeClock, frames: int, peek: Peeks, promising: bool) -> int:
    decoded = 0
    for _ in range(frames):
        if rate.due(peek):
            decoded += 1
            rate.decoded(promising)
        clock.advance(FRAME)
    return decoded


def test_an_empty_view_is_decoded_a_few_times_a_second(fake_clock: FakeClock) -> None:
    rate = DecodeRate(fake_clock, idle_fps=4.0)
    peek = Peeks(False)
    decoded = run(rate, fake_clock, 90, peek, promising=False)  # 3 s at 30 fps
    assert 11 <= decoded <= 13  # 4 a second, the first at once
    assert peek.calls == 90 - decoded  # every other frame got only the cheap gate
    assert not rate.busy


def test_a_finder_pattern_in_view_brings_back_every_frame(fake_clock: FakeClock) -> None:
    rate = DecodeRate(fake_clock, idle_fps=4.0, linger=1.0)
    run(rate, fake_clock, 30, Peeks(False), promising=False)
    peek = Peeks(True)  # a QR comes into view: the very next frame is decoded
    assert rate.due(peek) and peek.calls == 1 and rate.busy
    rate.decoded(True)
    fake_clock.advance(FRAME)
    steady = Peeks(True)
    assert run(rate, fake_clock, 30, steady, promising=True) == 30
    assert steady.calls == 0  # at full rate the gate is not even asked


def test_back_to_a_few_a_second_when_the_qr_leaves(fake_clock: FakeClock) -> None:
    rate = DecodeRate(fake_clock, idle_fps=4.0, linger=1.0)
    rate.due(Peeks(True))
    rate.decoded(True)
    fake_clock.advance(FRAME)
    # the QR is gone: full rate for the linger second, then idle again
    assert run(rate, fake_clock, 30, Peeks(False), promising=False) >= 29
    assert run(rate, fake_clock, 60, Peeks(False), promising=False) <= 9


# ---- in the pipeline ---------------------------------------------------------------------------


class SteppedSource:
    """A live source of blank frames that waits until the decoder handled the previous one and
    advances the fake clock by one frame each time (lockstep: the counts are exact)."""

    name = "stepped"
    is_live = True

    def __init__(self, clock: FakeClock, frames: int) -> None:
        self.clock = clock
        self.left = frames
        self.handled = threading.Event()
        self.handled.set()
        self.opened = threading.Event()

    def open(self) -> None:
        self.opened.set()

    def read(self) -> Any:
        if not self.handled.wait(5) or self.left <= 0:
            return None
        self.handled.clear()
        self.left -= 1
        self.clock.advance(FRAME)
        return np.zeros((48, 64, 3), np.uint8)

    def close(self) -> None: ...


class GateDecoder:
    def __init__(self, source: SteppedSource) -> None:
        self.source = source
        self.decoded = 0
        self.peeked = 0
        self.last_promising = False
        self.did_decode = threading.Event()

    def peek(self, image: Any) -> bool:
        self.peeked += 1
        self.source.handled.set()
        return False

    def decode(self, image: Any) -> list[Any]:
        self.decoded += 1
        self.did_decode.set()
        self.source.handled.set()
        return []


def test_the_pipeline_peeks_at_an_empty_view_and_decodes_a_few(fake_clock: FakeClock) -> None:
    source = SteppedSource(fake_clock, frames=90)
    decoder = GateDecoder(source)
    done = threading.Event()
    pipeline = CapturePipeline(source, decoder, clock=fake_clock, on_stopped=done.set)
    pipeline.start()
    assert done.wait(10)
    assert decoder.decoded + decoder.peeked == 90
    assert 11 <= decoder.decoded <= 13
    assert pipeline.stats().frames_peeked == decoder.peeked


def test_the_baseline_decodes_every_frame(fake_clock: FakeClock) -> None:
    source = SteppedSource(fake_clock, frames=30)
    decoder = GateDecoder(source)
    done = threading.Event()
    CapturePipeline(source, decoder, clock=fake_clock, on_stopped=done.set, idle_fps=None).start()
    assert done.wait(10)
    assert (decoder.decoded, decoder.peeked) == (30, 0)


def test_a_held_pipeline_reads_and_decodes_nothing(fake_clock: FakeClock) -> None:
    source = SteppedSource(fake_clock, frames=1000)
    decoder = GateDecoder(source)
    pipeline = CapturePipeline(source, decoder, clock=fake_clock, idle_fps=None)
    pipeline.hold(True)  # the window is minimised before the camera even opened
    pipeline.start()
    try:
        assert source.opened.wait(5)
        threading.Event().wait(0.1)  # a tenth of a second for the threads to misbehave in
        assert pipeline.held and decoder.decoded == 0 and source.left == 1000
        pipeline.hold(False)
        assert decoder.did_decode.wait(5)
    finally:
        source.left = 0  # the source ends, whatever it was waiting for
        source.handled.set()
        pipeline.stop(5.0)
