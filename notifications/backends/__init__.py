"""SMS backends, chosen by `settings.SMS_BACKEND` like Django's email backends.

Every backend has `send(*, to, body) -> provider id` and raises `SmsTransientError` (worth
retrying: network, 429, 5xx) or `SmsPermanentError` (never: invalid number, unsubscribed...).
"""

from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import BaseSmsBackend, SmsPermanentError, SmsSendError, SmsTransientError

__all__ = [
    "BaseSmsBackend",
    "SmsPermanentError",
    "SmsSendError",
    "SmsTransientError",
    "get_backend",
    "texts_reach_phones",
]


def get_backend(path: str | None = None) -> BaseSmsBackend:
    """The configured backend; one instance per process (the Twilio one keeps its connections)."""
    return _backend(path or settings.SMS_BACKEND)


@lru_cache(maxsize=8)
def _backend(path: str) -> BaseSmsBackend:
    backend: BaseSmsBackend = import_string(path)()
    return backend


def texts_reach_phones() -> bool:
    """Whether the configured backend texts real phones (Twilio), not a console or a test."""
    return import_string(settings.SMS_BACKEND).reaches_phones is True
