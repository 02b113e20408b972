"""No log line carries a secret: till keys, Authorization headers, signed links, codes or
customers' full numbers are masked in every record, whoever logs it (our code, Django,
django-ninja, Celery, twilio).

Installed as the log record factory in `CoreConfig.ready()`, so it works for every logger
and handler, including ones a test or an operator adds.
"""

import logging
import re
from collections.abc import Callable
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatterBase

from .phones import mask_phone

_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # An Authorization header, in any scheme ("Bearer x", "Token x", a bare key).
    (
        re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)([^'\"\r\n,}]+)"),
        lambda m: m.group(1) + "[redacted]",
    ),
    # django-ninja's "Unexpected auth - '<the whole header>'".
    (re.compile(r"(Unexpected auth - ')[^']*"), lambda m: m.group(1) + "[redacted]"),
    # A till key: ten hex characters, a dot, a 43-character URL-safe secret.
    (re.compile(r"\b[0-9a-f]{10}\.[A-Za-z0-9_-]{20,}"), lambda m: "[till key]"),
    # A signed link's token ("42-k3j7x2qzamfa": an id and 12 base32 characters).
    (re.compile(r"\b\d+-[a-z2-7]{12}\b"), lambda m: "[token]"),
    # A confirmation code next to the word that names it.
    (re.compile(r"(?i)(\bcode\b\W{0,3})\d{4,8}\b"), lambda m: m.group(1) + "[code]"),
    # A full number, E.164 or Israeli local ("+972501234567", "050-123-4567").
    (re.compile(r"\+\d{8,15}\b"), lambda m: mask_phone(m.group(0))),
    (
        re.compile(r"\b0(5\d)-?(\d{3})-?(\d{4})\b"),
        lambda m: f"0{m.group(1)}-•••-••{m.group(3)[2:]}",
    ),
]


def redact(text: str) -> str:
    """`text` with every secret the rules know masked."""
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


def _redacting_factory(base: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it for logging to report
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return record

    factory.redacting = True  # type: ignore[attr-defined]
    return factory


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is the client's mistake, not ours: Django's request log keeps its one line
    ("Forbidden (Permission denied): /staff/…") without the exception's traceback, which a 500
    still carries."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def install() -> None:
    """Make every new log record redact itself (once, however often it is called)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "redacting", False):
        logging.setLogRecordFactory(_redacting_factory(current))


class TextFormatter(logging.Formatter):
    """One line of text per event (LOG_FORMAT=text, the embedded default), with the request id
    when there is one; tracebacks redacted too."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(_JsonFormatterBase):
    """One JSON object per line (LOG_FORMAT=json): time, level, logger, message, request_id and
    any `extra=` fields, with every secret the rules know masked in the whole line (extras and
    tracebacks included, not only the message)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
