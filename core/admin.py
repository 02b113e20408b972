"""Admin actions that run a service on each selected row."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.functional import Promise

from .errors import DomainError


def act_on_each(
    request: HttpRequest,
    rows: Iterable[Any],
    *,
    act: Callable[[Any], Any],
    done: Callable[[int], str],
    allowed: Callable[[Any, Any], bool] | None = None,
    refusal: "str | Promise | Callable[[Any], str]" = "",
) -> int:
    """Run `act` (a service call) on each row the user may act on and report the outcome:
    one error message per row refused (`refusal(row)`, or `refusal % {"object": row}`) or
    failing with a
    `DomainError`, then one success message (`done(count) % {"count": count}`).
    Returns how many rows were acted on."""
    count = 0
    for row in rows:
        if allowed is not None and not allowed(request.user, row):
            messages.error(
                request, refusal(row) if callable(refusal) else refusal % {"object": row}
            )
            continue
        try:
            act(row)
        except DomainError as exc:
            messages.error(request, f"{row}: {exc.message}")
            continue
        count += 1
    if count:
        messages.success(request, done(count) % {"count": count})
    return count
