"""x2desk: connect messenger accounts and bots to a business's systems without copying secrets."""

import os

__version__ = "0.1.0"
APP_NAME = "x2desk"

# The largest image x2desk decodes (a 200-megapixel phone photo is 50 MP x 4 channels).
MAX_IMAGE_PIXELS = 60_000_000
# OpenCV's own cap, read once when cv2 loads (its default, 2^30, lets a 155-byte JPEG claiming
# 30000x30000 take 5 GB): set here, before any x2desk module can import cv2. It covers every
# format OpenCV decodes, including those whose header x2desk does not read itself. A lower value
# already set is kept; an empty or odd one (OpenCV aborts on those) is replaced.
_cap = os.environ.get("OPENCV_IO_MAX_IMAGE_PIXELS", "").strip()
if not _cap.isdigit() or not 0 < int(_cap) <= MAX_IMAGE_PIXELS:
    os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] = str(MAX_IMAGE_PIXELS)
