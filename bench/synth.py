"""Synthetic webcam frames of a phone showing a QR: the hard cases of the scanner, rendered here.

Every frame is a webcam's view of a phone held up to a laptop: a cluttered room behind, the phone
a little tilted and turned, slight defocus, sensor noise, plus one named distortion. Everything
comes from one seeded RNG, so a run is repeatable. Ranges (m = one module of the code on the
sensor, px = frame pixels) and why they are what a phone screen and a webcam produce:

- every frame: defocus sigma 0.15-0.42 m (fixed-focus webcams are soft at arm's length); noise
  sigma 3-9 levels (webcam sensor noise from bright room to dim room); out-of-plane tilt 0-15
  deg and in-plane turn +-15 deg (a hand holding the phone roughly square to the camera);
  code 20-45 % of the frame height (phone held 20-50 cm from the lens).
- tilt: 25-55 deg out of plane, camera 3-8 code widths away (a phone held low or to the side;
  past ~60 deg the operator sees the screen is unreadable to the camera and turns it).
- rotation: any in-plane angle 0-360 deg (the phone upside down or sideways is common).
- glare: a specular reflection of a lamp or window, peak +120..+320 levels (it can saturate the
  sensor), radius (sigma) 8-20 % of the phone (glass reflects a compact highlight).
- moire: two beat gratings of 3-12 px period, 10-25 % modulation each (screen pixel grid against
  the sensor grid; the beats are a few pixels long and the defocus damps them).
- blur: hand motion of 0.4-1.2 m during one exposure (1/30 s, phone moving 2-6 cm/s at arm's
  length) on top of the defocus.
- low-contrast: 20-50 levels between dark and light modules (screen dimmed, washed out by room
  light; webcam auto-exposure keeps the mid-grey).
- inversion: dark-mode code, light modules 90-140 (dark themes are dim).
- mirror: the frame flipped left-right (many webcams and meeting apps mirror the preview).
- jpeg: quality 15-50 (MJPG webcam streams at high compression; q < 15 is not what cameras send).
- small: 1.5-2.2 px per module (a phone at arm's length in a 640x480 or busy 1080p frame).
- motion (and motion-noise, motion-low-contrast, motion-inversion, motion-mirror): a hand moving
  the phone during the exposure (the room behind stays sharp), a linear streak of 5-9 px at any
  angle, on a small code (the
  symbol 110-150 px wide, 3-5 px per module), alone or with more sensor noise (sigma 9-14), low
  contrast (40-80 levels: smeared, the 20-50 of low-contrast leaves nothing to read), a
  dark-mode screen or a mirrored frame: what an independent set of phone-screen
  frames showed x2desk missing (issue 16).

A frame can come out physically destroyed: the blur, the noise and the glare leave too little of
the code for any reader. ``Frame.beyond`` says why (empty when the frame is fair): the signal of
the finest module pattern (alternating modules, 0.5 cycles/m) after all blur (defocus, motion,
pixel area) must stay 4 noise sigmas above zero, per module (noise averaged over a module's
pixels), on at least 90 % of modules and on all three finder pattern centres (error correction
level M restores about 15 % of codewords; a lost finder pattern leaves nothing to locate). A
motion streak longer than two modules inverts that pattern's contrast instead of erasing it:
the magnitude counts (a reader that knows the streak undoes the inversion), a zero does not. The
benchmark counts such frames apart, as "beyond recovery", and not in the targets.
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
    # appended, so that the frames of the distortions above stay exactly as they were
    "motion",
    "motion-noise",
    "motion-low-contrast",
    "motion-inversion",
    "motion-mirror",
)
MOTION_PX = (5.0, 9.0)  # streak length, frame pixels
MOTION_CODE_PX = (110.0, 150.0)  # the symbol's width (quiet zone aside), frame pixels
LOST_MODULES = 0.10  # more than this fraction of modules lost: beyond error correction
SNR_PER_MODULE = 4.0


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8
    text: str | None  # the expected payload, None for an empty frame
    distortion: str
    resolution: str
    beyond: str = ""  # why the code is physically destroyed; empty for a fair frame


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
    noise = float(rng.uniform(3.0, 9.0))
    if distortion == "motion-noise":
        noise = float(rng.uniform(9.0, 14.0))
    beyond = ""
    if text is not None:
        frame, beyond = _place_phone(rng, frame, text, distortion, noise)
    frame += rng.normal(0, noise, frame.shape)  # sensor noise
    out: np.ndarray = frame.clip(0, 255).astype(np.uint8)
    if distortion in ("mirror", "motion-mirror"):
        out = cv2.flip(out, 1)
    if distortion == "jpeg":
        _ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(15, 51))])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return Frame(out, text, distortion, resolution, beyond)


def _phone_corners(rng: np.random.Generator, size: float, tilt_deg: float) -> np.ndarray:
    """A square of ``size`` turned ``tilt_deg`` out of plane about a random axis, seen by a pinhole
    camera a few code widths away, scaled back so its mean side is ``size``."""
    axis = rng.uniform(0, np.pi)
    t = np.deg2rad(tilt_deg)
    ux, uy = np.cos(axis), np.sin(axis)  # rotation axis in the screen plane
    c, s = np.cos(t), np.sin(t)
    rot = np.array(  # Rodrigues, axis (ux, uy, 0)
        [
            [c + ux * ux * (1 - c), ux * uy * (1 - c), uy * s],
            [ux * uy * (1 - c), c + uy * uy * (1 - c), -ux * s],
            [-uy * s, ux * s, c],
        ]
    )
    square = np.array([[-0.5, -0.5, 0], [0.5, -0.5, 0], [0.5, 0.5, 0], [-0.5, 0.5, 0]])
    pts = square @ rot.T
    dist = rng.uniform(3.0, 8.0)
    proj = pts[:, :2] / (dist + pts[:, 2:3]) * dist
    sides = np.linalg.norm(proj - np.roll(proj, -1, axis=0), axis=1)
    return proj * size / max(float(np.mean(sides)), 1e-6)


def _mtf(f: float, defocus_m: float, motion_m: float, pixel_m: float) -> float:
    """Contrast left at ``f`` cycles per module after Gaussian defocus, a motion box and the pixel
    box (all widths in modules). A sign flip (past the first zero) counts as nothing left."""
    gauss = np.exp(-2 * np.pi**2 * defocus_m**2 * f**2)
    motion = abs(np.sinc(f * motion_m)) if motion_m > 0 else 1.0  # see the module docstring
    pixel = np.sinc(f * pixel_m)
    return float(max(0.0, gauss * motion * pixel))


def motion_kernel(length: float, angle: float) -> np.ndarray:
    """A linear streak ``length`` px long at ``angle`` radians, normalised, drawn at 4x and
    averaged down (so that a streak between whole pixels is drawn as it would smear)."""
    size = max(3, int(np.ceil(length)) | 1)
    kernel: np.ndarray = np.zeros((size * 4, size * 4), np.float32)
    c0 = size * 2 - 0.5
    for s in np.linspace(-length * 2, length * 2, 64):
        i = min(max(round(c0 + s * np.sin(angle)), 0), size * 4 - 1)
        j = min(max(round(c0 + s * np.cos(angle)), 0), size * 4 - 1)
        kernel[i, j] += 1.0
    kernel = cv2.resize(kernel, (size, size), interpolation=cv2.INTER_AREA)
    return (kernel / max(float(kernel.sum()), 1e-6)).astype(np.float32)


def _place_phone(
    rng: np.random.Generator, frame: np.ndarray, text: str, distortion: str, noise: float
) -> tuple[np.ndarray, str]:
    h, w = frame.shape[:2]
    modules = qr_modules(text)
    n = modules.shape[0]
    moving = distortion.startswith("motion")
    if distortion == "small":
        side = float(rng.uniform(1.5, 2.2) * n)  # about 1.5-2.2 px per module
    elif moving:  # the symbol (n - 8 modules) 110-150 px wide
        side = float(rng.uniform(*MOTION_CODE_PX) * n / (n - 8))
    else:
        side = float(rng.uniform(0.2, 0.45) * h)
    dark_mode = distortion in ("inversion", "motion-inversion")
    screen_px = 4  # render the screen at 4 px per module, then warp into the frame
    code = np.where(modules, 0.0, 1.0)
    if dark_mode:
        code = 1.0 - code
    code = np.kron(code, np.ones((screen_px, screen_px)))
    pad = n * screen_px // 4
    screen = np.pad(code, pad, constant_values=code[0, 0])  # screen around the code
    screen = np.pad(screen, pad // 2, constant_values=0.0)  # phone bezel
    levels = (15.0, 235.0)
    if dark_mode:
        levels = (20.0, float(rng.uniform(90, 140)))  # dark mode screens are dim
    if distortion in ("low-contrast", "motion-low-contrast"):
        mid = rng.uniform(90, 160)
        spread = rng.uniform(10, 25) if distortion == "low-contrast" else rng.uniform(20, 40)
        levels = (mid - spread, mid + spread)
    screen = levels[0] + screen * (levels[1] - levels[0])
    ss = screen.shape[0]
    big = side * ss / (n * screen_px)  # the phone's side in frame pixels
    # where the phone goes: out-of-plane tilt (perspective), in-plane rotation, position
    tilt = rng.uniform(25, 55) if distortion == "tilt" else rng.uniform(0, 15)
    angle = rng.uniform(0, 360) if distortion == "rotation" else rng.uniform(-15, 15)
    corners = _phone_corners(rng, big, tilt)
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
    # the module grid on the sensor: centres of every module, in frame pixels
    off = pad + pad // 2
    idx = (np.arange(n) + 0.5) * screen_px + off
    gx, gy = np.meshgrid(idx, idx)
    centres = cv2.perspectiveTransform(
        np.stack([gx, gy], axis=-1).reshape(-1, 1, 2).astype(np.float32), matrix
    ).reshape(n, n, 2)
    step_x = np.linalg.norm(np.diff(centres, axis=1), axis=2)
    step_y = np.linalg.norm(np.diff(centres, axis=0), axis=2)
    m_min = float(min(step_x.min(), step_y.min()))  # the most foreshortened module, in px
    m_geo = float(np.sqrt(np.median(step_x) * np.median(step_y)))
    defocus = rng.uniform(0.15, 0.42) * side / n  # a webcam is rarely in perfect focus
    motion = 0.0
    if distortion == "blur":
        motion = float(rng.uniform(0.4, 1.2) * side / n)
        out = cv2.filter2D(out, -1, motion_kernel(motion, rng.uniform(0, np.pi)))
    elif moving:  # the phone moves, the room behind it does not
        motion = float(rng.uniform(*MOTION_PX))
        kernel = motion_kernel(motion, rng.uniform(0, np.pi))
        smeared = cv2.filter2D(mask, -1, kernel)[:, :, None]
        out = frame * (1 - smeared) + cv2.filter2D(phone * mask[:, :, None], -1, kernel)
    out = cv2.GaussianBlur(out, (0, 0), defocus)
    glare = np.zeros((n, n), np.float32)
    if distortion == "glare":
        gcx, gcy = corners.mean(axis=0) + rng.uniform(-0.3, 0.3, 2) * big
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        sigma = big * rng.uniform(0.08, 0.2)
        peak = rng.uniform(120, 320)
        blob = peak * np.exp(-((xx - gcx) ** 2 + (yy - gcy) ** 2) / (2 * sigma**2))
        out = out + blob[:, :, None]
        cx_i = centres[..., 0].clip(0, w - 1).astype(int)
        cy_i = centres[..., 1].clip(0, h - 1).astype(int)
        glare = blob[cy_i, cx_i]
    if distortion == "moire":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        wave = np.ones((h, w), np.float32)
        for _ in range(2):
            period = rng.uniform(3.0, 12.0)
            a = rng.uniform(0, np.pi)
            depth = rng.uniform(0.1, 0.25)
            wave *= 1.0 + depth * np.sin(2 * np.pi * (xx * np.cos(a) + yy * np.sin(a)) / period)
        out = out * (1 - mask[:, :, None]) + out * wave[:, :, None] * mask[:, :, None]
    # is the code still there? signal of alternating modules vs noise per module
    mtf = _mtf(0.5, defocus / m_min, motion / m_min, 1.0 / m_min)
    lo, hi = min(levels), max(levels)
    contrast = np.minimum(hi + glare, 255.0) - np.minimum(lo + glare, 255.0)
    lost = contrast * mtf < SNR_PER_MODULE * noise / max(m_geo, 1.0)
    q = 4  # quiet zone; finder pattern centres at module 3 from the code's corners
    finders = [(q + 3, q + 3), (q + 3, n - q - 4), (n - q - 4, q + 3)]
    inner = lost[q : n - q, q : n - q]
    beyond = ""
    if any(lost[r, c] for r, c in finders):
        beyond = "finder pattern lost"
    elif inner.mean() > LOST_MODULES:
        beyond = f"{inner.mean():.0%} of modules lost"
    return out, beyond


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
