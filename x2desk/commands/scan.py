"""`x2desk scan FILE... [--json]`: decode the QR codes in image files.

One line per file. With ``--json`` each line is an object
``{"file": ..., "codes": [{"text": ..., "kind": ..., "token": ...}], "ms": ...}``: ``kind`` comes
from the token classifier, ``token`` is set only for X2Chat integration tokens, ``ms`` is the
decode time. Control and bidi characters in a code's text are escaped (``\\x1b``,
``\\u202e``; in JSON as JSON escapes), so a QR cannot drive the terminal. A file that cannot be
read as an image gets one clear line on stderr (and, with ``--json``, an object with
``"error"``); the exit code is then non-zero. Finding no code is not an error.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from x2desk.commands.terminal import say, show
from x2desk.core.errors import UnreadableImage
from x2desk.i18n import _


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar=_("FILE"), help=_("image files (PNG, JPEG...)"))
    parser.add_argument("--json", action="store_true", help=_("one JSON object per file and line"))


def run(args: argparse.Namespace) -> int:
    from x2desk.core.scan.decode import QrDecoder, load_image
    from x2desk.core.x2chat.tokens import classify

    decoder = QrDecoder()
    failed = 0
    for name in args.files:
        try:
            image = load_image(name)
        except UnreadableImage as exc:
            failed += 1
            say(f"x2desk: {exc.message}")
            if args.json:
                _emit({"file": name, "codes": [], "ms": 0.0, "error": exc.message})
            continue
        started = time.perf_counter()
        codes = decoder.decode(image)
        ms = round((time.perf_counter() - started) * 1000.0, 1)
        found = []
        for code in codes:
            intake = classify(code.text)
            found.append({"text": code.text, "kind": intake.kind, "token": intake.token})
        if args.json:
            _emit({"file": name, "codes": found, "ms": ms})
        else:
            show(_human_line(name, found, ms))  # a QR's text escaped: it may hold ESC sequences
    return UnreadableImage.exit_code if failed else 0


def _emit(record: dict[str, Any]) -> None:
    from x2desk.core.printable import json_safe

    print(json_safe(json.dumps(record, ensure_ascii=False)), flush=True)


def _human_line(name: str, codes: list[dict[str, Any]], ms: float) -> str:
    if not codes:
        return f"{name}: no QR code found ({ms:g} ms)"
    parts = []
    for code in codes:
        kind = str(code["kind"]).replace("_", " ")
        if code["kind"] == "webhook_qr":
            # a Webhook QR carries a per-connection secret: not for the terminal's scrollback
            from x2desk.core.secret import mask

            parts.append(f"{kind} {mask(code['text'])}")
        else:
            parts.append(f"{kind} {code['text']}")
    count = "1 QR code" if len(codes) == 1 else f"{len(codes)} QR codes"
    return f"{name}: {count} ({ms:g} ms): " + "; ".join(parts)
