"""The deblur pass: a small code smeared by a moving hand is found, its streak measured, and read.

Frames are generated here: a code at 4 px per module on a room-like background, the code alone
smeared by a 5-9 px streak drawn with ``cv2.line`` (not with the code under test), then defocus
and sensor noise. zxing-cpp alone must fail on each (else the test would prove nothing).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
import qrcode
import zxingcpp

from x2desk.core.clock import FakeClock
from x2desk.core.scan.decode import QrDecoder
from x2desk.core.scan.qr.deblur import deblurred, motion_direction, streaks

TEXT = "x2chat://bot/integrate?token=0b8c33d5-3f4e-4a57-9a0e-2f7d8c1b6a55"


def streak(length: float, angle_deg: float) -> np.ndarray:
    """A line ``length`` px long, drawn at 8x with anti-aliasing and averaged down."""
    size = math.ceil(length) | 1
    big = np.zeros((size * 8, size * 8), np.float32)
    c, a = size * 4 - 0.5, math.radians(angle_deg)
    dx, dy = math.cos(a) * length * 4, math.sin(a) * length * 4
    p0 = (round((c - dx) * 16), round((c - dy) * 16))
    p1 = (round((c + dx) * 16), round((c + dy) * 16))
    cv2.line(big, p0, p1, (1.0,), 8, cv2.LINE_AA, shift=4)
    kernel = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    return kernel / kernel.sum()


def smeared_frame(length: float, angle_deg: float, seed: int = 1, dark: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(TEXT)
    modules = np.array(code.get_matrix(), dtype=np.float32)
    light, ink = (120.0, 25.0) if dark else (225.0, 25.0)
    levels = modules * (light - ink) if dark else light - modules * (light - ink)
    phone = cv2.resize(levels, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)
    h, w = 480, 800  # over the decoder's still-image size: a webcam frame
    frame = np.full((h, w), 110.0, np.float32)
    cv2.rectangle(frame, (20, 30), (140, 300), (60.0,), -1)  # a room: shapes and text
    cv2.putText(frame, "x2desk 2026", (260, 330), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (200.0,), 2)
    mask = np.zeros((h, w), np.float32)
    y0, x0 = 80, 200
    ph, pw = phone.shape
    frame[y0 : y0 + ph, x0 : x0 + pw] = phone
    mask[y0 : y0 + ph, x0 : x0 + pw] = 1.0
    kernel = streak(length, angle_deg)
    smear = cv2.filter2D(mask, -1, kernel)
    moved = cv2.filter2D(frame * mask, -1, kernel)
    out = frame * (1 - smear) + moved  # the phone moved, the room did not
    out = cv2.GaussianBlur(out, (0, 0), 0.8) + rng.normal(0, 4.0, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


CASES = [(7.5, 20.0, False), (8.5, 60.0, False), (6.5, 100.0, True), (8.5, 160.0, True)]


@pytest.mark.parametrize(("length", "angle", "dark"), CASES)
def test_a_smeared_small_code_is_read_by_the_deblur_pass(
    length: float, angle: float, dark: bool
) -> None:
    frame = smeared_frame(length, angle, dark=dark)
    plain = zxingcpp.read_barcodes(frame, formats=zxingcpp.BarcodeFormat.QRCode)
    assert not [b for b in plain if b.valid], "the frame must defeat zxing-cpp alone"
    decoder = QrDecoder(budget_ms=1e9)  # the pass itself, not the machine's speed
    codes = decoder.decode(frame)
    assert [c.text for c in codes] == [TEXT]
    assert codes[0].engine == "zxing-cpp/deblur"
    xs = [x for x, _ in codes[0].corners]
    assert min(xs) > 180 and max(xs) < 380  # corners back in the frame's pixels


@pytest.mark.parametrize(("length", "angle", "dark"), CASES)
def test_the_streak_is_measured(length: float, angle: float, dark: bool) -> None:
    crop = smeared_frame(length, angle, dark=dark)[50:330, 170:430]
    direction = motion_direction(crop)
    assert direction is not None
    guesses, clarity = streaks(crop, direction)
    assert clarity > 2.5
    found_length, found_angle = guesses[0]
    turn = abs((math.degrees(found_angle) - angle + 90) % 180 - 90)
    assert turn <= 8
    assert abs(found_length - length) <= 1.6  # a defocused streak reads a little long


def test_a_sharp_code_costs_one_sobel_and_is_left_alone() -> None:
    crop = smeared_frame(0.5, 0.0)[50:330, 170:430]  # a half-pixel streak: no streak
    assert motion_direction(crop) is None
    assert list(deblurred(crop)) == []


def test_the_budget_bounds_the_deblur_pass() -> None:
    """Passes check the budget by the decoder's clock (a fake one here, standing still)."""
    frame = smeared_frame(7.5, 20.0)
    spent = QrDecoder(budget_ms=0, clock=FakeClock())
    assert spent.decode(frame) == []
    assert "deblur" not in spent.last_passes
    ample = QrDecoder(budget_ms=80, clock=FakeClock())
    assert [c.text for c in ample.decode(frame)] == [TEXT]
    assert "deblur" in ample.last_passes
