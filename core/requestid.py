"""The request id: one id per web request, carried into every Celery task the request queues
(and the tasks those queue), so one customer's sign-up can be followed in the logs from the
form to the text's delivery report.

A request takes the id the proxy sent (X-Request-ID, when it looks like one) or a new one; the
web answer repeats it. `config.celery` puts it in each task's headers when the task is
published and makes it current again while the task runs. Every log record carries it as
`request_id` (`RequestIdFilter`, installed on the handlers in LOGGING).
"""

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_current: ContextVar[str] = ContextVar("request_id", default="")
# Ids from outside are kept only when they are short and plain (no log injection, no numbers).
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current() -> str:
    """The id of the request or task this code runs for ("" outside both)."""
    return _current.get()


def new() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(request_id: str) -> Iterator[None]:
    """Make `request_id` current for the block."""
    token = _current.set(request_id)
    try:
        yield
    finally:
        _current.reset(token)


def set_current(request_id: str) -> None:
    """Make `request_id` current until the next `set_current` (a task's start and end)."""
    _current.set(request_id)


def from_header(value: str | None) -> str:
    """The id a proxy sent, if it is one we can trust to log; else a new one."""
    if value and _ACCEPTED.fullmatch(value) and not re.search(r"\d{7}", value):
        return value
    return new()


class RequestIdMiddleware:
    """Give each request its id (current while it is answered) and repeat it in the answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = from_header(request.headers.get(HEADER))
        # Current until the answer is finished (`_request_finished`), not only while the
        # middleware runs: Django logs a 4xx or 5xx answer after the middleware returns.
        set_current(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


@receiver(request_finished)
def _request_finished(**kwargs: object) -> None:
    set_current("")


class RequestIdFilter(logging.Filter):
    """Add `request_id` to every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current()
        return True
