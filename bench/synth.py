"""Synthetic webcam frames of a phone showing a QR: the hard cases of the scanner, rendered here.

Every frame has the ordinary trouble of a webcam looking at a phone held in a hand (a little
tilt and rotation, sensor noise, slight defocus, a cluttered background) plus one named
distortion. Everything comes from one seeded RNG, so a run is repeatable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import qrcode

RESOLUTIONS: dict[str, tuple[int, int]] = {
    "640x480": (640, 480),
    "1280x720": (1280, 720),
    "1920x1080": (1920, 1080),
}
DISTORTIONS = (
    "tilt",
    "rotation",
    "glare",
    "moire",
    "blur",
    "low-contrast",
    "inversion",
    "mirror",
    "jpeg",
    "small",
)


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8
    text: str | None  # the expected payload, None for an empty frame
    distortion: str
    resolution: str


def payload(rng: np.random.Generator) -> str:
    token = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    kind = int(rng.integers(0, 6))
    if kind == 0:
        return token
    if kind == 1:
        return f"https://ix.x2chat.com/i/{token}"
    if kind == 2:
        return f"Токен X2Chat: {token}"  # non-ASCII: where other decoders go wrong
    return f"x2chat://bot/integrate?token={token}"


def qr_modules(text: str) -> np.ndarray:
    """The code's modules (True = dark), with a 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=bool)


def background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A desk or a room: gradient, a few blurred shapes and text, no QR."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(60, 170) + rng.uniform(-40, 40) * x / w + rng.uniform(-40, 40) * y / h
    img = np.repeat(base[:, :, None], 3, axis=2) * rng.uniform(0.8, 1.2, 3)[None, None, :]
    img = img.clip(0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(4, 10))):
        color = tuple(int(c) for c in rng.integers(0, 255, 3))
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(20, w // 3)), y0 + int(rng.integers(20, h // 3))
        if rng.random() < 0.5:
            cv2.rectangle(img, (x0, y0), (x1, y1), color, -1)
        else:
            cv2.circle(img, (x0, y0), int(rng.integers(10, h // 5)), color, -1)
    for _ in range(int(rng.integers(1, 4))):
        org = (int(rng.integers(0, w - 100)), int(rng.integers(20, h)))
        color = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.putText(img, "x2desk 2026 QA", org, cv2.FONT_HERSHEY_SIMPLEX, h / 600, color, 2)
    return cv2.GaussianBlur(img, (0, 0), 1.5)


def render(rng: np.random.Generator, resolution: str, distortion: str, text: str | None) -> Frame:
    w, h = RESOLUTIONS[resolution]
    frame = background(rng, w, h).astype(np.float32)
    if text is not None:
        frame = _place_phone(rng, frame, text, distortion)
    frame += rng.normal(0, rng.uniform(3.0, 9.0), frame.shape)  # sensor noise
    out = frame.clip(0, 255).astype(np.uint8)
    if distortion == "mirror":
        out = cv2.flip(out, 1)
    if distortion == "jpeg":
        _ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(3, 9))])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return Frame(out, text, distortion, resolution)


def _place_phone(
    rng: np.random.Generator, frame: np.ndarray, text: str, distortion: str
) -> np.ndarray:
    h, w = frame.shape[:2]
    modules = qr_modules(text)
    n = modules.shape[0]
    if distortion == "small":
        side = float(rng.uniform(1.5, 2.2) * n)  # about 1.5-2.2 px per module
    else:
        side = float(rng.uniform(0.2, 0.45) * h)
    dark_mode = distortion == "inversion"
    screen_px = 4  # render the screen at 4 px per module, then warp into the frame
    code = np.where(modules, 0.0, 1.0)
    if dark_mode:
        code = 1.0 - code
    code = np.kron(code, np.ones((screen_px, screen_px)))
    pad = n * screen_px // 4
    bezel = 0.0
    screen = np.pad(code, pad, constant_values=code[0, 0])  # screen around the code
    screen = np.pad(screen, pad // 2, constant_values=bezel)  # phone bezel
    levels = (15.0, 235.0)
    if dark_mode:
        levels = (20.0, float(rng.uniform(90, 140)))  # dark mode screens are dim
    if distortion == "low-contrast":
        mid = rng.uniform(90, 160)
        spread = rng.uniform(6, 12)
        levels = (mid - spread, mid + spread)
    screen = levels[0] + screen * (levels[1] - levels[0])
    if distortion == "moire":
        yy, xx = np.mgrid[0 : screen.shape[0], 0 : screen.shape[1]].astype(np.float32)
        period = screen_px * rng.uniform(0.9, 1.6)
        angle = rng.uniform(0, np.pi)
        wave = np.sin(2 * np.pi * (xx * np.cos(angle) + yy * np.sin(angle)) / period)
        screen = screen * (1.0 + rng.uniform(0.35, 0.5) * wave) + rng.uniform(20, 40) * wave
    ss = screen.shape[0]
    scale = side * (ss / (n * screen_px)) / ss
    big = ss * scale
    # where the phone goes: rotation, tilt (perspective), position
    tilt = 0.36 if distortion == "tilt" else 0.1
    angle = rng.uniform(0, 360) if distortion == "rotation" else rng.uniform(-15, 15)
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]) * big
    corners += rng.uniform(-tilt, tilt, (4, 2)) * big
    t = np.deg2rad(angle)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    corners = corners @ rot.T
    span = np.ptp(corners, axis=0)
    cx = rng.uniform(span[0] / 2, max(span[0] / 2 + 1, w - span[0] / 2))
    cy = rng.uniform(span[1] / 2, max(span[1] / 2 + 1, h - span[1] / 2))
    corners += [cx, cy]
    src = np.array([[0, 0], [ss, 0], [ss, ss], [0, ss]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    warped = cv2.warpPerspective(screen.astype(np.float32), matrix, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones_like(screen, dtype=np.float32), matrix, (w, h))
    phone = np.repeat(warped[:, :, None], 3, axis=2)
    out = frame * (1 - mask[:, :, None]) + phone * mask[:, :, None]
    defocus = rng.uniform(0.15, 0.42) * side / n  # a webcam is rarely in perfect focus
    if distortion == "blur":
        length = max(3, int(rng.uniform(1.2, 2.0) * side / n))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rot_k = cv2.getRotationMatrix2D(
            (length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1
        )
        kernel = cv2.warpAffine(kernel, rot_k, (length, length))
        kernel /= max(kernel.sum(), 1e-6)
        out = cv2.filter2D(out, -1, kernel)
    out = cv2.GaussianBlur(out, (0, 0), defocus)
    if distortion == "glare":
        gx, gy = corners.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * big
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        sigma = big * rng.uniform(0.12, 0.2)
        blob = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sigma**2))
        out = out + rng.uniform(170, 230) * blob[:, :, None]
    return out


def frames(seed: int, per_cell: int) -> Iterator[Frame]:
    """``per_cell`` frames for every (distortion, resolution)."""
    rng = np.random.default_rng(seed)
    for distortion in DISTORTIONS:
        for resolution in RESOLUTIONS:
            for _ in range(per_cell):
                yield render(rng, resolution, distortion, payload(rng))


def empty_frame(seed: int, resolution: str) -> np.ndarray:
    return render(np.random.default_rng(seed), resolution, "none", None).image


def clean_frame(seed: int, resolution: str) -> Frame:
    rng = np.random.default_rng(seed)
    return render(rng, resolution, "none", payload(rng))
