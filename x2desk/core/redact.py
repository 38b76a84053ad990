"""Second line of defence: scrub secrets from any text, and from every log record.

:func:`register` remembers each secret value the program has seen (``Secret`` calls it);
:func:`scrub` replaces them, and anything shaped like a bot token or a secret URL path segment,
with a masked form. :func:`install` hooks the scrubber into logging's record factory, so no handler
anywhere (ours, httpx's, a library's) can write a secret, whatever logger it comes from.
"""

from __future__ import annotations

import logging
import re
import threading

_lock = threading.Lock()
_known: set[str] = set()
_MIN_LEN = 6  # shorter values (a 5-digit login code is 5) are matched only via patterns

# <digits>:<35+ chars> bot tokens; /bot<TOKEN>/ and /qr/<token>/-style path segments.
_PATTERNS = [
    re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{20,}"),
    re.compile(r"(/bot)([^/\s?#\"']+)"),
    re.compile(
        r"(/(?:qr|getStateInstance|sendAuthorizationPassword|logout|[A-Za-z]+)/)"
        r"(?=[A-Za-z0-9]{30,})([A-Za-z0-9]{30,})"
    ),
    re.compile(
        r"(\b(?:x-api-key|api_key|apiTokenInstance|password|bot_token|code)[\"']?\s*[:=]\s*[\"']?)"
        r"([^\s\"',}&]+)",
        re.IGNORECASE,
    ),
]


def register(value: str) -> None:
    """Remember a secret value so :func:`scrub` masks it wherever it appears."""
    if len(value) >= _MIN_LEN:
        with _lock:
            _known.add(value)


def _mask(value: str) -> str:
    from x2desk.core.secret import mask

    return mask(value)


def scrub(text: str) -> str:
    """Return ``text`` with every known secret and every secret-shaped token masked."""
    if not text:
        return text
    with _lock:
        known = sorted(_known, key=len, reverse=True)
    for value in known:
        if value in text:
            text = text.replace(value, _mask(value))
    text = _PATTERNS[0].sub(lambda m: _mask(m.group(0)), text)
    for pattern in _PATTERNS[1:]:
        text = pattern.sub(lambda m: m.group(1) + _mask(m.group(2)), text)
    return text


_installed = False


def install() -> None:
    """Scrub every log record at creation, whichever logger or handler it goes to. Idempotent."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    base_factory = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = base_factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return record

    logging.setLogRecordFactory(factory)
    # httpx/httpcore log request lines with full URLs; keep them quiet unless asked.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
